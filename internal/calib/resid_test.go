package calib

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestResiduals prints each region's mean simulated exit tick and error
// over 20 seeds (RESID=1).
func TestResiduals(t *testing.T) {
	if os.Getenv("RESID") == "" {
		t.Skip("set RESID=1")
	}
	cfg, err := scenarios.Load("soviet1991", strings.Fields(os.Getenv("SETS"))...)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := regime.New(cfg)
	sum := map[string]float64{}
	for s := uint64(1); s <= 20; s++ {
		res, _ := m.Run(context.Background(), s)
		for _, g := range cfg.Regions {
			tick := float64(len(res.Ticks))
			for _, e := range res.Summary.Exits {
				if e.Region == g.Name {
					tick = float64(e.Tick)
				}
			}
			sum[g.Name] += tick / 20
		}
	}
	tot := 0.0
	for _, g := range cfg.Regions {
		h := cfg.TickOf(cfg.History.Exits[g.Name])
		fmt.Printf("%-13s sim %6.1f hist %3d err %+6.1f\n", g.Name, sum[g.Name], h, sum[g.Name]-float64(h))
		if d := sum[g.Name] - float64(h); d > 0 {
			tot += d
		} else {
			tot -= d
		}
	}
	fmt.Printf("mean |err| of mean ticks %.2f\n", tot/float64(len(cfg.Regions)))
}
