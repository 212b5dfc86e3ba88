// Custom rule: give soldiers a decision rule written in Go and compare it
// with the built-in threshold rule on soviet1991. The rule here is a
// "bandwagon" rule: a soldier defects when the net utility clears the
// threshold, or, with a small probability, when it comes within a margin of
// it (a noisy near-miss). It draws only from the block's stream r, so runs
// stay reproducible for any worker count (checked by regimetest).
//
//	go run ./examples/customrule
package main

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// bandwagon is a user-defined decision rule (an agents.Decider).
type bandwagon struct {
	margin, p float64
}

// Decide reports whether the agent defects this tick.
func (b bandwagon) Decide(d agents.Decision, r *rand.Rand) bool {
	if d.U > d.Threshold {
		return true
	}
	return d.U > d.Threshold-b.margin && r.Float64() < b.p
}

func main() {
	cfg, err := scenarios.Load("soviet1991", "scale=0.25")
	if err != nil {
		log.Fatal(err)
	}
	m, err := regime.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	coup := cfg.TickOf(regime.DateOf(1991, 8, 19))
	fmt.Println("soldier rule                 P(collapse)  soldiers defected before coup  mean exits")
	for _, rule := range []struct {
		name string
		d    agents.Decider
	}{
		{"built-in threshold", nil},
		{"bandwagon (0.2, p=0.1)", bandwagon{margin: 0.2, p: 0.1}},
		{"bandwagon (0.4, p=0.3)", bandwagon{margin: 0.4, p: 0.3}},
	} {
		if err := m.SetDecider(agents.Soldier, rule.d); err != nil {
			log.Fatal(err)
		}
		const seeds = 5
		collapses, soldiers, exits := 0, 0.0, 0
		for s := uint64(1); s <= seeds; s++ {
			res, err := m.Run(context.Background(), s)
			if err != nil {
				log.Fatal(err)
			}
			if res.Summary.Collapsed {
				collapses++
			}
			soldiers += res.Ticks[coup-1].Defected[agents.Soldier]
			exits += len(res.Summary.Exits)
		}
		fmt.Printf("%-28s %11.2f  %28.1f%%  %10.1f\n", rule.name, float64(collapses)/seeds, 100*soldiers/seeds, float64(exits)/seeds)
	}
}
