package scenarios_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// bargainScenario is the round-3 variant with the union-treaty bargain
// (docs/SOVIET.md section 8); it ships as an example, not as a built-in.
const bargainScenario = "../examples/calibrate/scenarios/soviet1991-bargain.yaml"

// treatyRefusers are the six republics that refused the union treaty of
// August 1991.
var treatyRefusers = []string{"Estonia", "Latvia", "Lithuania", "Georgia", "Armenia", "Moldova"}

// TestSovietBargainInputs: the bargain variant differs from
// soviet1991-sovereignty only by shared blocks (the bargain, two
// union-wide election shocks, the sovereignty rule's revenue share): its
// republics, roles, groups and history are the same.
func TestSovietBargainInputs(t *testing.T) {
	base, err := scenarios.Load("soviet1991-sovereignty")
	require.NoError(t, err)
	v, err := scenarios.Load(bargainScenario)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(base.Regions), fmt.Sprint(v.Regions))
	assert.Equal(t, fmt.Sprint(base.Roles), fmt.Sprint(v.Roles))
	assert.Equal(t, fmt.Sprint(base.Regime), fmt.Sprint(v.Regime))
	assert.Equal(t, fmt.Sprint(base.Shocks), fmt.Sprint(v.Shocks[2:]))
	assert.Equal(t, base.History.Exits, v.History.Exits)
	assert.Equal(t, base.History.Declarations, v.History.Declarations)
	require.NotNil(t, v.Bargain)
	assert.Nil(t, base.Bargain, "the bargain is not part of the built-in scenario")
}

// TestSovietBargainHistoryIsNotAnInput: scrambling both date series
// changes the scores and nothing of the trajectory (scale 0.2).
func TestSovietBargainHistoryIsNotAnInput(t *testing.T) {
	scrambleHistory(t, bargainScenario)
}

// TestSovietBargainAim pins the bargain variant's issue-17 scores over 20
// seeds at the default scale (docs/SOVIET.md section 8), misses
// included, and the no-coup counterfactual to the end of 1992. Skipped
// under -race and -short (about 20 s).
func TestSovietBargainAim(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("40 runs at the default scale: skipped under -race and -short")
	}
	cfg, err := scenarios.Load(bargainScenario)
	require.NoError(t, err)
	a := measureSovietAim(t, cfg, 20)
	t.Logf("declarations: Spearman %.3f, timing %.1f weeks, %.0f declared; exits: Spearman %.3f, timing %.2f weeks; P(collapse by 1991-12-31) %.2f",
		a.sovRho, a.sovTE, a.decls, a.exitRho, a.exitTE, a.collapse)
	assert.InDelta(t, 0.493, a.sovRho, 0.01, "declaration Spearman (Aim >= 0.5: missed; referendum baseline 0.651)")
	assert.InDelta(t, 34.3, a.sovTE, 0.5, "declaration timing (Aim < 21.4: missed)")
	assert.Equal(t, 15.0, a.decls, "every republic declares")
	assert.InDelta(t, 0.333, a.exitRho, 0.01, "exit Spearman (Aim > 0.759: missed)")
	assert.InDelta(t, 9.73, a.exitTE, 0.05, "exit timing (Aim < 7.73: missed)")
	assert.Equal(t, 1.0, a.collapse, "P(collapse by 1991-12-31)")

	// No coup, to the end of 1992: the elections stay, the coup and the
	// bargain's breaker go.
	left, collapsed, _ := noCoup(t, cfg, 20)
	t.Logf("no coup, to 1992-12-31: the six treaty refusers all leave in %d of 20 runs; collapse in %d", left, collapsed)
	assert.Equal(t, 20, left, "without the coup the treaty refusers still leave by the end of 1992")
	assert.Equal(t, 20, collapsed)
}

// TestSovietDeclarationBaselines pins the naive forecasts of the
// declarations that calibrate prints beside the model: the referendum
// order and the median date (docs/SOVIET.md section 8).
func TestSovietDeclarationBaselines(t *testing.T) {
	cfg, err := scenarios.Load("soviet1991-sovereignty")
	require.NoError(t, err)
	bs, err := scenarios.SovietDeclarationBaselines()
	require.NoError(t, err)
	require.Len(t, bs, 2)
	ref := bs[0].Fit(&cfg, cfg.History.Declarations)
	med := bs[1].Fit(&cfg, cfg.History.Declarations)
	assert.Equal(t, "referendum", bs[0].Name)
	assert.InDelta(t, 0.651, ref.Spearman, 0.0005)
	assert.InDelta(t, 21.4, med.TimingErrorWeeks, 0.05)
	assert.Equal(t, "every event on the median historical date, 1990-06-23", bs[1].Description)
}

// refusersLeft reports whether every republic that refused the union
// treaty has left in res.
func refusersLeft(res *regime.Result) bool {
	var out []string
	for _, e := range res.Summary.Exits {
		out = append(out, e.Region)
	}
	return !slices.ContainsFunc(treatyRefusers, func(r string) bool { return !slices.Contains(out, r) })
}
