package regime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sovConfig is a small two-region state in which region "hot" turns
// against the centre at once and "cold" does not.
func sovConfig(rule *SovereigntyRule) Config {
	c := DefaultConfig()
	c.Ticks = 40
	c.Exit.Enabled = false
	c.Regions = []Region{
		{Name: "hot", PopulationM: 1, Legitimacy: 0.05, DraftCompliance: 1, HardshipFactor: 1, RevenueFactor: 1, ParallelFactor: 1},
		{Name: "cold", PopulationM: 1, Legitimacy: 1, DraftCompliance: 1, HardshipFactor: 1, RevenueFactor: 1, ParallelFactor: 1},
	}
	c.Sovereignty = rule
	c.History.Declarations = map[string]Date{"hot": DateOf(1990, 1, 15), "cold": DateOf(1990, 6, 1)}
	return c
}

func TestSovereigntyNilLeavesOutputsUnchanged(t *testing.T) {
	// A rule that can never fire (thresholds 1 with persist beyond the
	// horizon) must give the same trajectory as no rule at all.
	off := sovConfig(nil)
	never := sovConfig(&SovereigntyRule{Elite: 1, Citizen: 1, Persist: 41, RevenueWithheld: 1, ConscriptsHome: 1, LegitimacyLoss: 1, Demonstration: 1})
	a, err := Run(context.Background(), off, 3)
	require.NoError(t, err)
	b, err := Run(context.Background(), never, 3)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(a.Ticks), fmt.Sprint(b.Ticks))
	assert.Nil(t, a.Summary.Declarations)
	assert.NotNil(t, b.Summary.Declarations)
	assert.Empty(t, b.Summary.Declarations)
	js, err := json.Marshal(a.Summary)
	require.NoError(t, err)
	assert.NotContains(t, string(js), "sovereignty")
	assert.NotContains(t, string(a.regionsCSV()), "sovereign")
	js, err = json.Marshal(b.Summary)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"declarations":[]`)
}

func TestSovereigntyDeclarationRecorded(t *testing.T) {
	rule := &SovereigntyRule{Elite: 0.05, Citizen: 0.1, Persist: 3}
	res, err := Run(context.Background(), sovConfig(rule), 3)
	require.NoError(t, err)
	require.Len(t, res.Summary.Declarations, 1, "only the hot region declares")
	d := res.Summary.Declarations[0]
	assert.Equal(t, "hot", d.Region)
	assert.GreaterOrEqual(t, d.Tick, rule.Persist-1)
	require.NotNil(t, d.HistoricalDate)
	assert.Equal(t, "1990-01-15", *d.HistoricalDate)
	require.NotNil(t, res.Summary.TimingErrorSovereigntyWeeks)
	require.NotNil(t, res.Summary.SpearmanSovereignty)
	// cold never declares: it is censored at the horizon, so the order is right.
	assert.InDelta(t, 1.0, *res.Summary.SpearmanSovereignty, 1e-12)
	n := 0
	for _, e := range res.Events {
		if e.Kind == EventSovereignty {
			n++
			assert.Equal(t, 0, e.Region)
			assert.Equal(t, d.Tick, e.Tick)
		}
	}
	assert.Equal(t, 1, n)
	csv := res.regionsCSV()
	assert.True(t, bytes.HasPrefix(csv, []byte("tick,date,region,role,loyal,defected,jailed,legitimacy,exited,sovereign\n")))
	last := res.Regions[len(res.Regions)-2]
	assert.True(t, last.Sovereign && last.Region == 0)
	assert.False(t, res.Regions[len(res.Regions)-1].Sovereign)
}

// TestSovereigntyConsequences: each consequence moves its variable the
// documented way (revenue, legitimacy in the region, detection there).
func TestSovereigntyConsequences(t *testing.T) {
	run := func(r SovereigntyRule) *Result {
		r.Elite, r.Citizen, r.Persist = 0.05, 0.1, 3
		res, err := Run(context.Background(), sovConfig(&r), 3)
		require.NoError(t, err)
		return res
	}
	base := run(SovereigntyRule{})
	last := len(base.Ticks) - 1
	withheld := run(SovereigntyRule{RevenueWithheld: 1})
	assert.Less(t, withheld.Ticks[last].Revenue, base.Ticks[last].Revenue, "revenue withheld")
	lost := run(SovereigntyRule{LegitimacyLoss: 0.9})
	g := len(lost.Regions) - 2 // hot, last tick
	assert.LessOrEqual(t, lost.Regions[g].Legitimacy, base.Regions[g].Legitimacy, "union legitimacy in the region")
	home := run(SovereigntyRule{ConscriptsHome: 1})
	assert.GreaterOrEqual(t, home.Ticks[last].Defected[0], base.Ticks[last].Defected[0], "fewer enforcers: no fewer open defectors")
	assert.NotEqual(t, fmt.Sprint(home.Ticks), fmt.Sprint(base.Ticks))
}

func TestSovereigntyValidate(t *testing.T) {
	c := sovConfig(&SovereigntyRule{Elite: 1.5, Persist: 0})
	c.History.Declarations["nowhere"] = DateOf(1990, 1, 1)
	err := c.Validate()
	require.Error(t, err)
	for _, f := range []string{"sovereignty.elite", "sovereignty.persist", "history.declarations.nowhere"} {
		assert.Contains(t, err.Error(), f)
	}
}
