package regime

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stretchr/testify/require"
	"github.com/turncoat-abm/turncoat/agents"
)

// bargainConfig is sovConfig with the exit rule on and a sovereignty rule
// that never fires by itself, so that only the bargain's
// "sovereignty first" step declares; a no-op shock "coup" at tick 20 can
// break the bargain.
func bargainConfig(b *BargainRule) Config {
	c := sovConfig(&SovereigntyRule{Elite: 1, Citizen: 1, Persist: 41})
	c.Exit.Enabled = true
	c.Exit.Elite = 0.3 // repression holds the hot region's elites near 0.35
	tick := 20
	c.Shocks = []Shock{{Name: "coup", Tick: &tick, Scale: map[string]float64{"regime.legitimacy": 1}}}
	c.Bargain = b
	return c
}

func firstTick(res *Result, kind EventKind, region int) int {
	for _, e := range res.Events {
		if e.Kind == kind && e.Region == region {
			return e.Tick
		}
	}
	return -1
}

// TestBargainSovereigntyFirst: without a bargain the hot region leaves
// without declaring; with one (offer 0) it declares first and leaves
// later.
func TestBargainSovereigntyFirst(t *testing.T) {
	off, err := Run(context.Background(), bargainConfig(nil), 3)
	require.NoError(t, err)
	on, err := Run(context.Background(), bargainConfig(&BargainRule{}), 3)
	require.NoError(t, err)
	require.Equal(t, -1, firstTick(off, EventSovereignty, 0))
	exitOff := firstTick(off, EventExit, 0)
	require.GreaterOrEqual(t, exitOff, 0, "the hot region leaves")
	decl, exit := firstTick(on, EventSovereignty, 0), firstTick(on, EventExit, 0)
	assert.Equal(t, exitOff, decl, "it declares when it would have left")
	assert.Greater(t, exit, decl, "and leaves only after it has declared")
	assert.Equal(t, -1, firstTick(on, EventSovereignty, 1), "the cold region neither declares")
}

// TestBargainHoldsUntilBroken: a full offer keeps the sovereign region in
// the union; the breaking shock ends the offer's credibility and the
// region leaves from that tick.
func TestBargainHoldsUntilBroken(t *testing.T) {
	held, err := Run(context.Background(), bargainConfig(&BargainRule{Offer: 1}), 3)
	require.NoError(t, err)
	require.GreaterOrEqual(t, firstTick(held, EventSovereignty, 0), 0)
	assert.Equal(t, -1, firstTick(held, EventExit, 0), "a credible full offer holds the region")
	assert.Equal(t, -1, firstTick(held, EventBargainBroken, -1))

	broken, err := Run(context.Background(), bargainConfig(&BargainRule{Offer: 1, Breaker: "coup", Breach: 1}), 3)
	require.NoError(t, err)
	assert.Equal(t, 20, firstTick(broken, EventBargainBroken, -1))
	exit := firstTick(broken, EventExit, 0)
	assert.GreaterOrEqual(t, exit, 20, "the region leaves once the bargain is broken")
	assert.Less(t, exit, 25)
}

// TestBargainRentsAppease: rents paid to a sovereign region's elites
// lower their defected share.
func TestBargainRentsAppease(t *testing.T) {
	elite := func(rents float64) float64 {
		res, err := Run(context.Background(), bargainConfig(&BargainRule{Offer: 1, Rents: rents}), 3)
		require.NoError(t, err)
		n := len(res.Regions) - 2 // hot, last tick
		r := res.Regions[n]
		require.Equal(t, 0, r.Region)
		c := r.Counts[agents.Elite]
		return float64(c[agents.Defected]) / float64(c[agents.Loyal]+c[agents.Defected]+c[agents.Jailed])
	}
	assert.Less(t, elite(1), elite(0))
}

// TestBargainTide: the sovereignty thresholds fall with the share of
// regions already sovereign.
func TestBargainTide(t *testing.T) {
	m, err := New(bargainConfig(&BargainRule{Tide: 0.6}))
	require.NoError(t, err)
	require.NoError(t, m.Reset(rand.New(rand.NewPCG(1, 2))))
	assert.Equal(t, 1.0, m.sovThreshold())
	m.sov[0] = true
	assert.InDelta(t, 1-0.6*0.5, m.sovThreshold(), 1e-12)
}

func TestBargainValidate(t *testing.T) {
	c := bargainConfig(&BargainRule{Offer: 1.5, Rents: -1, Breaker: "nosuch"})
	err := c.Validate()
	require.Error(t, err)
	for _, f := range []string{"bargain.offer", "bargain.rents", `bargain.breaker: names no shock: "nosuch"`} {
		assert.Contains(t, err.Error(), f)
	}
	c = bargainConfig(&BargainRule{})
	c.Sovereignty = nil
	assert.ErrorContains(t, c.Validate(), "bargain: needs a sovereignty rule")
}
