package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/turncoat-abm/turncoat/regime"
)

// outcomeColors are the colours of the classes defected, split, loyal.
var outcomeColors = [...]Color{Vermilion, Orange, Blue}

// OutcomeBars draws, for each label, the shares of runs in each outcome
// class (defected, split, loyal) as one horizontal stacked bar. labels and
// dists must have the same length; OutcomeBars panics otherwise.
func OutcomeBars(name, title string, labels []string, dists []regime.OutcomeDist) (Figure, error) {
	if len(labels) != len(dists) {
		panic("plots: OutcomeBars needs one distribution per label")
	}
	p := newPlot(title, "share of runs", "")
	p.X.Min, p.X.Max = 0, 1.3 // room on the right for the legend
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "0"}, {Value: 0.25, Label: "0.25"},
		{Value: 0.5, Label: "0.5"}, {Value: 0.75, Label: "0.75"}, {Value: 1, Label: "1"}})
	var below *plotter.BarChart
	for k, o := range regime.Outcomes {
		v := make(plotter.Values, len(dists))
		for i, d := range dists {
			v[i] = d.Share(o)
		}
		b, err := plotter.NewBarChart(v, vg.Points(16))
		if err != nil {
			return Figure{}, err
		}
		b.Horizontal = true
		b.Color = outcomeColors[k]
		b.LineStyle.Width = 0
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		p.Legend.Add(string(o), b)
	}
	p.NominalY(labels...)
	p.Legend.Top = true
	p.Legend.Left = false
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	h := vg.Length(len(labels))*0.4*vg.Inch + 2*vg.Inch
	return Figure{Name: name, Title: title, Plot: p, W: 9 * vg.Inch, H: h}, nil
}

// Lines draws one line with points per series over the shared xs, all on
// one y axis (ys[k][i] is series k at xs[i]). labels name the series in the
// legend. Every ys[k] must have len(xs) values and labels one name per
// series; Lines panics otherwise.
func Lines(name, title, xLabel, yLabel string, xs []float64, labels []string, ys [][]float64) (Figure, error) {
	if len(labels) != len(ys) {
		panic("plots: Lines needs one label per series")
	}
	p := newPlot(title, xLabel, yLabel)
	for k, y := range ys {
		if len(y) != len(xs) {
			panic("plots: Lines needs one value per x in every series")
		}
		pts := make(plotter.XYs, len(xs))
		for i, x := range xs {
			pts[i] = plotter.XY{X: x, Y: y[i]}
		}
		l, s, err := plotter.NewLinePoints(pts)
		if err != nil {
			return Figure{}, err
		}
		styleLine(&l.LineStyle, k)
		s.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(3), Color: l.LineStyle.Color}
		p.Add(l, s)
		p.Legend.Add(labels[k], l)
	}
	p.Legend.Top = true
	return Figure{Name: name, Title: title, Plot: p}, nil
}
