package regime_test

import (
	"context"
	"fmt"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// ExampleRun loads the built-in Soviet scenario, runs it and reads the
// summary and the time series.
func ExampleRun() {
	cfg, err := scenarios.Load("soviet1991")
	if err != nil {
		panic(err)
	}
	res, err := regime.Run(context.Background(), cfg, 1)
	if err != nil {
		panic(err)
	}
	s := res.Summary
	first, _ := s.Exits[0].DateValue() // optional values: (value, ok)
	last, _ := s.Exits[len(s.Exits)-1].DateValue()
	collapse, _ := s.CollapseDateValue()
	fmt.Println("first exit:", s.Exits[0].Region, first)
	fmt.Println("last exit: ", s.Exits[len(s.Exits)-1].Region, last)
	fmt.Println("collapse:  ", collapse)
	before := res.Ticks[cfg.TickOf(regime.DateOf(1991, 8, 12))]
	fmt.Printf("soldiers defected on %s: %.1f%%\n", before.Date, 100*before.Defected[agents.Soldier])
	// Output:
	// first exit: Georgia 1991-08-26
	// last exit:  Russia 1991-12-23
	// collapse:   1991-12-23
	// soldiers defected on 1991-08-12: 0.1%
}

// ExampleConfig builds a scenario in Go from the defaults and changes an
// instrument; Validate names any bad field.
func ExampleConfig() {
	cfg := regime.DefaultConfig()
	cfg.Regime.ParallelForces = 0.3 // praetorian guard: 30% of the army's size
	cfg.Regime.Repression = 1.5     // out of range
	fmt.Println(cfg.Validate())
	// Output: regime.repression: must be in [0,1], got 1.5
}

// ExampleModel_Run reuses one model for several seeds, as a sweep would.
func ExampleModel_Run() {
	cfg, _ := scenarios.Load("soviet1991", "ticks=90")
	m, err := regime.New(cfg)
	if err != nil {
		panic(err)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		res, _ := m.Run(context.Background(), seed)
		fmt.Printf("seed %d: %d republics out by week 90\n", seed, len(res.Summary.Exits))
	}
	// Output:
	// seed 1: 10 republics out by week 90
	// seed 2: 10 republics out by week 90
	// seed 3: 10 republics out by week 90
}
