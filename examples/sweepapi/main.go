// Sweep API: define a sweep in Go, run it with a context and consume the
// rows and per-point statistics as they stream (no files). Here: how the
// probability of collapse in soviet1991 falls as parallel forces grow.
//
//	go run ./examples/sweepapi
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/turncoat-abm/turncoat/sweep"
)

func main() {
	spec, err := sweep.Parse("inline.yaml", []byte(`
scenario: soviet1991
set: {ticks: 104}
parameters:
  - {name: regime.parallel_forces, values: [0, 0.5, 1, 2]}
sampler: grid
replicates: 4
seed: 1
outputs: [collapsed, exits, final_share.soldier]
`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("parallel forces  P(collapse)  95% CI          mean exits  soldiers defected")
	_, err = sweep.Run(context.Background(), spec, sweep.Options{
		OnPoint: func(p sweep.PointStats) error {
			c, e, s := p.Stats[0], p.Stats[1], p.Stats[2]
			fmt.Printf("%15.1f  %11.2f  [%.2f, %.2f]  %10.1f  %16.1f%%\n", p.Params[0], c.Mean, c.Lo, c.Hi, e.Mean, 100*s.Mean)
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
}
