package regime_test

import (
	"context"
	"fmt"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

// ExampleModes lets the default province's people leave through a leaky,
// guarded border, opens the border by a shock after a year (a neighbour
// opening its side, as Hungary did in September 1989), and reads the
// emigrants and the final shares by mode.
func ExampleModes() {
	cfg := regime.DefaultConfig()
	md := regime.DefaultModes()
	md.Exit.Enabled = true
	md.Exit.Welcome = 1
	md.Exit.Rate = 0.02 // a would-be emigrant gets a chance about once in a year
	cfg.Modes = &md
	cfg.Regime.BorderOpen = 0.05
	cfg.Regime.BorderControl = 0.8
	cfg.Regime.BorderLethality = 0.2
	cfg.Regime.Welcome = 1
	cfg.Regions[0].Legitimacy = 0.65
	at := 52
	cfg.Shocks = []regime.Shock{{Name: "the border opens", Tick: &at, Set: map[string]float64{"regime.border_open": 0.6}}}
	res, err := regime.Run(context.Background(), cfg, 1)
	if err != nil {
		panic(err)
	}
	before, after := 0.0, 0.0
	for _, t := range res.Ticks {
		if t.Tick < at {
			before += t.Emigrants
		} else {
			after += t.Emigrants
		}
	}
	fmt.Printf("emigrants in the year before the opening: %.0f, in the year after: %.0f\n", before, after)
	m := res.Summary.Modes.Get(agents.Citizen)
	fmt.Printf("citizens at the end: voice %.3f, exit %.3f\n", m.Voice, m.Exit)
	fmt.Printf("emigrants_total: %.0f\n", *res.Summary.EmigrantsTotal)
	// Output:
	// emigrants in the year before the opening: 7273, in the year after: 378182
	// citizens at the end: voice 0.020, exit 0.415
	// emigrants_total: 385455
}
