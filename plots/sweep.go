package plots

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/turncoat-abm/turncoat/sweep"
)

// table is a CSV file read by column name.
type table struct {
	col  map[string]int
	rows [][]string
}

func readTable(path string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", path, err)
	}
	if len(rows) < 1 {
		return nil, fmt.Errorf("plots: %s is empty", path)
	}
	t := &table{col: map[string]int{}, rows: rows[1:]}
	for i, h := range rows[0] {
		t.col[h] = i
	}
	return t, nil
}

func (t *table) num(r int, name string) float64 {
	i, ok := t.col[name]
	if !ok || i >= len(t.rows[r]) || t.rows[r][i] == "" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(t.rows[r][i], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// SweepFigures draws a complete sweep directory's figures:
//   - heatmap: the first output's mean over the first two parameters (other
//     parameters averaged over; lhs and sobol points binned on a 12×12
//     grid), when there are two or more parameters;
//   - lines: each output's mean with its 95% band over the first parameter
//     (other parameters averaged over, the band then from the spread of
//     point means);
//   - sobol: first- and total-order indices with their intervals (sobol
//     sampler);
//   - histograms of each output over all runs.
func SweepFigures(dir string) ([]Figure, error) {
	man, err := sweep.ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("plots: %s is not a sweep directory: %w", dir, err)
	}
	if !man.Complete {
		return nil, fmt.Errorf("plots: the sweep in %s is not complete (finish it with --resume)", dir)
	}
	pts, err := readTable(filepath.Join(dir, sweep.PointsFile))
	if err != nil {
		return nil, err
	}
	if len(pts.rows) == 0 {
		if man.Shard != "" {
			return nil, fmt.Errorf("plots: %s holds no points: shard %s of a sweep of %d points has none; plot the merged sweep instead", dir, man.Shard, man.Points)
		}
		return nil, fmt.Errorf("plots: %s holds no points", dir)
	}
	var figs []Figure
	if len(man.Parameters) >= 2 && len(man.Outputs) > 0 {
		f, err := heatmap(man, pts, man.Parameters[0], man.Parameters[1], man.Outputs[0])
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	for i, o := range man.Outputs {
		f, err := lineFigure(man, pts, man.Parameters[0], o, man.Probability[i])
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	if man.Sampler == "sobol" && man.Shard == "" {
		sens, err := readTable(filepath.Join(dir, sweep.SensitivityFile))
		if err != nil {
			return nil, err
		}
		for _, o := range man.Outputs {
			f, err := sobolFigure(man, sens, o)
			if err != nil {
				return nil, err
			}
			figs = append(figs, f)
		}
	}
	runs, err := readTable(filepath.Join(dir, sweep.RunsFile))
	if err != nil {
		return nil, err
	}
	for _, o := range man.Outputs {
		if f, ok, err := histogram(man, runs, o); err != nil {
			return nil, err
		} else if ok {
			figs = append(figs, f)
		}
	}
	return figs, nil
}

func safe(s string) string { return strings.NewReplacer(".", "_", "/", "_", " ", "_").Replace(s) }

// heatmap averages output's point means over a grid of (px, py) cells.
func heatmap(man sweep.Manifest, pts *table, px, py, out string) (Figure, error) {
	xs, ys := levels(pts, px), levels(pts, py)
	binned := man.Sampler != "grid" || len(xs) > 40 || len(ys) > 40
	const bins = 12
	if binned {
		xs, ys = edges(pts, px, bins), edges(pts, py, bins)
	}
	g := &grid{x: xs, y: ys, sum: make([]float64, len(xs)*len(ys)), n: make([]float64, len(xs)*len(ys))}
	for r := range pts.rows {
		v := pts.num(r, out+"_mean")
		if math.IsNaN(v) {
			continue
		}
		i, j := nearest(xs, pts.num(r, px)), nearest(ys, pts.num(r, py))
		g.sum[j*len(xs)+i] += v
		g.n[j*len(xs)+i]++
	}
	pal := moreland.SmoothBlueRed().Palette(255)
	h := plotter.NewHeatMap(g, pal)
	p := newPlot(fmt.Sprintf("%s: mean %s", man.Name, out), px, py)
	p.Add(h)
	note := ""
	if len(man.Parameters) > 2 {
		note = "other parameters averaged over"
	}
	if binned {
		note = strings.TrimPrefix(note+"; points binned on a 12×12 grid", "; ")
	}
	if note != "" {
		p.Title.Text += "\n(" + note + ")"
	}
	p.X.Label.Text += fmt.Sprintf("      colour: blue = %.3g … red = %.3g (mean %s)", h.Min, h.Max, out)
	p.X.Tick.Marker = levelTicks(xs)
	p.Y.Tick.Marker = levelTicks(ys)
	return Figure{Name: "heatmap_" + safe(out), Title: "Heatmap of " + out, Plot: p, W: 8 * vg.Inch, H: 6.5 * vg.Inch}, nil
}

type grid struct {
	x, y   []float64
	sum, n []float64
}

func (g *grid) Dims() (c, r int)   { return len(g.x), len(g.y) }
func (g *grid) X(c int) float64    { return g.x[c] }
func (g *grid) Y(r int) float64    { return g.y[r] }
func (g *grid) Z(c, r int) float64 { return g.sum[r*len(g.x)+c] / g.n[r*len(g.x)+c] }

func levels(t *table, name string) []float64 {
	var v []float64
	for r := range t.rows {
		if x := t.num(r, name); !math.IsNaN(x) && !slices.Contains(v, x) {
			v = append(v, x)
		}
	}
	slices.Sort(v)
	return v
}

// edges returns n bin centres spanning the column's range.
func edges(t *table, name string, n int) []float64 {
	l := levels(t, name)
	lo, hi := 0.0, 1.0
	if len(l) > 0 { // a column of missing values only
		lo, hi = l[0], l[len(l)-1]
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (float64(i)+0.5)*(hi-lo)/float64(n)
	}
	return out
}

func nearest(v []float64, x float64) int {
	best := 0
	for i := range v {
		if math.Abs(v[i]-x) < math.Abs(v[best]-x) {
			best = i
		}
	}
	return best
}

type levelTicks []float64

func (l levelTicks) Ticks(_, _ float64) []plot.Tick {
	var t []plot.Tick
	step := max(1, len(l)/8)
	for i, v := range l {
		label := ""
		if i%step == 0 {
			label = strconv.FormatFloat(v, 'g', 3, 64)
		}
		t = append(t, plot.Tick{Value: v, Label: label})
	}
	return t
}

// lineFigure plots output's mean and 95% band over parameter px.
func lineFigure(man sweep.Manifest, pts *table, px, out string, prob bool) (Figure, error) {
	xs := levels(pts, px)
	binned := man.Sampler != "grid" && len(xs) > 30
	if binned {
		xs = edges(pts, px, 20)
	}
	type acc struct{ means, lo, hi []float64 }
	a := make([]acc, len(xs))
	for r := range pts.rows {
		m := pts.num(r, out+"_mean")
		if math.IsNaN(m) {
			continue
		}
		i := nearest(xs, pts.num(r, px))
		a[i].means = append(a[i].means, m)
		a[i].lo = append(a[i].lo, pts.num(r, out+"_ci_lo"))
		a[i].hi = append(a[i].hi, pts.num(r, out+"_ci_hi"))
	}
	var line, band, bandTop plotter.XYs
	for i, x := range xs {
		if len(a[i].means) == 0 {
			continue
		}
		mean, lo, hi := avg(a[i].means), 0.0, 0.0
		if len(a[i].means) == 1 {
			lo, hi = a[i].lo[0], a[i].hi[0]
		} else { // the spread of point means: a 95% t-like band of their mean
			sd := 0.0
			for _, v := range a[i].means {
				sd += (v - mean) * (v - mean)
			}
			sd = math.Sqrt(sd / float64(len(a[i].means)-1))
			h := 1.96 * sd / math.Sqrt(float64(len(a[i].means)))
			lo, hi = mean-h, mean+h
		}
		if math.IsNaN(lo) || math.IsNaN(hi) {
			lo, hi = mean, mean
		}
		line = append(line, plotter.XY{X: x, Y: mean})
		band = append(band, plotter.XY{X: x, Y: lo})
		bandTop = append(bandTop, plotter.XY{X: x, Y: hi})
	}
	p := newPlot(fmt.Sprintf("%s: %s over %s", man.Name, out, px), px, out)
	if len(man.Parameters) > 1 {
		p.Title.Text += "\n(other parameters averaged over; band: 95% interval)"
	} else {
		p.Title.Text += "\n(band: 95% interval of the mean)"
	}
	if len(line) == 0 {
		return Figure{Name: "lines_" + safe(out), Plot: p}, nil
	}
	slices.Reverse(bandTop)
	poly, err := plotter.NewPolygon(append(band, bandTop...))
	if err != nil {
		return Figure{}, err
	}
	poly.Color = colorAlpha(SkyBlue, 110)
	poly.LineStyle.Width = 0
	p.Add(poly)
	l, s, err := plotter.NewLinePoints(line)
	if err != nil {
		return Figure{}, err
	}
	styleLine(&l.LineStyle, 0)
	s.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(3), Color: Blue}
	p.Add(l, s)
	p.Legend.Add("mean", l)
	p.Legend.Add("95% interval", poly)
	if prob {
		p.Y.Min, p.Y.Max = 0, 1
	}
	return Figure{Name: "lines_" + safe(out), Title: out + " over " + px, Plot: p}, nil
}

func avg(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// sobolFigure draws S1 and ST per parameter with their intervals.
func sobolFigure(man sweep.Manifest, sens *table, out string) (Figure, error) {
	var s1, st plotter.Values
	var s1e, ste plotter.YErrors
	var names []string
	for r := range sens.rows {
		if sens.rows[r][sens.col["output"]] != out {
			continue
		}
		names = append(names, sens.rows[r][sens.col["parameter"]])
		for _, x := range []struct {
			v  *plotter.Values
			e  *plotter.YErrors
			nm string
		}{{&s1, &s1e, "S1"}, {&st, &ste, "ST"}} {
			v, lo, hi := sens.num(r, x.nm), sens.num(r, x.nm+"_lo"), sens.num(r, x.nm+"_hi")
			if math.IsNaN(v) {
				v = 0
			}
			*x.v = append(*x.v, v)
			el, eh := v-lo, hi-v
			if math.IsNaN(el) || math.IsNaN(eh) {
				el, eh = 0, 0
			}
			*x.e = append(*x.e, struct{ Low, High float64 }{el, eh})
		}
	}
	p := newPlot(fmt.Sprintf("%s: Sobol indices of %s", man.Name, out), "", "index")
	w := vg.Points(18)
	b1, err := plotter.NewBarChart(s1, w)
	if err != nil {
		return Figure{}, err
	}
	b1.Color, b1.Offset = Blue, -w/2
	bt, err := plotter.NewBarChart(st, w)
	if err != nil {
		return Figure{}, err
	}
	bt.Color, bt.Offset = Orange, w/2
	p.Add(b1, bt)
	for i, x := range []struct {
		v plotter.Values
		e plotter.YErrors
	}{{s1, s1e}, {st, ste}} {
		xys := make(plotter.XYs, len(x.v))
		for k := range xys {
			xys[k] = plotter.XY{X: float64(k) + (float64(i)-0.5)*0.18, Y: x.v[k]}
		}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xys, x.e})
		if err != nil {
			return Figure{}, err
		}
		eb.LineStyle.Width = vg.Points(1.2)
		p.Add(eb)
	}
	p.Legend.Add("first order S1", b1)
	p.Legend.Add("total order ST", bt)
	p.Legend.Top = true
	p.NominalX(names...)
	return Figure{Name: "sobol_" + safe(out), Title: "Sobol indices of " + out, Plot: p}, nil
}

// histogram of an output over every run.
func histogram(man sweep.Manifest, runs *table, out string) (Figure, bool, error) {
	var v plotter.Values
	for r := range runs.rows {
		if x := runs.num(r, out); !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) < 2 {
		return Figure{}, false, nil
	}
	bins := 20
	if l := distinct(v); l < bins {
		bins = max(1, l)
	}
	h, err := plotter.NewHist(v, bins)
	if err != nil {
		return Figure{}, false, err
	}
	h.FillColor = colorAlpha(Blue, 200)
	h.LineStyle.Color = color8(255)
	p := newPlot(fmt.Sprintf("%s: %s over %d runs", man.Name, out, len(v)), out, "runs")
	p.Add(h)
	return Figure{Name: "hist_" + safe(out), Title: "Distribution of " + out, Plot: p}, true, nil
}

func distinct(v []float64) int {
	c := slices.Clone(v)
	slices.Sort(c)
	return len(slices.Compact(c))
}
