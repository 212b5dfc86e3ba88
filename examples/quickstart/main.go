// Quickstart: load the built-in soviet1991 scenario, run it with a seed and
// print when each republic left the union, beside the historical date.
//
//	go run ./examples/quickstart
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
	cfg, err := scenarios.Load("soviet1991")
	if err != nil {
		log.Fatal(err)
	}
	res, err := regime.Run(context.Background(), cfg, 1)
	if err != nil {
		log.Fatal(err)
	}
	// Optional values (dates, scores without history) are read with the
	// ...Value methods, which return (value, ok) and never panic.
	fmt.Printf("%-13s %5s %-11s %-11s\n", "republic", "week", "simulated", "historical")
	for _, e := range res.Summary.Exits {
		sim, _ := e.DateValue()
		hist, ok := e.HistoricalDateValue()
		if !ok {
			hist = "—"
		}
		fmt.Printf("%-13s %5d %-11s %-11s\n", e.Region, e.Tick, sim, hist)
	}
	if tick, ok := res.Summary.CollapseTickValue(); ok {
		date, _ := res.Summary.CollapseDateValue()
		fmt.Printf("union collapses in week %d (%s)\n", tick, date)
	}
	if rho, ok := res.Summary.SpearmanVsHistoryValue(); ok {
		errw, _ := res.Summary.TimingErrorWeeksValue()
		fmt.Printf("Spearman vs history %.2f, timing error %.1f weeks\n", rho, errw)
	}

	// The time series: defected share of soldiers every 13 weeks (roles are
	// indexed by the typed constants agents.Citizen, Soldier, Elite).
	for _, t := range res.Ticks {
		if t.Tick%13 == 0 {
			fmt.Printf("%s soldiers defected %.1f%%\n", t.Date, 100*t.Defected[agents.Soldier])
		}
	}
}
