package validate

import (
	"context"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/epstein"
	"github.com/turncoat-abm/turncoat/internal/seed"
	"github.com/turncoat-abm/turncoat/plots"
)

// Figures draws the validation figures: Granovetter's expected equilibrium
// over σ with finite populations of the general model beside it, and the
// active citizens of each Epstein variant over 1,000 ticks.
func Figures(ctx context.Context, replicates int) ([]plots.Figure, error) {
	if replicates <= 0 {
		replicates = 10
	}
	// Granovetter: the expected-equilibrium curve and simulated populations.
	p := plot.New()
	p.Title.Text = "Granovetter (1978): participants at equilibrium, N = 100, thresholds N(25, σ)"
	p.X.Label.Text = "σ (standard deviation of thresholds)"
	p.Y.Label.Text = "participants"
	p.Add(plotter.NewGrid())
	var curve plotter.XYs
	for s := 2.0; s <= 50; s += 0.1 {
		curve = append(curve, plotter.XY{X: s, Y: GranovetterEquilibrium(100, 25, s)})
	}
	l, err := plotter.NewLine(curve)
	if err != nil {
		return nil, err
	}
	l.Width, l.Color = vg.Points(2), plots.Blue
	p.Add(l)
	p.Legend.Add("expected equilibrium (fixed point of r = N·F(r))", l)
	var pts plotter.XYs
	for _, s := range []float64{4, 8, 10, 11, 12, 12.5, 13, 14, 16, 20, 30, 40, 50} {
		for rep := 0; rep < replicates; rep++ {
			c := thresholdConfig("granovetter-normal", 100, agents.Dist{Kind: "normal", Mean: 0.25, SD: s / 100}, 200)
			v, err := joined(ctx, c, uint64(rep+1))
			if err != nil {
				return nil, err
			}
			pts = append(pts, plotter.XY{X: s, Y: v})
		}
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(2.5), Color: plots.Vermilion}
	p.Add(sc)
	p.Legend.Add(fmt.Sprintf("finite populations, general model (%d per σ)", replicates), sc)
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.YOffs = vg.Points(30)
	figs := []plots.Figure{{Name: "granovetter_sigma", Title: "Granovetter's σ curve", Plot: p}}

	// Epstein: active citizens over time, one panel per variant.
	for i, v := range epstein.Variants {
		m, err := epstein.New(epstein.Defaults(v))
		if err != nil {
			return nil, err
		}
		r := rand.New(rand.NewPCG(seed.PCG(10)))
		m.Reset(r)
		var xy plotter.XYs
		for t := 0; t < 1000; t++ {
			m.Step(ctx, t, r)
			_, a, _, _ := m.Counts()
			xy = append(xy, plotter.XY{X: float64(t), Y: float64(a)})
		}
		q := plot.New()
		q.Title.Text = fmt.Sprintf("Epstein (2002), %s variant: active citizens (default parameters, seed 10)", v)
		q.X.Label.Text = "tick"
		q.Y.Label.Text = "active citizens"
		q.Add(plotter.NewGrid())
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		l.Width, l.Color = vg.Points(1.2), []plots.Color{plots.Blue, plots.Vermilion, plots.Green}[i]
		q.Add(l)
		q.Y.Min = 0
		figs = append(figs, plots.Figure{Name: "epstein_" + string(v), Title: "Epstein " + string(v), Plot: q, W: 9 * vg.Inch, H: 3.5 * vg.Inch})
	}
	return figs, nil
}
