// Policy comparison: does the regime keep its soldiers with pay or with
// repression? Runs soviet1991 over a small grid of pay and repression levels
// (10 seeds each) and prints the share of runs in which the union collapses,
// the mean week of collapse, and the mean soldier defection before the coup.
//
//	go run ./examples/policy
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

func main() {
	base, err := scenarios.Load("soviet1991")
	if err != nil {
		log.Fatal(err)
	}
	coup := base.TickOf(regime.DateOf(1991, 8, 19))
	fmt.Println("pay  repression  P(collapse)  mean collapse week  soldiers defected before coup")
	for _, pay := range []float64{0.8, 1.0, 1.3} {
		for _, rep := range []float64{0.3, 0.6, 0.9} {
			cfg := base // Config is a value: change fields directly
			cfg.Regime.Pay, cfg.Regime.Repression = pay, rep
			m, err := regime.New(cfg)
			if err != nil {
				log.Fatal(err)
			}
			collapses, weeks, soldiers := 0, 0, 0.0
			const seeds = 10
			for s := uint64(1); s <= seeds; s++ {
				res, err := m.Run(context.Background(), s)
				if err != nil {
					log.Fatal(err)
				}
				if tick, ok := res.Summary.CollapseTickValue(); ok {
					collapses++
					weeks += tick
				}
				soldiers += res.Ticks[coup-1].Defected[agents.Soldier]
			}
			mean := "—"
			if collapses > 0 {
				mean = fmt.Sprintf("%.1f", float64(weeks)/float64(collapses))
			}
			fmt.Printf("%.1f  %10.1f  %11.2f  %18s  %28.2f%%\n", pay, rep, float64(collapses)/seeds, mean, 100*soldiers/seeds)
		}
	}
}
