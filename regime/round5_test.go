package regime

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// round5Config is assetsConfig with big declaring through the assets
// channel at tick 12 and a sovereignty rule whose consequences are
// strong; with esc, that rule is met by every region from tick 0 and
// fires after 20 ticks (small declares then through it; big, already
// sovereign, escalates).
func round5Config(k *Consequences, esc bool) Config {
	c := assetsConfig(&AssetsRule{Threshold: 0.15, Elasticity: 1, Persist: 3, Consequences: k})
	c.Sovereignty.RevenueWithheld, c.Sovereignty.ConscriptsHome, c.Sovereignty.LegitimacyLoss = 0.5, 1, 0.3
	if esc {
		c.Sovereignty.Elite, c.Sovereignty.Citizen, c.Sovereignty.Persist = 0, 0, 20
	}
	return c
}

func runModel(t *testing.T, c Config) (*Model, *Result) {
	t.Helper()
	m, err := New(c)
	require.NoError(t, err)
	res, err := m.Run(context.Background(), 3)
	require.NoError(t, err)
	return m, res
}

// TestAssetsConsequencesByChannel: a loyal declaration takes the assets
// rule's consequences when it has a block (here: conscripts stay in the
// union army, union law stays, a fifth of the revenue is withheld), the
// sovereignty rule's without; the channel is recorded only with the
// block.
func TestAssetsConsequencesByChannel(t *testing.T) {
	m, res := runModel(t, round5Config(nil, false))
	require.Equal(t, 12, firstTick(res, EventSovereignty, 0))
	assert.Equal(t, 0.0, m.sovEnforcers(0), "no block: the sovereignty rule's conscripts_home 1")
	assert.Equal(t, 0.5, m.sovRevenue(0))
	assert.Equal(t, 0.7, m.sovFactor(0))
	// (small declares at tick 34: big's withheld revenue drains the budget)
	require.NotEmpty(t, res.Summary.Declarations)
	assert.Equal(t, "big", res.Summary.Declarations[0].Region)
	assert.Empty(t, res.Summary.Declarations[0].Channel, "no block: no channel recorded")
	assert.Empty(t, res.Events[slicesIndex(res, EventSovereignty)].Detail)

	k := &Consequences{RevenueWithheld: 0.2}
	m2, res2 := runModel(t, round5Config(k, false))
	require.Equal(t, 12, firstTick(res2, EventSovereignty, 0), "the channel decides the consequences, not the declaration")
	assert.Equal(t, 1.0, m2.sovEnforcers(0), "a loyal declaration keeps the conscripts in the union army")
	assert.Equal(t, 0.8, m2.sovRevenue(0))
	assert.Equal(t, 1.0, m2.sovFactor(0), "and union law")
	require.Len(t, res2.Summary.Declarations, 1, "a fifth withheld: small never declares")
	assert.Equal(t, ChannelAssets, res2.Summary.Declarations[0].Channel)
	assert.Equal(t, fmt.Sprint(res.Ticks[:13]), fmt.Sprint(res2.Ticks[:13]), "the same until the declaration")
	assert.NotEqual(t, fmt.Sprint(res.Regions), fmt.Sprint(res2.Regions), "and not after it")

	// A block equal to the sovereignty rule's consequences: the same
	// trajectory as no block.
	same := round5Config(nil, false).Sovereignty.consequences()
	_, res3 := runModel(t, round5Config(&same, false))
	assert.Equal(t, fmt.Sprint(res.Ticks), fmt.Sprint(res3.Ticks))
	assert.Equal(t, fmt.Sprint(res.Regions), fmt.Sprint(res3.Regions))
}

func slicesIndex(res *Result, kind EventKind) int {
	for i, e := range res.Events {
		if e.Kind == kind {
			return i
		}
	}
	return -1
}

// TestAssetsEscalation: a region declared through the assets channel
// whose elites then meet the sovereignty rule takes on that rule's
// consequences; a region declaring through the sovereignty rule is
// recorded as "defection".
func TestAssetsEscalation(t *testing.T) {
	k := &Consequences{}
	m, res := runModel(t, round5Config(k, true))
	assert.Equal(t, 12, firstTick(res, EventSovereignty, 0))
	assert.Equal(t, 19, firstTick(res, EventSovereigntyEscalated, 0), "the sovereignty rule met for 20 ticks from tick 0")
	assert.Equal(t, 19, firstTick(res, EventSovereignty, 1))
	assert.Equal(t, -1, firstTick(res, EventSovereigntyEscalated, 1), "only a loyal declaration escalates")
	assert.Equal(t, 0.0, m.sovEnforcers(0), "escalated: the sovereignty rule's consequences")
	assert.Equal(t, 0.7, m.sovFactor(0))
	ch := map[string]string{}
	for _, d := range res.Summary.Declarations {
		ch[d.Region] = d.Channel
	}
	assert.Equal(t, map[string]string{"big": ChannelAssets, "small": ChannelDefection}, ch)

	// Without the block the channel is not recorded and nothing escalates.
	_, res = runModel(t, round5Config(nil, true))
	assert.Equal(t, -1, firstTick(res, EventSovereigntyEscalated, 0))
}

func TestBargainPull(t *testing.T) {
	assert.Equal(t, 0.6, bargainPull(0.6, 0, 0.3), "hold 0: the offer")
	assert.InDelta(t, 0.35, bargainPull(0.1, 0.5, 0.3), 1e-12, "the floor hold × (1 − exited)")
	assert.Equal(t, 0.6, bargainPull(0.6, 0.5, 0), "the offer when above the floor")
	assert.Equal(t, 0.0, bargainPull(0, 0.5, 1), "nothing left to stay in")
}

func TestRound5Validate(t *testing.T) {
	c := round5Config(&Consequences{RevenueWithheld: 2, ConscriptsHome: -1}, false)
	c.Assets.LastOut = 0.2
	err := c.Validate()
	require.Error(t, err)
	for _, f := range []string{"assets.consequences.revenue_withheld", "assets.consequences.conscripts_home", "assets.last_out_persist"} {
		assert.Contains(t, err.Error(), f)
	}
	c.Assets.LastOut = 1.5
	assert.ErrorContains(t, c.Validate(), "assets.last_out:")
	c = round5Config(nil, false)
	c.Bargain = &BargainRule{Offer: 1, Hold: 1.2}
	assert.ErrorContains(t, c.Validate(), "bargain.hold")
}
