package calib

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestCalib prints the fit of soviet1991 over 20 seeds; run it with
// CALIB=1 (and SETS="key=value ..." to try overrides, DIAG=1 for detail).
func TestCalib(t *testing.T) {
	if os.Getenv("CALIB") == "" {
		t.Skip("set CALIB=1")
	}
	sets := strings.Fields(os.Getenv("SETS"))
	cfg, err := scenarios.Load("soviet1991", sets...)
	if err != nil {
		t.Fatal(err)
	}
	var sp, te []float64
	for s := uint64(1); s <= 20; s++ {
		res, err := regime.Run(context.Background(), cfg, s)
		if err != nil {
			t.Fatal(err)
		}
		sm := res.Summary
		r := -9.0
		if sm.SpearmanVsHistory != nil {
			r = *sm.SpearmanVsHistory
		}
		sp = append(sp, r)
		te = append(te, *sm.TimingErrorWeeks)
		if s == 1 && os.Getenv("DIAG") != "" {
			nr := len(cfg.Regions)
			for _, tk := range []int{84, 85, 86, 87, 88, 89, 90, 91, 92, 95} {
				if tk >= len(res.Ticks) {
					continue
				}
				fmt.Printf("t=%d legit=%.2f rep=%.2f del=%.2f res=%.1f cap=%.2f |", tk, res.Ticks[tk].Legitimacy, res.Ticks[tk].Repression, res.Ticks[tk].Delivery, res.Ticks[tk].Reserves, res.Ticks[tk].Capacity)
				for g := 0; g < nr; g++ {
					rr := res.Regions[tk*nr+g]
					f := func(k int) float64 { c := rr.Counts[k]; return float64(c[1]) / float64(c[0]+c[1]+c[2]) }
					fmt.Printf(" %s %.2f/%.2f/%.2f", cfg.Regions[g].Name[:3], f(0), f(1), f(2))
				}
				fmt.Println()
			}
		}
		if s <= 2 {
			var b strings.Builder
			for _, e := range sm.Exits {
				fmt.Fprintf(&b, "%s:%d ", e.Region, e.Tick)
			}
			fmt.Printf("seed %d rho %.3f te %.1f collapse %v %v exits %s notexited %v final %+v\n", s, r, *sm.TimingErrorWeeks, sm.Collapsed, sm.CollapseCause, b.String(), sm.NotExited, sm.FinalShare)
		}
	}
	slices.Sort(sp)
	slices.Sort(te)
	fmt.Printf("MEDIAN rho %.3f [%.3f,%.3f]  te %.2f [%.2f,%.2f]\n", (sp[9]+sp[10])/2, sp[0], sp[19], (te[9]+te[10])/2, te[0], te[19])
}
