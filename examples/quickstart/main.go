// Quickstart: load the built-in soviet1991 scenario, run it with a seed and
// print when each republic left the union, beside the historical date.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

func main() {
	cfg, err := scenarios.Load("soviet1991")
	if err != nil {
		log.Fatal(err)
	}
	res, err := regime.Run(context.Background(), cfg, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%-13s %5s %-11s %-11s\n", "republic", "week", "simulated", "historical")
	for _, e := range res.Summary.Exits {
		fmt.Printf("%-13s %5d %-11s %-11s\n", e.Region, e.Tick, *e.Date, *e.HistoricalDate)
	}
	if s := res.Summary; s.Collapsed {
		fmt.Printf("union collapses in week %d (%s)\n", *s.CollapseTick, *s.CollapseDate)
	}
	fmt.Printf("Spearman vs history %.2f, timing error %.1f weeks\n",
		*res.Summary.SpearmanVsHistory, *res.Summary.TimingErrorWeeks)

	// The time series: defected share of soldiers every 13 weeks.
	for _, t := range res.Ticks {
		if t.Tick%13 == 0 {
			fmt.Printf("%s soldiers defected %.1f%%\n", t.Date, 100*t.Defected[1])
		}
	}
}
