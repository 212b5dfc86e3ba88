package regime_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// ExampleNewRegion builds regions in Go with the same defaults as YAML.
func ExampleNewRegion() {
	cfg := regime.DefaultConfig()
	cfg.Regions = []regime.Region{
		regime.NewRegion("Capital", 3, 0.7),
		regime.NewRegion("North", 2, 0.4, regime.WithRevenueFactor(0.5)),
	}
	n := cfg.Regions[1]
	fmt.Println(n.RevenueFactor, n.HardshipFactor, n.DraftCompliance, n.ParallelFactor, cfg.Validate())
	// Output: 0.5 1 1 1 <nil>
}

// ExampleConfig_Set changes fields by path, as --set does.
func ExampleConfig_Set() {
	cfg := regime.DefaultConfig()
	if err := cfg.Set("regime.repression", 0.8); err != nil {
		panic(err)
	}
	if err := cfg.Set("regions.all.legitimacy", "0.3"); err != nil {
		panic(err)
	}
	fmt.Println(cfg.Regime.Repression, cfg.Regions[0].Legitimacy)
	fmt.Println(cfg.Set("regime.surveilance", 0.5))
	// Output:
	// 0.8 0.3
	// --set regime.surveilance=0.5: regime.surveilance: unknown field (did you mean "surveillance"?)
}

// ExampleModel_SetDecider gives soldiers a user-defined decision rule: they
// defect as soon as the net utility comes within 0.2 of the threshold.
func ExampleModel_SetDecider() {
	cfg, _ := scenarios.Load("soviet1991", "ticks=90", "scale=0.25")
	m, err := regime.New(cfg)
	if err != nil {
		panic(err)
	}
	eager := agents.DecideFunc(func(d agents.Decision, _ *rand.Rand) bool {
		return d.U > d.Threshold-0.2
	})
	before := cfg.TickOf(regime.DateOf(1991, 8, 12))
	for _, rule := range []agents.Decider{nil, eager} { // nil: the built-in rule
		if err := m.SetDecider(agents.Soldier, rule); err != nil {
			panic(err)
		}
		res, _ := m.Run(context.Background(), 1)
		fmt.Printf("soldiers defected on 1991-08-12: %.1f%%\n", 100*res.Ticks[before].Defected[agents.Soldier])
	}
	// Output:
	// soldiers defected on 1991-08-12: 0.1%
	// soldiers defected on 1991-08-12: 0.3%
}

// ExampleModel_SetPolicy gives the regime a reactive policy written in Go:
// a pay rise while more than 2% of soldiers defect.
func ExampleModel_SetPolicy() {
	cfg, _ := scenarios.Load("soviet1991", "scale=0.25")
	m, err := regime.New(cfg)
	if err != nil {
		panic(err)
	}
	m.SetPolicy(regime.PolicyFunc(func(v regime.View, in *regime.Instruments) error {
		if v.Share(agents.Soldier) > 0.02 {
			in.Pay = 1.5
		}
		return nil
	}))
	res, _ := m.Run(context.Background(), 1)
	fmt.Println("collapsed:", res.Summary.Collapsed, "exits:", len(res.Summary.Exits))
	// Output: collapsed: true exits: 15
}

// ExampleModel_SetObserver computes a custom metric every tick without
// copying the state: the highest citizen defected share of any region still in the union.
func ExampleModel_SetObserver() {
	cfg, _ := scenarios.Load("soviet1991", "ticks=90", "scale=0.25")
	m, err := regime.New(cfg)
	if err != nil {
		panic(err)
	}
	peak := 0.0
	m.SetObserver(func(v regime.View) error {
		for g := range v.Regions() {
			if !v.Exited(g) { // an exited region's agents count as defected
				peak = max(peak, v.RegionShare(agents.Citizen, g))
			}
		}
		return nil
	})
	if _, err := m.Run(context.Background(), 1); err != nil {
		panic(err)
	}
	fmt.Printf("peak regional protest share: %.2f\n", peak)
	// Output: peak regional protest share: 0.80
}
