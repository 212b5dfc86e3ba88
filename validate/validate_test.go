package validate_test

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
	"github.com/turncoat-abm/turncoat/validate"
)

// raceEnabled is set by race_test.go under -race.
var raceEnabled bool

// TestChecks runs every validation check (the same as turncoat validate,
// with fewer replicates) and tests the suite's mechanics: every row has a
// kind, check rows a verdict that follows from their numbers, info rows
// none; the rows that reproduce the literature pass, and the rows that
// fail honestly (soviet1991 and the case table against their baselines)
// have the verdict their numbers give. It takes about 10 s and skips
// under -race.
func TestChecks(t *testing.T) {
	if raceEnabled {
		t.Skip("the whole suite is too slow under -race; the mechanics are tested by TestReportCounts")
	}
	reps := 3 // the full 20 replicates are what turncoat validate runs
	if testing.Short() {
		reps = 2
	}
	// TURNCOAT_VALIDATE_ONLY=g1,g2 runs only those groups (the mutation
	// test uses it).
	var only []string
	if s := os.Getenv("TURNCOAT_VALIDATE_ONLY"); s != "" {
		only = strings.Split(s, ",")
	}
	rep, err := validate.Run(context.Background(), validate.Options{Replicates: reps, Groups: only})
	require.NoError(t, err)
	names := map[string]bool{}
	checks := 0
	for _, c := range rep.Checks {
		names[c.Name] = true
		assert.NotEmpty(t, c.Reference, c.Name)
		switch c.Kind {
		case validate.KindInfo:
			assert.Nil(t, c.Pass, "%s: an info row has no verdict", c.Name)
			continue
		case validate.KindCheck:
			checks++
			require.NotNil(t, c.Pass, "%s: a check row has a verdict", c.Name)
		default:
			t.Fatalf("%s: kind %q", c.Name, c.Kind)
		}
		if c.Expected != nil && c.Tolerance != nil {
			// a tolerance row's verdict is |value − expected| <= tolerance
			assert.Equal(t, math.Abs(c.Value-*c.Expected) <= *c.Tolerance, c.Passed(), c.Name)
		}
		if strings.HasPrefix(c.Name, "soviet1991/") {
			// soviet1991 against its strongest baselines fails honestly
			// (docs/VALIDATION.md): its verdict follows its numbers.
			if c.Expected == nil {
				continue
			}
			if strings.Contains(c.Name, "timing") {
				assert.Equal(t, c.Value < *c.Expected, c.Passed(), c.Name)
			} else {
				assert.Equal(t, c.Value > *c.Expected, c.Passed(), c.Name)
			}
			continue
		}
		if strings.HasPrefix(c.Name, "cases/") {
			// The case table's comparisons with the baselines fail
			// honestly: out of sample the model does not beat the
			// two-threshold rule (docs/SCENARIOS.md). Their verdict must
			// follow from their numbers.
			if c.Expected == nil { // a case out of sample: the modal class against the observed one
				assert.Equal(t, c.Value > 0.5, c.Passed() && c.Value > 0.5, c.Name)
				continue
			}
			if strings.HasSuffix(c.Name, "/brier") {
				assert.Equal(t, c.Value < *c.Expected, c.Passed(), c.Name)
			} else {
				assert.Equal(t, c.Value > *c.Expected, c.Passed(), c.Name)
			}
			continue
		}
		assert.True(t, c.Passed(), "%s: value %g (%s)", c.Name, c.Value, c.Reference)
	}
	for _, want := range []string{"granovetter/uniform", "granovetter/uniform-perturbed", "granovetter/normal/sigma=10", "granovetter/normal/sigma=12",
		"granovetter/normal/sigma=12.2", "granovetter/normal/sigma=15", "granovetter/normal/sigma=20", "granovetter/normal/sigma=50",
		"granovetter/normal/critical-sigma", "granovetter/normal/critical-sigma-fixed-point", "kuran/classic", "kuran/perturbed", "globalgame/theta-star", "globalgame/x-star", "globalgame/starts-agree", "soviet1991/spearman-median", "soviet1991/timing-error-median", "soviet1991/baseline/august/timing-error-weeks", "soviet1991/baseline/referendum/spearman",
		"epstein/paper/legitimacy-0.9/max-active", "epstein/netlogo/no-cops/active-share", "epstein/mesa/default/bursts", "epstein/mesa/default/mean-active", "epstein/netlogo/default/peak-active",
		"arabspring2011/matches", "arabspring2011/egypt", "arabspring2011/syria",
		"cases/out-of-sample/accuracy", "cases/out-of-sample/brier", "cases/leave-one-out/accuracy", "cases/leave-one-out/brier",
		"pd/tft-vs-alld-200", "pd/alld-vs-tft-200", "pd/tft-stability-threshold", "pd/tournament/reciprocators-above-alld"} {
		if only == nil {
			assert.True(t, names[want], "missing check %s", want)
		}
	}
	assert.Equal(t, checks, rep.Passed+rep.Failed)
}

func TestGranovetterEquilibrium(t *testing.T) {
	// Below the critical σ ≈ 12.2 a handful riot; above it nearly everyone.
	assert.Less(t, validate.GranovetterEquilibrium(100, 25, 12), 6.0)
	assert.Greater(t, validate.GranovetterEquilibrium(100, 25, 12.3), 99.0)
}

func TestGlobalGameUniqueness(t *testing.T) {
	assert.True(t, validate.GlobalGame{Alpha: 1, Beta: 100, Z: 0.5, C: 0.3}.Unique())
	assert.False(t, validate.GlobalGame{Alpha: 10, Beta: 1, Z: 0.5, C: 0.3}.Unique()) // β < α²/2π ≈ 15.9
}

// TestBuiltinThresholdScenarios: the granovetter and kuran built-ins are the
// configurations the checks use.
func TestBuiltinThresholdScenarios(t *testing.T) {
	for _, tc := range []struct {
		name string
		want int
	}{{"granovetter", 100}, {"kuran", 1}} {
		cfg, err := scenarios.Load(tc.name)
		require.NoError(t, err)
		res, err := regime.Run(context.Background(), cfg, 1)
		require.NoError(t, err)
		last := res.Regions[len(res.Regions)-1]
		assert.Equal(t, tc.want, last.Counts[agents.Citizen][agents.Defected], tc.name)
	}
}

// TestArabSpringMatchesHistory: with the replicates turncoat validate runs,
// every country's modal class is the observed one.
func TestArabSpringMatchesHistory(t *testing.T) {
	outs, err := validate.PackOutcomes(context.Background(), "arabspring2011", 20)
	require.NoError(t, err)
	require.Len(t, outs, 6)
	for _, o := range outs {
		assert.Equal(t, 20, o.Dist.Total(), o.Scenario)
		assert.True(t, o.Match, "%s: modal %s (%s), history %s", o.Scenario, o.Modal, o.Dist, o.History)
	}
	_, err = validate.PackOutcomes(context.Background(), "soviet1991", 2)
	assert.ErrorContains(t, err, "not a pack")
}
