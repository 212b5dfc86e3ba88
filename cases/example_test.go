package cases_test

import (
	"fmt"

	"github.com/turncoat-abm/turncoat/cases"
)

// A case table of one's own: the required columns, one row. The mapping
// turns the indicators into the model's inputs.
func ExampleMapping_Build() {
	table := []byte(`case,country,onset,population_m,armed_forces_k,gdp_pc,fuel_rents_pct,core_group,core_share_pct,officer_core,parallel_k,military_economy,protest_peak_pct,first_response
ruritania2024,Ruritania,2024-03-01,12,60,8000,10,highlanders,8,dominant,15,minor,2,lethal
`)
	t, err := cases.Parse("mine.csv", table)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := cases.DefaultMapping()
	cfg, err := m.Build(t.Cases[0].Inputs)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Name, cfg.Start, cfg.Ticks)
	fmt.Println("stacking", cfg.Population.Stacking, "parallel forces", cfg.Regime.ParallelForces)
	fmt.Println("starting repression", cfg.Regime.Repression, "enterprise rents", cfg.Regime.EnterpriseRents)
	// Output:
	// ruritania2024 2024-02-16 32
	// stacking 0.45 parallel forces 0.25
	// starting repression 0.5 enterprise rents 0.1
}

// A bad row is reported with its file, line and column.
func ExampleParse_error() {
	table := []byte(`case,country,onset,population_m,armed_forces_k,gdp_pc,fuel_rents_pct,officer_core,parallel_k,military_economy,protest_peak_pct,first_response
x,X,2024-03-01,12,60,8000,10,none,15,huge,2,lethal
`)
	_, err := cases.Parse("mine.csv", table)
	fmt.Println(err)
	// Output:
	// mine.csv:2: column military_economy: unknown category "huge"; want one of none, minor, extensive
}
