// Policy comparison: does the regime keep its soldiers with pay or with
// repression? Runs soviet1991 over a small grid of pay and repression levels
// (10 seeds each) and prints the share of runs in which the union collapses,
// the mean week of collapse, and the mean soldier defection before the coup.
// Then it gives the regime a reactive policy written in Go (a regime.Policy
// that reads the state between ticks and sets the instruments) and compares
// it with the static scenario.
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
	compareReactive(base)
}

// reactive is a regime policy written in Go: it cracks down while citizens
// protest above Tolerance, and raises soldiers' pay (while reserves last)
// once soldiers start to defect. Its choice lasts one tick; the model asks
// again before every tick.
type reactive struct {
	Tolerance, Crackdown, PayRaise float64
}

// Decide sets this tick's instruments from the state at the end of the last
// tick.
func (p reactive) Decide(v regime.View, in *regime.Instruments) error {
	if v.Share(agents.Citizen) > p.Tolerance {
		in.Repression = max(in.Repression, p.Crackdown)
	}
	if v.Share(agents.Soldier) > 0.01 && v.Reserves() > 0 {
		in.Pay += p.PayRaise
	}
	return nil
}

// compareReactive runs the scenario with and without the reactive policy.
func compareReactive(base regime.Config) {
	m, err := regime.New(base)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	fmt.Println("policy                         P(collapse)  mean collapse week  mean exits")
	for _, p := range []struct {
		name string
		pol  regime.Policy
	}{
		{"static (scenario)", nil},
		{"crackdown 0.9 above 5%", reactive{Tolerance: 0.05, Crackdown: 0.9}},
		{"crackdown + pay raise 0.5", reactive{Tolerance: 0.05, Crackdown: 0.9, PayRaise: 0.5}},
	} {
		m.SetPolicy(p.pol)
		const seeds = 5
		collapses, weeks, exits := 0, 0, 0
		for s := uint64(1); s <= seeds; s++ {
			res, err := m.Run(context.Background(), s)
			if err != nil {
				log.Fatal(err)
			}
			if tick, ok := res.Summary.CollapseTickValue(); ok {
				collapses++
				weeks += tick
			}
			exits += len(res.Summary.Exits)
		}
		mean := "—"
		if collapses > 0 {
			mean = fmt.Sprintf("%.1f", float64(weeks)/float64(collapses))
		}
		fmt.Printf("%-30s %11.2f  %18s  %10.1f\n", p.name, float64(collapses)/seeds, mean, float64(exits)/seeds)
	}
}
