package regime

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assetsConfig has two loyal regions, "big" (population 4) and "small"
// (population 1), a sovereignty rule that never fires by the defected
// shares, and a shock at tick 10 that halves the union's legitimacy.
func assetsConfig(a *AssetsRule) Config {
	c := sovConfig(&SovereigntyRule{Elite: 1, Citizen: 1, Persist: 41})
	c.Regions[0].Name, c.Regions[0].PopulationM, c.Regions[0].Legitimacy = "big", 4, 1
	c.Regions[1].Name = "small"
	c.History.Declarations = map[string]Date{"big": DateOf(1990, 1, 15), "small": DateOf(1990, 6, 1)}
	tick := 10
	c.Shocks = []Shock{{Name: "discredit", Tick: &tick, Scale: map[string]float64{"regime.legitimacy": 0.5}}}
	c.Assets = a
	return c
}

func TestAssetsRuleTerms(t *testing.T) {
	a := &AssetsRule{Run: 0.5, Elasticity: 0.5}
	assert.InDelta(t, 0.9*0.8*(1-0.5*0.2), assetsProtection(a, 0.9, 0.8, 0.2), 1e-12)
	assert.InDelta(t, 0.5, assetsStake(a, 0.25, 1), 1e-12)
	assert.InDelta(t, 1, assetsStake(&AssetsRule{}, 0.01, 1), 1e-12, "elasticity 0: every region the same stake")
	assert.InDelta(t, 0.25, assetsStake(&AssetsRule{Elasticity: 1}, 0.25, 1), 1e-12)
	assert.Zero(t, assetsStake(a, 0, 0))
}

// TestAssetsLoyalElitesDeclare: loyal elites declare once the centre's
// protection falls, the larger stake first; the run on the bank brings
// the smaller region after it; nothing declares while the centre pays and
// is legitimate.
func TestAssetsLoyalElitesDeclare(t *testing.T) {
	run := func(a *AssetsRule) *Result {
		res, err := Run(context.Background(), assetsConfig(a), 3)
		require.NoError(t, err)
		for _, r := range res.Ticks {
			require.Equal(t, 1.0, r.Delivery, "the budget pays throughout: only legitimacy moves protection")
		}
		return res
	}
	none := run(nil)
	assert.Empty(t, none.Summary.Declarations, "without the rule the loyal regions never declare")

	// Big: stake 1 × (1 − 0.5) ≥ 0.15 from tick 10, declares at tick 12
	// (persist 3). Small: stake 0.25 × 0.5 = 0.125 < 0.15.
	res := run(&AssetsRule{Threshold: 0.15, Elasticity: 1, Persist: 3})
	assert.Equal(t, 12, firstTick(res, EventSovereignty, 0))
	assert.Equal(t, -1, firstTick(res, EventSovereignty, 1))

	// The run: once big is sovereign (s = 1/2), small's protection is
	// 0.5 × (1 − 1 × 0.5) and 0.25 × 0.75 ≥ 0.15: it presses from tick 13.
	res = run(&AssetsRule{Threshold: 0.15, Elasticity: 1, Run: 1, Persist: 3})
	assert.Equal(t, 12, firstTick(res, EventSovereignty, 0))
	assert.Equal(t, 15, firstTick(res, EventSovereignty, 1))

	// Elasticity 0: the same stake, the same tick.
	res = run(&AssetsRule{Threshold: 0.15, Persist: 3})
	assert.Equal(t, 12, firstTick(res, EventSovereignty, 0))
	assert.Equal(t, 12, firstTick(res, EventSovereignty, 1))

	// A threshold above 1 − protection: never.
	res = run(&AssetsRule{Threshold: 0.6, Persist: 1})
	assert.Empty(t, res.Summary.Declarations)
}

// TestAssetsNeverFiringIsInert: a rule that cannot fire gives the same
// trajectory as no rule, and the same bytes for any worker count.
func TestAssetsNeverFiringIsInert(t *testing.T) {
	a, err := Run(context.Background(), assetsConfig(nil), 3)
	require.NoError(t, err)
	b, err := Run(context.Background(), assetsConfig(&AssetsRule{Threshold: 1, Elasticity: 1, Persist: 1}), 3)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(a.Ticks), fmt.Sprint(b.Ticks))
	assert.Equal(t, fmt.Sprint(a.Events), fmt.Sprint(b.Events))
}

func TestAssetsValidate(t *testing.T) {
	c := assetsConfig(&AssetsRule{Threshold: 1.5, Elasticity: -1, Run: 2, Persist: 0})
	err := c.Validate()
	require.Error(t, err)
	for _, f := range []string{"assets.threshold", "assets.elasticity", "assets.run", "assets.persist"} {
		assert.Contains(t, err.Error(), f)
	}
	c = assetsConfig(&AssetsRule{Threshold: 0.5, Persist: 1})
	c.Sovereignty = nil
	require.ErrorContains(t, c.Validate(), "assets: needs a sovereignty rule")
}
