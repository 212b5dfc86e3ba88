package plots

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

// modeBands are the stacked bands of the modes figure, bottom to top;
// loyal is what is left up to 1.
var modeBands = []struct {
	name, column string
	color        color.Color
}{
	{"voice", "voice", Vermilion},
	{"exit (emigrated)", "exit", Orange},
	{"switch", "switch", Purple},
	{"shirk", "shirk", Yellow},
	{"jailed", "jailed", Grey},
	{"loyal", "", SkyBlue},
}

// HasModes reports whether the run directory's ticks.csv has the columns
// of the defection modes (a scenario with a modes block).
func HasModes(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "ticks.csv"))
	if err != nil {
		return false
	}
	defer f.Close()
	hdr, err := csv.NewReader(f).Read()
	if err != nil {
		return false
	}
	for _, h := range hdr {
		if h == "citizen_voice" {
			return true
		}
	}
	return false
}

// ModeFigures draws, for a run directory whose ticks.csv has the mode
// columns, a stacked area chart per role of the shares of the role's
// initial population that are loyal, voicing, emigrated, switched,
// shirking or jailed over time (Okabe–Ito colours). It returns no figure
// when the run has no mode columns.
func ModeFigures(dir string) ([]Figure, error) {
	if !HasModes(dir) {
		return nil, nil
	}
	rows, col, err := readTicksCSV(dir)
	if err != nil {
		return nil, err
	}
	x := make([]float64, len(rows)-1)
	for i, row := range rows[1:] {
		d, err := regime.ParseDate(row[col["date"]])
		if err != nil {
			return nil, fmt.Errorf("plots: %s/ticks.csv line %d: %w", dir, i+2, err)
		}
		x[i] = unix(d)
	}
	value := func(row []string, name string) float64 {
		i, ok := col[name]
		if !ok || i >= len(row) {
			return 0
		}
		v, err := strconv.ParseFloat(row[i], 64)
		if err != nil || math.IsNaN(v) {
			return 0
		}
		return v
	}
	name := strings.TrimSuffix(filepath.Base(dir), "/")
	if b, err := os.ReadFile(filepath.Join(dir, "summary.json")); err == nil {
		var head struct {
			Scenario string `json:"scenario"`
		}
		if json.Unmarshal(b, &head) == nil && head.Scenario != "" {
			name = head.Scenario
		}
	}
	var tiles [][]*plot.Plot
	for ri, role := range agents.Roles {
		r := role.String()
		p := newPlot("", "", r+"s (share)")
		if ri == 0 {
			p.Title.Text = name + ": loyalty and the modes of defection by role"
		}
		dateAxis(p)
		p.Y.Min, p.Y.Max = 0, 1
		p.X.Min, p.X.Max = x[0], x[len(x)-1]
		// Cumulative upper edge of each band.
		n := len(x)
		lower := make([]float64, n)
		for bi, b := range modeBands {
			upper := make([]float64, n)
			for t, row := range rows[1:] {
				if b.column == "" {
					upper[t] = 1
				} else {
					upper[t] = math.Min(1, lower[t]+math.Max(0, value(row, r+"_"+b.column)))
				}
			}
			poly := make(plotter.XYs, 0, 2*n)
			for t := range n {
				poly = append(poly, plotter.XY{X: x[t], Y: upper[t]})
			}
			for t := n - 1; t >= 0; t-- {
				poly = append(poly, plotter.XY{X: x[t], Y: lower[t]})
			}
			pg, err := plotter.NewPolygon(poly)
			if err != nil {
				return nil, err
			}
			pg.Color = b.color
			pg.LineStyle.Width = 0
			p.Add(pg)
			if ri == 0 {
				p.Legend.Add(modeBands[bi].name, pg)
			}
			lower = upper
		}
		p.Add(gridLines())
		if ri == 0 {
			p.Legend.Top, p.Legend.Left = true, true
			p.Legend.YOffs = -vg.Points(6)
			p.Legend.XOffs = vg.Points(6)
		}
		if ri == len(agents.Roles)-1 {
			p.X.Label.Text = "date"
		}
		tiles = append(tiles, []*plot.Plot{p})
	}
	return []Figure{{Name: "modes", Title: "Loyalty and the modes of defection by role", Tiles: tiles, W: 9 * vg.Inch, H: 9 * vg.Inch}}, nil
}

// SeriesFigures draws each history series of a run (summary.json
// "series") beside the model's output at its points, the model scaled by
// the series' Scale (the shape, not the level, is what is compared), with
// the break marked.
func SeriesFigures(res *regime.Result) ([]Figure, error) {
	var figs []Figure
	for _, f := range res.Summary.Series {
		if f.Points == 0 {
			continue
		}
		where := f.Output
		if f.Region != "" {
			where += " in " + f.Region
		}
		p := newPlot(fmt.Sprintf("%s (seed %d): %s", res.Config.Name, res.Seed, f.Name), "date", "history; model × scale (log axis)")
		dateAxis(p)
		top := 0.0
		for i := range f.History {
			top = math.Max(top, math.Max(f.History[i], f.Scale*f.ModelValues[i]))
		}
		if !(top > 0) {
			continue
		}
		// A log axis, as the fit is on logarithms; values under the floor
		// of the statistics are drawn at it.
		floor := regime.SeriesLogFloor * top
		var hist, model plotter.XYs
		for i, ds := range f.Dates {
			d, err := regime.ParseDate(ds)
			if err != nil {
				return nil, fmt.Errorf("plots: series %q: %w", f.Name, err)
			}
			hist = append(hist, plotter.XY{X: unix(d), Y: math.Max(floor, f.History[i])})
			model = append(model, plotter.XY{X: unix(d), Y: math.Max(floor, f.Scale*f.ModelValues[i])})
		}
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		hl, hs, err := plotter.NewLinePoints(hist)
		if err != nil {
			return nil, err
		}
		hl.Color, hl.Width = Vermilion, vg.Points(1.5)
		hl.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		hs.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(3.5), Color: Vermilion}
		ml, ms, err := plotter.NewLinePoints(model)
		if err != nil {
			return nil, err
		}
		ml.Color, ml.Width = Blue, vg.Points(2)
		ms.GlyphStyle = draw.GlyphStyle{Shape: draw.PyramidGlyph{}, Radius: vg.Points(3.5), Color: Blue}
		p.Add(hl, hs, ml, ms)
		p.Legend.Add("history", hl, hs)
		p.Legend.Add(fmt.Sprintf("model: %s × %.3g", where, f.Scale), ml, ms)
		p.Y.Min = floor / 1.5
		p.Y.Max = top * 3
		if f.Break != nil {
			if b, err := regime.ParseDate(*f.Break); err == nil {
				addMarkerAt(p, unix(b), "break "+*f.Break, Grey, p.Y.Min, p.Y.Min*2)
			}
		}
		stat := "log r "
		if f.Model.PearsonLog != nil {
			stat += fmt.Sprintf("%.2f", *f.Model.PearsonLog)
		} else {
			stat += "n/a"
		}
		for _, b := range f.Baselines {
			if b.PearsonLog != nil {
				stat += fmt.Sprintf(", %s %.2f", b.Name, *b.PearsonLog)
			}
		}
		p.Title.Text += " (" + stat + ")"
		p.Legend.Top, p.Legend.Left = true, true
		p.Legend.XOffs = vg.Points(6)
		figs = append(figs, Figure{Name: "series-" + fileSafe(f.Name), Title: "History series " + f.Name, Plot: p})
	}
	return figs, nil
}

// addMarkerAt draws a labelled vertical line at x from bottom to the top
// of the plot, the label at height y.
func addMarkerAt(p *plot.Plot, x float64, label string, c color.Color, bottom, y float64) {
	l, err := plotter.NewLine(plotter.XYs{{X: x, Y: bottom}, {X: x, Y: p.Y.Max}})
	if err != nil {
		return
	}
	l.Color = c
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	l.Width = vg.Points(1)
	p.Add(l)
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: y}}, Labels: []string{" " + label}})
	if err == nil {
		lb.TextStyle[0].Font.Size = vg.Points(9)
		lb.TextStyle[0].Color = c
		p.Add(lb)
	}
}

// fileSafe keeps letters, digits, '-' and '_' of s.
func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
