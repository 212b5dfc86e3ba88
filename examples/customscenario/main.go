// Custom scenario: build a three-province country in Go (no YAML), with a
// protest wave as a scheduled shock, and run it.
//
//	go run ./examples/customscenario
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

func main() {
	cfg := regime.DefaultConfig()
	cfg.Name = "three-provinces"
	cfg.Description = "a capital and two provinces; a price shock in week 20"
	cfg.Ticks = 78
	cfg.Groups = []regime.Group{{Name: "core", Alignment: 0.7}, {Name: "periphery", Alignment: 0.35}}
	cfg.Population.CoreGroup = "core"
	cfg.Population.Stacking = 0.6 // most soldiers come from the core group

	// NewRegion fills the optional fields' defaults as YAML does.
	cfg.Regions = []regime.Region{
		regime.NewRegion("Capital", 8, 0.75, regime.WithGroups(map[string]float64{"core": 0.8})),
		regime.NewRegion("North", 4, 0.45, regime.WithGroups(map[string]float64{"core": 0.1})),
		regime.NewRegion("South", 5, 0.55, regime.WithGroups(map[string]float64{"core": 0.3})),
	}

	cfg.Regime.Repression = 0.4
	cfg.Regime.Surveillance = 0.7
	week := 20
	cfg.Shocks = []regime.Shock{{
		Name:     "price shock",
		Tick:     &week,
		Duration: 12,
		Set:      map[string]float64{"regime.hardship": 0.8},
		Scale:    map[string]float64{"regime.legitimacy": 0.8},
	}}

	res, err := regime.Run(context.Background(), cfg, 42)
	if err != nil {
		log.Fatal(err) // Validate's errors name the field: "regions[1].legitimacy: ..."
	}
	fmt.Println("week  citizens  soldiers  elites  exited")
	for _, t := range res.Ticks {
		if t.Tick%6 == 0 || t.Tick == len(res.Ticks)-1 {
			fmt.Printf("%4d  %7.1f%%  %7.1f%%  %5.1f%%  %d\n", t.Tick,
				100*t.Defected[agents.Citizen], 100*t.Defected[agents.Soldier], 100*t.Defected[agents.Elite], t.Exited)
		}
	}
	for _, e := range res.Events {
		if e.Kind == regime.EventExit || e.Kind == regime.EventCollapse || e.Kind == regime.EventShockStart {
			where := ""
			if e.Region >= 0 {
				where = cfg.Regions[e.Region].Name
			}
			fmt.Printf("week %d: %s %s %s\n", e.Tick, e.Kind, where, e.Detail)
		}
	}
}
