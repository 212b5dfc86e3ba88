package cases_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

const header = "case,country,onset,population_m,armed_forces_k,gdp_pc,fuel_rents_pct,core_group,core_share_pct,officer_core,parallel_k,military_economy,protest_peak_pct,first_response,military_response"

// row is a valid row for header; edits replace "column=value" pairs.
func row(edits ...string) string {
	vals := map[string]string{"case": "a", "country": "Aland", "onset": "2001-02-03", "population_m": "10", "armed_forces_k": "50",
		"gdp_pc": "5000", "fuel_rents_pct": "0", "core_group": "", "core_share_pct": "", "officer_core": "none", "parallel_k": "5",
		"military_economy": "none", "protest_peak_pct": "1", "first_response": "arrests", "military_response": "loyal"}
	for _, e := range edits {
		k, v, _ := strings.Cut(e, "=")
		vals[k] = v
	}
	var out []string
	for _, h := range strings.Split(header, ",") {
		out = append(out, vals[h])
	}
	return strings.Join(out, ",")
}

// TestParseErrors: a bad row gets an error naming the file, the line and
// the column.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"missing column", strings.Replace(header, ",gdp_pc", "", 1) + "\n", "t.csv:1: column gdp_pc: missing column (required)"},
		{"unknown column", header + ",gdp_pcc\n", `t.csv:1: column gdp_pcc: unknown column (did you mean "gdp_pc"?)`},
		{"missing value", header + "\n" + row() + "\n" + row("case=b", "armed_forces_k=") + "\n", "t.csv:3: column armed_forces_k: missing value (required)"},
		{"not a number", header + "\n" + row("gdp_pc=lots") + "\n", `t.csv:2: column gdp_pc: want a number, got "lots"`},
		{"out of range", header + "\n" + row("fuel_rents_pct=120") + "\n", "t.csv:2: column fuel_rents_pct: 120 out of range [0, 100]"},
		{"zero population", header + "\n" + row("population_m=0") + "\n", "t.csv:2: column population_m: 0 out of range (0, inf)"},
		{"unknown category", header + "\n" + row("officer_core=dominnt", "core_group=x", "core_share_pct=5") + "\n", `t.csv:2: column officer_core: unknown category "dominnt" (did you mean "dominant"?)`},
		{"unknown outcome", header + "\n" + row("military_response=neutral") + "\n", `t.csv:2: column military_response: unknown category "neutral"`},
		{"bad date", header + "\n" + row("onset=2001-13-01") + "\n", "t.csv:2: column onset: want a date YYYY-MM-DD"},
		{"duplicate case", header + "\n" + row() + "\n" + row() + "\n", `t.csv:3: column case: duplicate case "a" (first on line 2)`},
		{"stacking without a core group", header + "\n" + row("officer_core=partial") + "\n", `t.csv:2: column officer_core: "partial" needs a core group`},
		{"a majority core group", header + "\n" + row("core_group=x", "core_share_pct=60") + "\n", "t.csv:2: column core_share_pct: 60 out of range [0, 50]"},
		{"field count", header + "\n" + row() + ",extra\n", "t.csv:2: want 15 fields"},
		{"no rows", header + "\n", "t.csv:2: no cases"},
		{"empty", "", "t.csv:1: empty file"},
		{"bad case name", header + "\n" + row("case=Big Case") + "\n", `t.csv:2: column case: "Big Case": a case name is lowercase`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cases.Parse("t.csv", []byte(tc.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var ce *cases.Error
			assert.True(t, errors.As(err, &ce), "an error locating the problem")
		})
	}
	// every problem of a table at once
	_, err := cases.Parse("t.csv", []byte(header+"\n"+row("gdp_pc=x")+"\n"+row("case=b", "onset=")+"\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.csv:2: column gdp_pc")
	assert.Contains(t, err.Error(), "t.csv:3: column onset")
}

// TestAlternativeErrors: an alternative coding is checked like the value
// it replaces and reported under its own column.
func TestAlternativeErrors(t *testing.T) {
	h := header + ",core_share_lo,core_share_hi,excluded_share_pct,excluded_share_alt"
	r := row("core_group=x", "core_share_pct=30") + ",20,45,60,75"
	_, err := cases.Parse("t.csv", []byte(h+"\n"+r+"\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.csv:2: column excluded_share_alt: with excluded_share_pct = 75 in place of 60")
	assert.Contains(t, err.Error(), "t.csv:2: column core_share_hi: with core_share_pct = 45 in place of 30")
	r = row("core_group=x", "core_share_pct=30") + ",35,30,60,"
	_, err = cases.Parse("t.csv", []byte(h+"\n"+r+"\n"))
	assert.ErrorContains(t, err, "t.csv:2: column core_share_lo: 35 above the value of core_share_pct (30)")
}

func parse(t *testing.T, rows ...string) *cases.Table {
	t.Helper()
	tab, err := cases.Parse("t.csv", []byte(header+"\n"+strings.Join(rows, "\n")+"\n"))
	require.NoError(t, err)
	return tab
}

// TestBuildRoundTrip: every case's scenario file decodes to exactly the
// config Build returns, for every row of the embedded table.
func TestBuildRoundTrip(t *testing.T) {
	tab, err := scenarios.Uprisings()
	require.NoError(t, err)
	m := cases.DefaultMapping()
	for i := range tab.Cases {
		c := &tab.Cases[i]
		want, err := m.Build(c.Inputs)
		require.NoError(t, err, c.Name())
		y, err := m.YAML(tab, c)
		require.NoError(t, err)
		got, err := scenarios.Parse(c.Name()+".yaml", y)
		require.NoError(t, err, "%s:\n%s", c.Name(), y)
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(got)
		assert.JSONEq(t, string(a), string(b), c.Name())
		assert.Empty(t, got.History, "%s: the file carries no outcome", c.Name())
	}
}

// TestMapping checks the documented formulas on one row.
func TestMapping(t *testing.T) {
	tab := parse(t, row("core_group=clan", "core_share_pct=10", "officer_core=dominant", "fuel_rents_pct=40",
		"gdp_pc=2500", "parallel_k=20", "protest_peak_pct=10", "first_response=massacre", "military_economy=extensive"))
	m := cases.DefaultMapping()
	cfg, err := m.Build(tab.Cases[0].Inputs)
	require.NoError(t, err)
	assert.Equal(t, "2001-01-20", cfg.Start.String(), "two weeks before the onset")
	assert.Equal(t, m.LeadWeeks+m.HorizonWeeks, cfg.Ticks)
	assert.Equal(t, m.Stacking[2], cfg.Population.Stacking)
	assert.Equal(t, m.EliteStacking[2], cfg.Population.EliteStacking)
	assert.Equal(t, "clan", cfg.Population.CoreGroup)
	assert.InDelta(t, 0.4, cfg.Regime.ParallelForces, 1e-12, "20k / 50k")
	assert.Equal(t, m.EnterpriseRents[2], cfg.Regime.EnterpriseRents)
	assert.Equal(t, m.Repression[3], cfg.Regime.Repression)
	assert.InDelta(t, m.EliteRentsBase+0.4*m.EliteRentsPerRent, cfg.Regime.EliteRents, 1e-3)
	assert.InDelta(t, m.ReservesBase+0.4*m.ReservesPerRent, cfg.Regime.Reserves, 1e-3)
	assert.InDelta(t, 1+m.HardshipSlope*math.Log(4), cfg.Regions[0].HardshipFactor, 1e-3, "GDP per head a quarter of the reference")
	assert.InDelta(t, m.OnsetScale-m.OnsetSlope, cfg.Shocks[0].Scale["regime.legitimacy"], 1e-3, "10% of the population: one decade above 1%")
	soldiers := math.Round(float64(m.Citizens) * 5 * m.SoldiersPerForce) // 50k / 10m = 5 per 1,000
	assert.InDelta(t, soldiers/10, cfg.Roles.Soldier.PerMillion, 0.01)
	require.Len(t, cfg.Groups, 2)
	assert.Equal(t, regime.Group{Name: "clan", Alignment: m.CoreAlignment}, cfg.Groups[0])
	assert.Equal(t, regime.Group{Name: "rest", Alignment: m.RestAlignment}, cfg.Groups[1])

	// more soldiers per head, more soldier agents; no core group, no stacking
	tab = parse(t, row("armed_forces_k=100"), row("case=b", "armed_forces_k=200"))
	a, err := m.Build(tab.Cases[0].Inputs)
	require.NoError(t, err)
	b, err := m.Build(tab.Cases[1].Inputs)
	require.NoError(t, err)
	assert.Greater(t, b.Roles.Soldier.PerMillion, a.Roles.Soldier.PerMillion)
	assert.Zero(t, a.Population.Stacking)
	assert.Equal(t, []regime.Group{{Name: "all", Alignment: m.RestAlignment}}, a.Groups)
}

// TestMonotone: within the documented ranges, more of an instrument never
// lowers the input it maps to.
func TestMonotone(t *testing.T) {
	m := cases.DefaultMapping()
	for _, arr := range [][]float64{m.Stacking[:], m.EliteStacking[:], m.EnterpriseRents[:], m.Repression[:]} {
		for i := 1; i < len(arr); i++ {
			assert.GreaterOrEqual(t, arr[i], arr[i-1])
		}
	}
	prev := math.Inf(1)
	for _, pct := range []string{"0.1", "1", "5", "20"} {
		tab := parse(t, row("protest_peak_pct="+pct))
		cfg, err := m.Build(tab.Cases[0].Inputs)
		require.NoError(t, err)
		s := cfg.Shocks[0].Scale["regime.legitimacy"]
		assert.LessOrEqual(t, s, prev, "a larger uprising is a larger shock to legitimacy")
		prev = s
	}
}

// TestSupportShocks: outside support arrives on its date, or is in place
// from the start when undated; a date before the window is an error.
func TestSupportShocks(t *testing.T) {
	h := header + ",foreign_troops_pct,foreign_troops_date,foreign_funds_pct,foreign_funds_date"
	tab, err := cases.Parse("t.csv", []byte(h+"\n"+row()+",20,2001-03-01,10,\n"))
	require.NoError(t, err)
	m := cases.DefaultMapping()
	cfg, err := m.Build(tab.Cases[0].Inputs)
	require.NoError(t, err)
	require.Len(t, cfg.Shocks, 2)
	assert.Equal(t, "foreign-troops", cfg.Shocks[1].Name)
	assert.Equal(t, 0.2, cfg.Shocks[1].Set["regime.foreign_forces"])
	assert.Equal(t, 0.1, cfg.Regime.ExternalFunds, "undated funds are in place before the onset")
	tab, err = cases.Parse("t.csv", []byte(h+"\n"+row()+",20,1999-03-01,,\n"))
	require.NoError(t, err)
	_, err = m.Build(tab.Cases[0].Inputs)
	assert.ErrorContains(t, err, "column foreign_troops_date: 1999-03-01 is before the simulated window")
	_, err = cases.Parse("t.csv", []byte(h+"\n"+row()+",,2001-03-01,,\n"))
	assert.ErrorContains(t, err, "t.csv:2: column foreign_troops_date: a date for no support")
}

// TestVariant: an alternative coding changes the one column, and an empty
// or equal alternative changes nothing.
func TestVariant(t *testing.T) {
	h := header + ",officer_core_alt,parallel_k_lo,parallel_k_hi"
	tab, err := cases.Parse("t.csv", []byte(h+"\n"+row("core_group=x", "core_share_pct=10", "officer_core=partial")+",dominant,,5\n"))
	require.NoError(t, err)
	c := &tab.Cases[0]
	v, changed := c.Variant(cases.Alternative{Column: "officer_core", From: "officer_core_alt"})
	assert.True(t, changed)
	assert.Equal(t, 2, v.OfficerCore)
	v.OfficerCore = c.Inputs.OfficerCore
	assert.Equal(t, c.Inputs, v, "only officer_core changes")
	_, changed = c.Variant(cases.Alternative{Column: "parallel_k", From: "parallel_k_lo"})
	assert.False(t, changed, "empty alternative")
	_, changed = c.Variant(cases.Alternative{Column: "parallel_k", From: "parallel_k_hi"})
	assert.False(t, changed, "alternative equal to the value")
	for _, a := range cases.Alternatives {
		assert.Contains(t, cases.Columns(), a.Column)
		assert.Contains(t, cases.Columns(), a.From)
	}
}

// TestReadmeDocumentsEveryColumn: the data README gives every column of
// the schema its source and coding rule.
func TestReadmeDocumentsEveryColumn(t *testing.T) {
	b, err := os.ReadFile("../scenarios/data/README.md")
	require.NoError(t, err)
	var missing []string
	for _, c := range cases.Columns() {
		if !strings.Contains(string(b), "`"+c+"`") {
			missing = append(missing, c)
		}
	}
	assert.Empty(t, missing, "columns without a source and coding rule in scenarios/data/README.md")
}
