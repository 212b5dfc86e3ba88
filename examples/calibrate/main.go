// Calibrate three shared parameters of soviet1991 (at a tenth of its
// agents) to the republics' exit dates with ABC-SMC, streaming each
// generation, then print the posterior and the posterior predictive check.
// The spec is small.yaml next to this file; soviet1991.yaml holds the 26
// shared parameters (turncoat calibrate examples/calibrate/soviet1991.yaml).
//
//	go run ./examples/calibrate [-spec FILE] [-particles N] [-out DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/turncoat-abm/turncoat/calibrate"
)

func main() {
	specFile := flag.String("spec", "examples/calibrate/small.yaml", "calibration spec")
	particles := flag.Int("particles", 20, "particles per generation")
	out := flag.String("out", "", "output directory (none: no files)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	spec, err := calibrate.Load(*specFile, fmt.Sprintf("particles=%d", *particles), "generations=2", "draws=50")
	if err != nil {
		log.Fatal(err)
	}
	res, err := calibrate.Run(ctx, spec, calibrate.Options{Dir: *out, Force: true,
		OnGeneration: func(g *calibrate.Generation) error {
			fmt.Printf("generation %d: tolerance %5.2f weeks, acceptance %.2f, ESS %4.1f\n",
				g.Index, g.Tolerance, float64(g.Accepted)/float64(g.Attempts), g.ESS)
			return nil
		}})
	if err != nil {
		log.Fatal(err)
	}
	s := res.Summary
	fmt.Printf("\n%-34s %15s %8s %19s\n", "parameter", "prior", "median", "90% interval")
	for _, p := range s.Parameters {
		fmt.Printf("%-34s [%5.2f, %5.2f] %8.3f [%7.3f, %7.3f]\n", p.Name, p.Prior[0], p.Prior[1], p.Median, p.Q05, p.Q95)
	}
	pr := s.Predictive
	fmt.Printf("\n%d runs; predictive check over %d draws: %d of %d exit dates inside their 90%% intervals\n",
		s.Runs, pr.Draws, pr.CoveredFitted, pr.Fitted)
	fmt.Printf("Spearman %.2f [%.2f, %.2f], timing error %.1f [%.1f, %.1f] weeks, P(collapse) %.2f\n",
		pr.Spearman.Median, pr.Spearman.Q05, pr.Spearman.Q95,
		pr.TimingErrorWeeks.Median, pr.TimingErrorWeeks.Q05, pr.TimingErrorWeeks.Q95, pr.Collapse)
	for _, b := range s.Baselines {
		if b.TimingErrorWeeks != nil {
			fmt.Printf("baseline %-10s timing error %.2f weeks\n", b.Name, *b.TimingErrorWeeks)
		}
	}
}
