package scenarios_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// raceEnabled is set by race_test.go in race builds.
var raceEnabled bool

// sovietAim is the median over seeds 1..n of the issue 17 scores.
type sovietAim struct {
	sovRho, sovTE, exitRho, exitTE, collapse, decls float64
}

func measureSovietAim(t *testing.T, cfg regime.Config, n int) sovietAim {
	t.Helper()
	m, err := regime.New(cfg)
	require.NoError(t, err)
	var sr, st, er, et, nd []float64
	col := 0
	end := cfg.TickOf(regime.DateOf(1991, 12, 31))
	for s := 1; s <= n; s++ {
		res, err := m.Run(context.Background(), uint64(s))
		require.NoError(t, err)
		sum := res.Summary
		val := func(p *float64) float64 {
			if p == nil {
				return math.NaN()
			}
			return *p
		}
		sr = append(sr, val(sum.SpearmanSovereignty))
		st = append(st, val(sum.TimingErrorSovereigntyWeeks))
		er = append(er, val(sum.SpearmanVsHistory))
		et = append(et, val(sum.TimingErrorWeeks))
		nd = append(nd, float64(len(sum.Declarations)))
		if sum.Collapsed && *sum.CollapseTick <= end {
			col++
		}
	}
	med := func(v []float64) float64 {
		v = slices.DeleteFunc(slices.Clone(v), math.IsNaN)
		if len(v) == 0 {
			return math.NaN()
		}
		slices.Sort(v)
		k := len(v)
		return (v[(k-1)/2] + v[k/2]) / 2
	}
	return sovietAim{med(sr), med(st), med(er), med(et), float64(col) / float64(n), med(nd)}
}

// TestSovietAim measures, for soviet1991-sovereignty, the Aim of issue 17 over 20 seeds and pins what
// the scenario does today (docs/SOVIET.md section 2), most of which misses
// the Aim: a change that moves a score shows up here. Skipped under -race
// and -short (about 10 s); CI runs it in the non-race step with
// `-run 'TestSovietAim'`.
func TestSovietAim(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("20 soviet1991 runs: skipped under -race and -short")
	}
	cfg, err := scenarios.Load("soviet1991-sovereignty")
	require.NoError(t, err)
	a := measureSovietAim(t, cfg, 20)
	t.Logf("declarations: Spearman %.3f, timing %.1f weeks, %.0f declared; exits: Spearman %.3f, timing %.2f weeks; P(collapse by 1991-12-31) %.2f",
		a.sovRho, a.sovTE, a.decls, a.exitRho, a.exitTE, a.collapse)
	base := scenarios.MedianBaseline(cfg.History.Declarations).Fit(&cfg, cfg.History.Declarations)
	assert.InDelta(t, 0.150, a.sovRho, 0.01, "declaration Spearman (Aim >= 0.5: missed)")
	assert.InDelta(t, 87.1, a.sovTE, 0.5, "declaration timing (Aim < %.1f: missed)", base.TimingErrorWeeks)
	assert.InDelta(t, 0.743, a.exitRho, 0.01, "exit Spearman (Aim > 0.759: missed)")
	assert.InDelta(t, 9.33, a.exitTE, 0.05, "exit timing (Aim < 7.73: missed)")
	assert.GreaterOrEqual(t, a.collapse, 0.9, "P(collapse by 1991-12-31) (Aim >= 0.9)")

	// Without the coup nothing exits by the end of 1991 (Aim: the refusers
	// of the union treaty leave in most runs: missed).
	nc, err := scenarios.Load("soviet1991-sovereignty", "shocks=[]")
	require.NoError(t, err)
	b := measureSovietAim(t, nc, 20)
	t.Logf("no coup: exits Spearman %.3f, timing %.2f, P(collapse) %.2f", b.exitRho, b.exitTE, b.collapse)
	assert.Zero(t, b.collapse)
}

// TestSovietSovereigntyInputs: the variant has soviet1991's republics,
// groups, roles and regime unchanged (only the start, the horizon and the
// sovereignty rule differ), and its declaration history is exactly the
// sovereignty_declared column of the data file.
func TestSovietSovereigntyInputs(t *testing.T) {
	base, err := scenarios.Load("soviet1991")
	require.NoError(t, err)
	v, err := scenarios.Load("soviet1991-sovereignty")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(base.Regions), fmt.Sprint(v.Regions))
	assert.Equal(t, fmt.Sprint(base.Roles), fmt.Sprint(v.Roles))
	assert.Equal(t, fmt.Sprint(base.Regime), fmt.Sprint(v.Regime))
	assert.Equal(t, fmt.Sprint(base.Shocks), fmt.Sprint(v.Shocks))
	assert.Equal(t, base.History.Exits, v.History.Exits)
	require.NotNil(t, v.Sovereignty)
	assert.Nil(t, base.Sovereignty)
	reps, err := scenarios.SovietRepublics()
	require.NoError(t, err)
	require.Len(t, v.History.Declarations, len(reps))
	for _, r := range reps {
		assert.Equal(t, r.SovereigntyDeclared.String(), v.History.Declarations[r.Name].String(), r.Name)
	}
}

// TestSovietSovereigntyHistoryIsNotAnInput: scrambling both date series
// changes the scores but not a number of the trajectory.
// At scale 0.2 to stay fast under -race.
func TestSovietSovereigntyHistoryIsNotAnInput(t *testing.T) {
	a, b, _ := scrambleHistory(t, "soviet1991-sovereignty")
	assert.NotEqual(t, *a.Summary.TimingErrorWeeks, *b.Summary.TimingErrorWeeks)
}

// scrambleHistory runs scenario at scale 0.2 (seed 5; more overrides in
// sets), then again with
// every exit date moved to 1990-06-01 and every declaration date to
// 1988-02-01, and checks that the trajectory (ticks, regions, events) is
// the same and the declaration timing score is not: the history is
// scoring data only. It returns both runs and the scrambled config.
func scrambleHistory(t *testing.T, scenario string, sets ...string) (a, b *regime.Result, cfg regime.Config) {
	t.Helper()
	cfg, err := scenarios.Load(scenario, append([]string{"scale=0.2"}, sets...)...)
	require.NoError(t, err)
	a, err = regime.Run(context.Background(), cfg, 5)
	require.NoError(t, err)
	require.NotEmpty(t, a.Summary.Declarations, "some republic should declare sovereignty")
	for name := range cfg.History.Exits {
		cfg.History.Exits[name] = regime.DateOf(1990, 6, 1)
	}
	for name := range cfg.History.Declarations {
		cfg.History.Declarations[name] = regime.DateOf(1988, 2, 1)
	}
	b, err = regime.Run(context.Background(), cfg, 5)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(a.Ticks), fmt.Sprint(b.Ticks))
	assert.Equal(t, fmt.Sprint(a.Regions), fmt.Sprint(b.Regions))
	assert.Equal(t, fmt.Sprint(a.Events), fmt.Sprint(b.Events))
	assert.NotEqual(t, *a.Summary.TimingErrorSovereigntyWeeks, *b.Summary.TimingErrorSovereigntyWeeks)
	return a, b, cfg
}

// TestSovietDeclarationBaseline pins the naive forecast of the declarations
// of sovereignty: every declaration on the median historical date.
func TestSovietDeclarationBaseline(t *testing.T) {
	cfg, err := scenarios.Load("soviet1991-sovereignty")
	require.NoError(t, err)
	b := scenarios.MedianBaseline(cfg.History.Declarations)
	f := b.Fit(&cfg, cfg.History.Declarations)
	assert.Equal(t, 15, f.N)
	assert.Equal(t, "1990-06-23", b.Dates["Russia"].String())
	assert.True(t, f.Spearman != f.Spearman, "a constant forecast has no rank correlation")
	assert.InDelta(t, 21.4, f.TimingErrorWeeks, 1e-3)
}
