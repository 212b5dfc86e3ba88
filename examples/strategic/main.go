// Strategic defection: how the regime's rents and purges change the
// elites' equilibrium strategy mix. Runs soviet1991-strategic (republic
// elites play a repeated game of loyalty) over elite rents × purge rate,
// 2 seeds each, and prints the elites' final strategy mix, their defected
// share and the mean shadow of the future w (purges start when 2% of
// soldiers or elites defect); it draws the always-defect
// share against rents, one line per purge rate, as a PNG. Rents make
// loyalty pay (R and S rise), so always-defect dies out; purges also hit
// soldiers and loyalists, shorten the shadow of the future and so spread
// always-defect, while hiding it: purged defectors do not show as defected.
//
//	go run ./examples/strategic [-out DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

func main() {
	out := flag.String("out", filepath.Join(os.TempDir(), "turncoat-strategic"), "directory for the figure")
	flag.Parse()
	base, err := scenarios.Load("soviet1991-strategic", "scale=0.5")
	if err != nil {
		log.Fatal(err)
	}
	rents, purges := []float64{0, 0.5, 1, 2}, []float64{0, 0.3, 0.6}
	p := plot.New()
	p.Title.Text = "Elites playing always-defect at the end, soviet1991-strategic"
	p.X.Label.Text, p.Y.Label.Text = "elite rents (baseline pay per week)", "always-defect share"
	p.Legend.Top = true
	fmt.Println("rents  purge  reciprocators  allc   alld   elites defected  mean w")
	for i, purge := range purges {
		var line plotter.XYs
		for _, rent := range rents {
			cfg := base // Config is a value: change fields directly
			cfg.Regime.EliteRents, cfg.Regime.PurgeRate = rent, purge
			cfg.Regime.PurgeTrigger = 0.02 // purge as soon as 2% of soldiers or elites defect
			m, err := regime.New(cfg)
			if err != nil {
				log.Fatal(err)
			}
			var mix [agents.NumStrategies]float64
			defected, w := 0.0, 0.0
			const seeds = 2
			for s := uint64(1); s <= seeds; s++ {
				res, err := m.RunShared(context.Background(), s)
				if err != nil {
					log.Fatal(err)
				}
				last := res.Game[len(res.Game)-1]
				for k, x := range last.Mix {
					mix[k] += x / seeds
				}
				defected += res.Summary.FinalShare.Elite / seeds
				w += res.Summary.Game[0].MeanW / seeds
			}
			recip := 0.0
			for _, s := range []agents.Strategy{agents.TFT, agents.Grim, agents.Pavlov, agents.GTFT} {
				recip += mix[s] + mix[s.Noisy()]
			}
			allc, alld := mix[agents.AllC]+mix[agents.AllC.Noisy()], mix[agents.AllD]+mix[agents.AllD.Noisy()]
			fmt.Printf("%5.1f  %5.1f  %13.3f  %5.3f  %5.3f  %15.3f  %6.3f\n", rent, purge, recip, allc, alld, defected, w)
			line = append(line, plotter.XY{X: rent, Y: alld})
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			log.Fatal(err)
		}
		l.Color = []plots.Color{plots.Blue, plots.Vermilion, plots.Green}[i]
		l.Width = vg.Points(2)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("purge rate %g", purge), l)
	}
	p.Y.Min = 0
	paths, err := plots.Write([]plots.Figure{{Name: "strategic_mix", Plot: p, W: 7 * vg.Inch, H: 4.5 * vg.Inch}}, *out, "png")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("figure:", paths[0])
}
