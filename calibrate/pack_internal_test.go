package calibrate

import (
	"bytes"
	"testing"

	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// At the shipped mapping, the pack's cases are built exactly as the
// shipped arabspring2011 scenario files.
func TestPackBuildsShippedScenarios(t *testing.T) {
	pk, err := loadPack("arabspring2011", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pk.cases) != 6 {
		t.Fatalf("%d cases, want 6", len(pk.cases))
	}
	cfgs, err := pk.configs(&pk.mapping)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cfgs {
		want, err := scenarios.Load(pk.cases[i].name)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := c.YAML()
		b, _ := want.YAML()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: built scenario differs from the shipped file", pk.cases[i].name)
		}
		if c.History.Outcome != want.History.Outcome || c.History.Outcome == "" {
			t.Errorf("%s: history %q, shipped %q", pk.cases[i].name, c.History.Outcome, want.History.Outcome)
		}
	}
	// Build and the YAML path agree, also away from the shipped mapping.
	m2, err := pk.withParams([]string{"mapping.soldiers_per_force", "mapping.onset_scale"}, []float64{0.0371, 0.61234567})
	if err != nil {
		t.Fatal(err)
	}
	fast, err := pk.configs(&m2)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := pk.configsYAML(&m2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range fast {
		a, _ := fast[i].YAML()
		b, _ := slow[i].YAML()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: Build and the YAML path differ", pk.cases[i].name)
		}
	}
	// A mapping parameter reaches the built scenarios.
	m, err := pk.withParams([]string{"mapping.soldiers_per_force", "roles.soldier.threshold.mean"}, []float64{0.06, 0.4})
	if err != nil {
		t.Fatal(err)
	}
	if m.SoldiersPerForce != 0.06 || m.Base.Roles.Soldier.Threshold.Mean != 0.4 || pk.mapping.SoldiersPerForce == 0.06 {
		t.Fatalf("withParams: %v %v (base mapping %v)", m.SoldiersPerForce, m.Base.Roles.Soldier.Threshold.Mean, pk.mapping.SoldiersPerForce)
	}
	moved, err := pk.configs(&m)
	if err != nil {
		t.Fatal(err)
	}
	if moved[0].Roles.Soldier.Threshold.Mean != 0.4 || moved[0].Roles.Soldier.PerMillion == cfgs[0].Roles.Soldier.PerMillion {
		t.Errorf("mapping values did not reach the scenario: threshold %v, soldiers %v vs %v", moved[0].Roles.Soldier.Threshold.Mean, moved[0].Roles.Soldier.PerMillion, cfgs[0].Roles.Soldier.PerMillion)
	}
}

func TestSnakeAndMajority(t *testing.T) {
	for in, want := range map[string]string{"SoldiersPerForce": "soldiers_per_force", "HardshipGDP": "hardship_gdp", "OnsetScale": "onset_scale", "LeadWeeks": "lead_weeks"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%s) = %s, want %s", in, got, want)
		}
	}
	var m cases.Mapping
	if err := setMapping(&m, "mapping.hardship_gdp", 5); err != nil || m.HardshipGDP != 5 {
		t.Errorf("setMapping hardship_gdp: %v, %v", err, m.HardshipGDP)
	}
	if err := setMapping(&m, "mapping.nosuch", 5); err == nil {
		t.Error("setMapping accepted an unknown field")
	}
	d, s, l := regime.OutcomeDefected, regime.OutcomeSplit, regime.OutcomeLoyal
	cases := []struct {
		train []regime.Outcome
		obs   regime.Outcome
		want  float64
	}{
		{[]regime.Outcome{d, d, s}, d, 1},
		{[]regime.Outcome{d, d, s}, s, 0},
		{[]regime.Outcome{d, s, l}, l, 1.0 / 3},
		{[]regime.Outcome{d, d, s, s, l}, l, 0}, // leave-one-out on the 2011 six: never right
		{nil, d, 0},
	}
	for _, c := range cases {
		if got := majority(c.train, c.obs); got != c.want {
			t.Errorf("majority(%v, %s) = %v, want %v", c.train, c.obs, got, c.want)
		}
	}
}
