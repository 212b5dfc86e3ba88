package plots

import (
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/turncoat-abm/turncoat/calibrate"
	"github.com/turncoat-abm/turncoat/regime"
)

// IsCalibration reports whether dir is a finished calibration directory
// (turncoat calibrate): it has summary.json and posterior.csv.
func IsCalibration(dir string) bool {
	for _, f := range []string{calibrate.SummaryFile, calibrate.PosteriorFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// LoadCalibration reads a calibration directory's summary and posterior:
// the particles' weights and parameter values (columns in summary order).
func LoadCalibration(dir string) (*calibrate.Summary, []float64, [][]float64, error) {
	b, err := os.ReadFile(filepath.Join(dir, calibrate.SummaryFile))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("plots: %w", err)
	}
	var sum calibrate.Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		return nil, nil, nil, fmt.Errorf("plots: %s: %w", calibrate.SummaryFile, err)
	}
	t, err := readTable(filepath.Join(dir, calibrate.PosteriorFile))
	if err != nil {
		return nil, nil, nil, err
	}
	w := make([]float64, len(t.rows))
	x := make([][]float64, len(t.rows))
	for r := range t.rows {
		w[r] = t.num(r, "weight")
		x[r] = make([]float64, len(sum.Parameters))
		for k, p := range sum.Parameters {
			if x[r][k] = t.num(r, p.Name); math.IsNaN(x[r][k]) {
				return nil, nil, nil, fmt.Errorf("plots: %s row %d: no value for %s", calibrate.PosteriorFile, r+2, p.Name)
			}
		}
	}
	return &sum, w, x, nil
}

// CalibrationFigures draws a calibration directory's figures:
//   - posterior-marginals: each parameter's weighted posterior histogram
//     (density) against its prior density, with the 90% interval;
//   - posterior-pairs: pairwise scatter of the posterior particles (point
//     size by weight) for the parameters the data narrowed most (at most
//     five), their marginals on the diagonal;
//   - posterior-predictive: per target, the 90% predictive interval and
//     median of the exit week beside the observed week (dated targets), or
//     the predicted class shares with the observed class (outcome classes).
func CalibrationFigures(dir string) ([]Figure, error) {
	sum, w, x, err := LoadCalibration(dir)
	if err != nil {
		return nil, err
	}
	var figs []Figure
	n := len(sum.Parameters)
	if n > 0 && len(x) > 0 {
		cols := min(4, n)
		rows := (n + cols - 1) / cols
		tiles := make([][]*plot.Plot, rows)
		for k, ps := range sum.Parameters {
			if tiles[k/cols] == nil {
				tiles[k/cols] = make([]*plot.Plot, cols)
			}
			p, err := marginal(ps, column(x, k), w, true)
			if err != nil {
				return nil, err
			}
			tiles[k/cols][k%cols] = p
		}
		figs = append(figs, Figure{Name: "posterior-marginals", Title: "Posterior marginals (bars) against priors (line); 90% interval dashed",
			Tiles: tiles, W: vg.Length(cols) * 3 * vg.Inch, H: vg.Length(rows) * 2.3 * vg.Inch})
		if n >= 2 {
			pf, err := pairs(sum, x, w)
			if err != nil {
				return nil, err
			}
			figs = append(figs, pf)
		}
	}
	if len(sum.Predictive.Targets) > 0 {
		f, err := predictiveFigure(sum)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	sf, err := seriesPredictiveFigures(sum)
	if err != nil {
		return nil, err
	}
	figs = append(figs, sf...)
	return figs, nil
}

func column(x [][]float64, k int) []float64 {
	c := make([]float64, len(x))
	for i := range x {
		c[i] = x[i][k]
	}
	return c
}

// priorDensity is a parameter's prior density at v.
func priorDensity(ps calibrate.ParamSummary, mean, sd float64, v float64) float64 {
	lo, hi := ps.Prior[0], ps.Prior[1]
	if v < lo || v > hi {
		return 0
	}
	switch ps.Kind {
	case "loguniform":
		return 1 / (v * math.Log(hi/lo))
	case "normal":
		if !(sd > 0) {
			return 1 / (hi - lo)
		}
		cdf := func(z float64) float64 { return 0.5 * (1 + math.Erf(z/math.Sqrt2)) }
		z := (v - mean) / sd
		return math.Exp(-0.5*z*z) / (sd * math.Sqrt(2*math.Pi)) / (cdf((hi-mean)/sd) - cdf((lo-mean)/sd))
	}
	return 1 / (hi - lo)
}

// marginal draws one parameter's weighted posterior histogram (density)
// over its prior range, the prior density and the 90% interval.
func marginal(ps calibrate.ParamSummary, v, w []float64, small bool) (*plot.Plot, error) {
	p := newPlot(ps.Name, "", "")
	if small {
		p.Title.TextStyle.Font.Size = vg.Points(9)
		p.X.Tick.Label.Font.Size = vg.Points(7)
		p.Y.Tick.Label.Font.Size = vg.Points(7)
	}
	lo, hi := ps.Prior[0], ps.Prior[1]
	const bins = 16
	log := ps.Kind == "loguniform"
	edge := func(i int) float64 {
		if log {
			return lo * math.Pow(hi/lo, float64(i)/bins)
		}
		return lo + (hi-lo)*float64(i)/bins
	}
	mass := make([]float64, bins)
	total := 0.0
	for i, x := range v {
		b := 0
		if log {
			b = int(math.Log(x/lo) / math.Log(hi/lo) * bins)
		} else {
			b = int((x - lo) / (hi - lo) * bins)
		}
		b = min(max(b, 0), bins-1)
		mass[b] += w[i]
		total += w[i]
	}
	top := 0.0
	for b := range mass {
		d := mass[b] / math.Max(total, 1e-300) / (edge(b+1) - edge(b))
		top = math.Max(top, d)
		poly, err := plotter.NewPolygon(plotter.XYs{{X: edge(b), Y: 0}, {X: edge(b + 1), Y: 0}, {X: edge(b + 1), Y: d}, {X: edge(b), Y: d}})
		if err != nil {
			return nil, err
		}
		poly.Color = colorAlpha(SkyBlue, 200)
		poly.LineStyle.Color = color.White
		poly.LineStyle.Width = vg.Points(0.5)
		p.Add(poly)
	}
	// Prior density.
	var pts plotter.XYs
	for i := 0; i <= 100; i++ {
		x := min(hi, lo+(hi-lo)*float64(i)/100)
		y := priorDensity(ps, ps.PriorMean, ps.PriorSD, x)
		top = math.Max(top, y)
		pts = append(pts, plotter.XY{X: x, Y: y})
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = Black, vg.Points(1.5)
	p.Add(l)
	for _, q := range []float64{ps.Q05, ps.Q95} {
		ql, err := plotter.NewLine(plotter.XYs{{X: q, Y: 0}, {X: q, Y: top * 1.05}})
		if err != nil {
			return nil, err
		}
		ql.Color, ql.Dashes, ql.Width = Vermilion, []vg.Length{vg.Points(3), vg.Points(2)}, vg.Points(1.2)
		p.Add(ql)
	}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = 0, top*1.1
	return p, nil
}

// pairs draws the pairwise scatter of the posterior for the (at most five)
// parameters whose 90% interval is narrowest relative to the prior.
func pairs(sum *calibrate.Summary, x [][]float64, w []float64) (Figure, error) {
	idx := make([]int, len(sum.Parameters))
	for i := range idx {
		idx[i] = i
	}
	rel := func(k int) float64 {
		ps := sum.Parameters[k]
		return (ps.Q95 - ps.Q05) / (ps.Prior[1] - ps.Prior[0])
	}
	sort.SliceStable(idx, func(a, b int) bool { return rel(idx[a]) < rel(idx[b]) })
	idx = idx[:min(5, len(idx))]
	slices.Sort(idx)
	m := len(idx)
	wmax := slices.Max(w)
	tiles := make([][]*plot.Plot, m)
	for i, ki := range idx {
		tiles[i] = make([]*plot.Plot, m)
		for j, kj := range idx {
			switch {
			case i == j:
				p, err := marginal(sum.Parameters[ki], column(x, ki), w, true)
				if err != nil {
					return Figure{}, err
				}
				tiles[i][j] = p
			case j < i:
				py := sum.Parameters[ki]
				px := sum.Parameters[kj]
				p := newPlot("", "", "")
				p.X.Tick.Label.Font.Size = vg.Points(7)
				p.Y.Tick.Label.Font.Size = vg.Points(7)
				if j == 0 {
					p.Y.Label.Text = py.Name
					p.Y.Label.TextStyle.Font.Size = vg.Points(7)
				}
				if i == m-1 {
					p.X.Label.Text = px.Name
					p.X.Label.TextStyle.Font.Size = vg.Points(7)
				}
				xy := make(plotter.XYs, len(x))
				for r := range x {
					xy[r] = plotter.XY{X: x[r][kj], Y: x[r][ki]}
				}
				s, err := plotter.NewScatter(xy)
				if err != nil {
					return Figure{}, err
				}
				s.GlyphStyleFunc = func(r int) draw.GlyphStyle {
					return draw.GlyphStyle{Color: colorAlpha(Blue, 170), Shape: draw.CircleGlyph{}, Radius: vg.Points(1 + 3*math.Sqrt(w[r]/wmax))}
				}
				p.Add(s)
				p.X.Min, p.X.Max = px.Prior[0], px.Prior[1]
				p.Y.Min, p.Y.Max = py.Prior[0], py.Prior[1]
				tiles[i][j] = p
			}
		}
	}
	return Figure{Name: "posterior-pairs", Title: "Pairwise posterior (parameters narrowed most; point size by weight)",
		Tiles: tiles, W: vg.Length(m) * 2.4 * vg.Inch, H: vg.Length(m) * 2.2 * vg.Inch}, nil
}

// predictiveFigure draws the posterior predictive check.
func predictiveFigure(sum *calibrate.Summary) (Figure, error) {
	pr := sum.Predictive
	if pr.ClassAccuracy != nil {
		labels := make([]string, len(pr.Targets))
		dists := make([]regime.OutcomeDist, len(pr.Targets))
		for i, t := range pr.Targets {
			labels[i] = fmt.Sprintf("%s (observed %s)", t.Name, t.ObservedClass)
			if t.HeldOut {
				labels[i] += ", held out"
			}
			for _, o := range regime.Outcomes {
				for range int(math.Round(t.Classes[string(o)] * float64(pr.Draws))) {
					dists[i].Add(o)
				}
			}
		}
		return OutcomeBars("posterior-predictive", fmt.Sprintf("Posterior predictive classes (%d draws); modal class right in %d of %d", pr.Draws, pr.CoveredFitted+pr.CoveredHeldOut, len(pr.Targets)), labels, dists)
	}
	n := len(pr.Targets)
	labels := make([]string, n)
	p := newPlot(fmt.Sprintf("Posterior predictive exit weeks (%d draws): %d of %d observed inside the 90%% interval", pr.Draws, pr.CoveredFitted+pr.CoveredHeldOut, n), "week from the scenario's start", "")
	for i, t := range pr.Targets {
		y := float64(n - 1 - i)
		labels[n-1-i] = t.Name
		if t.HeldOut {
			labels[n-1-i] += " (held out)"
		}
		l, err := plotter.NewLine(plotter.XYs{{X: t.Predicted.Q05, Y: y}, {X: t.Predicted.Q95, Y: y}})
		if err != nil {
			return Figure{}, err
		}
		l.Color, l.Width = colorAlpha(Blue, 200), vg.Points(5)
		p.Add(l)
		med, err := plotter.NewScatter(plotter.XYs{{X: t.Predicted.Median, Y: y}})
		if err != nil {
			return Figure{}, err
		}
		med.GlyphStyle = draw.GlyphStyle{Color: color.White, Shape: draw.CircleGlyph{}, Radius: vg.Points(2.5)}
		p.Add(med)
		c := Vermilion
		if t.Inside {
			c = Black
		}
		obs, err := plotter.NewScatter(plotter.XYs{{X: t.ObservedWeek, Y: y}})
		if err != nil {
			return Figure{}, err
		}
		obs.GlyphStyle = draw.GlyphStyle{Color: c, Shape: draw.CrossGlyph{}, Radius: vg.Points(5)}
		p.Add(obs)
		if i == 0 {
			p.Legend.Add("90% interval", l)
			p.Legend.Add("median", med)
			p.Legend.Add("history (red: outside)", obs)
		}
	}
	p.NominalY(labels...)
	p.Legend.Top, p.Legend.Left = true, true
	h := vg.Length(n)*0.3*vg.Inch + 1.8*vg.Inch
	return Figure{Name: "posterior-predictive", Title: "Posterior predictive check", Plot: p, W: 9 * vg.Inch, H: h}, nil
}

// calibrationReport writes the HTML report of a calibration directory:
// the summary, the figures, the posterior table and the predictive check.
func calibrationReport(dir string, w io.Writer) error {
	sum, _, _, err := LoadCalibration(dir)
	if err != nil {
		return err
	}
	figs, err := CalibrationFigures(dir)
	if err != nil {
		return err
	}
	fh, err := figuresHTML(figs)
	if err != nil {
		return err
	}
	spec, _ := os.ReadFile(filepath.Join(dir, calibrate.SpecFile))
	d := reportData{Title: "turncoat calibrate: " + sum.Name, Subtitle: sum.Scenario, Figures: fh, Source: string(spec), SourceOf: calibrate.SpecFile}
	pr := sum.Predictive
	d.Summary = []kv{
		{"method", fmt.Sprintf("%s, %d particles, %d generations, seed %d", sum.Method, sum.Particles, sum.Generations, sum.Seed)},
		{"runs", strconv.Itoa(sum.Runs)},
		{"final tolerance", fmtNum(sum.Tolerance)},
		{"posterior predictive", fmt.Sprintf("%d draws; %d of %d fitted and %d of %d held-out targets covered", pr.Draws, pr.CoveredFitted, pr.Fitted, pr.CoveredHeldOut, pr.HeldOut)},
	}
	if pr.ClassAccuracy != nil {
		d.Summary = append(d.Summary, kv{"class accuracy over draws", fmt.Sprintf("%.3f [%.3f, %.3f]", pr.ClassAccuracy.Median, pr.ClassAccuracy.Q05, pr.ClassAccuracy.Q95)})
		if pr.MajorityBaseline != nil {
			d.Summary = append(d.Summary, kv{"majority-class baseline", fmt.Sprintf("%.3f", *pr.MajorityBaseline)})
		}
	} else if len(sum.Series) == 0 {
		d.Summary = append(d.Summary,
			kv{"Spearman over draws", fmt.Sprintf("%.3f [%.3f, %.3f]", pr.Spearman.Median, pr.Spearman.Q05, pr.Spearman.Q95)},
			kv{"timing error over draws", fmt.Sprintf("%.2f [%.2f, %.2f] weeks", pr.TimingErrorWeeks.Median, pr.TimingErrorWeeks.Q05, pr.TimingErrorWeeks.Q95)},
			kv{"P(collapse by " + pr.CollapseBy + ")", fmt.Sprintf("%.2f", pr.Collapse)})
	}
	par := tableHTML{Caption: "Posterior (weighted quantiles)", Head: []string{"parameter", "prior", "median", "90% interval", "narrower than half the prior"}}
	for _, p := range sum.Parameters {
		nw := ""
		if p.Narrow {
			nw = "yes"
		}
		par.Rows = append(par.Rows, []string{p.Name, fmt.Sprintf("%s [%s, %s]", p.Kind, fmtNum(p.Prior[0]), fmtNum(p.Prior[1])), fmtNum(p.Median), fmt.Sprintf("[%s, %s]", fmtNum(p.Q05), fmtNum(p.Q95)), nw})
	}
	d.Tables = append(d.Tables, par)
	tg := tableHTML{Caption: "Posterior predictive check per target"}
	if pr.ClassAccuracy != nil {
		tg.Head = []string{"case", "held out", "observed", "modal", "defected", "split", "loyal"}
		for _, t := range pr.Targets {
			tg.Rows = append(tg.Rows, []string{t.Name, strconv.FormatBool(t.HeldOut), t.ObservedClass, t.Modal, fmtNum(t.Classes["defected"]), fmtNum(t.Classes["split"]), fmtNum(t.Classes["loyal"])})
		}
	} else {
		tg.Head = []string{"target", "held out", "observed", "observed week", "median", "90% interval", "inside"}
		for _, t := range pr.Targets {
			tg.Rows = append(tg.Rows, []string{t.Name, strconv.FormatBool(t.HeldOut), t.Observed, fmtNum(t.ObservedWeek), fmtNum(t.Predicted.Median), fmt.Sprintf("[%s, %s]", fmtNum(t.Predicted.Q05), fmtNum(t.Predicted.Q95)), strconv.FormatBool(t.Inside)})
		}
	}
	if len(sum.Series) > 0 {
		tg = seriesTable(sum) // series targets: one row per point
	}
	d.Tables = append(d.Tables, tg)
	return reportTemplate.Execute(w, d)
}
