package validate

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/turncoat-abm/turncoat/epstein"
)

// mesaJSON holds per-run summaries of Mesa's own Epstein example (v3.3.1),
// run by ../shared/peers/mesa/run_epstein.py stats (docs/VALIDATION.md).
//
//go:embed testdata/mesa_epstein.json
var mesaJSON []byte

// DockRun is one run's summary, the same for Mesa and turncoat: over steps
// Window[0]..Steps, the mean active and mean jailed citizens, the bursts
// (maximal runs of steps with more than 50 active); the peak active over
// steps 1..Steps; and the agents placed.
type DockRun struct {
	Seed       int     `json:"seed"`
	Citizens   int     `json:"citizens"`
	Cops       int     `json:"cops"`
	MeanActive float64 `json:"mean_active"`
	PeakActive float64 `json:"peak_active"`
	Bursts     float64 `json:"bursts"`
	MeanJailed float64 `json:"mean_jailed"`
}

// MesaRuns is the stored Mesa data set.
type MesaRuns struct {
	Mesa    string `json:"mesa_version"`
	Command string `json:"command"`
	Steps   int    `json:"steps"`
	// Window is the first step of the summary window.
	Window    int                  `json:"window"`
	Scenarios map[string][]DockRun `json:"scenarios"`
}

// LoadMesaRuns returns the embedded Mesa runs.
func LoadMesaRuns() (*MesaRuns, error) {
	var m MesaRuns
	if err := json.Unmarshal(mesaJSON, &m); err != nil {
		return nil, fmt.Errorf("validate: testdata/mesa_epstein.json: %w", err)
	}
	return &m, nil
}

// DockConfig returns the mesa variant's configuration for a scenario of
// the Mesa data set: "default" (the model class's defaults) or "app" (the
// example app's parameters).
func DockConfig(scenario string) (epstein.Config, error) {
	switch scenario {
	case "default":
		return epstein.MesaModelDefaults(), nil
	case "app":
		return epstein.Defaults(epstein.Mesa), nil
	}
	return epstein.Config{}, fmt.Errorf("validate: no docking scenario %q", scenario)
}

// DockRuns runs the mesa variant of a scenario for seeds 1..n over steps
// and summarises each run as the Mesa data are.
func DockRuns(ctx context.Context, scenario string, n, steps, window int) ([]DockRun, error) {
	cfg, err := DockConfig(scenario)
	if err != nil {
		return nil, err
	}
	var out []DockRun
	for s := 1; s <= n; s++ {
		act, jail, _, _, err := epsteinRunJ(ctx, cfg, steps, uint64(1000+s))
		if err != nil {
			return nil, err
		}
		nc, nk, err := epsteinCitizens(cfg, uint64(1000+s))
		if err != nil {
			return nil, err
		}
		// act[t] is the count after step t+1
		w := act[window-1:]
		m, _, b := burstStats(w, 50)
		mj := 0.0
		for _, j := range jail[window-1:] {
			mj += float64(j) / float64(len(w))
		}
		out = append(out, DockRun{Seed: s, Citizens: nc, Cops: nk, MeanActive: m, PeakActive: float64(slices.Max(act)), Bursts: float64(b), MeanJailed: mj})
	}
	return out, nil
}

// dockMetrics are the compared summaries.
var dockMetrics = []struct {
	name string
	get  func(DockRun) float64
}{
	{"cops", func(r DockRun) float64 { return float64(r.Cops) }},
	{"mean-active", func(r DockRun) float64 { return r.MeanActive }},
	{"peak-active", func(r DockRun) float64 { return r.PeakActive }},
	{"bursts", func(r DockRun) float64 { return r.Bursts }},
	{"mean-jailed", func(r DockRun) float64 { return r.MeanJailed }},
}

// dockAlpha is the level of each docking test.
const dockAlpha = 0.01

// DockTest is the comparison of one summary between turncoat and Mesa.
type DockTest struct {
	Scenario, Metric          string
	Turncoat, Mesa            []float64
	MannWhitneyU, MannWhitney float64 // U of turncoat, two-sided p
	KSD, KS                   float64 // statistic, asymptotic p
	LeveneW, Levene           float64 // Brown–Forsythe W, p
	// AtEqualCops is turncoat's mean less Mesa's at equal cop counts (an
	// analysis of covariance: the metric regressed on the cops placed and
	// a turncoat indicator, pooled), with its t statistic and two-sided p;
	// NaN for the cop count itself and when the fit is degenerate.
	AtEqualCops, AtEqualCopsT, AtEqualCopsP float64
}

// Dock compares turncoat's mesa variant with Mesa's runs on every stored
// scenario and summary.
func Dock(ctx context.Context, n int) ([]DockTest, *MesaRuns, error) {
	mr, err := LoadMesaRuns()
	if err != nil {
		return nil, nil, err
	}
	var out []DockTest
	for _, sc := range []string{"default", "app"} {
		ms, ok := mr.Scenarios[sc]
		if !ok {
			continue
		}
		ts, err := DockRuns(ctx, sc, n, mr.Steps, mr.Window)
		if err != nil {
			return nil, nil, err
		}
		for _, mt := range dockMetrics {
			var a, b []float64
			for _, r := range ts {
				a = append(a, mt.get(r))
			}
			for _, r := range ms {
				b = append(b, mt.get(r))
			}
			d := DockTest{Scenario: sc, Metric: mt.name, Turncoat: a, Mesa: b}
			d.MannWhitneyU, d.MannWhitney = MannWhitney(a, b)
			d.KSD, d.KS = KolmogorovSmirnov(a, b)
			d.LeveneW, d.Levene = Levene(a, b)
			d.AtEqualCops, d.AtEqualCopsT, d.AtEqualCopsP = math.NaN(), math.NaN(), math.NaN()
			if mt.name != "cops" {
				d.AtEqualCops, d.AtEqualCopsT, d.AtEqualCopsP = AtEqualCovariate(a, copsOf(ts), b, copsOf(ms))
			}
			out = append(out, d)
		}
	}
	return out, mr, nil
}

func epsteinDock(ctx context.Context, r *Report, opt Options) error {
	tests, mr, err := Dock(ctx, max(opt.Replicates, 10))
	if err != nil {
		return err
	}
	for _, d := range tests {
		ma, _ := meanSD(d.Turncoat)
		mb, _ := meanSD(d.Mesa)
		ref := fmt.Sprintf("docking with Mesa %s's Epstein example (%s parameters, %d steps, %d Mesa runs in validate/testdata/mesa_epstein.json, %d turncoat runs): turncoat mean %.3g (median %.3g), Mesa mean %.3g (median %.3g); Mann–Whitney U %.1f p %.3g; Kolmogorov–Smirnov D %.3f p %.3g; Levene (Brown–Forsythe) W %.3g p %.3g",
			mr.Mesa, d.Scenario, mr.Steps, len(d.Mesa), len(d.Turncoat), ma, median(d.Turncoat), mb, median(d.Mesa), d.MannWhitneyU, d.MannWhitney, d.KSD, d.KS, d.LeveneW, d.Levene)
		name := "epstein/mesa-dock/" + d.Scenario + "/" + d.Metric
		c := verdict(name, ma, d.MannWhitney >= dockAlpha, ref+fmt.Sprintf("; passes when Mann–Whitney's p >= %g (expected: Mesa's mean)", dockAlpha))
		c.Expected = fptr(mb)
		r.add(c)
		c = verdict(name+"/spread", stdev(d.Turncoat), d.Levene >= dockAlpha, ref+fmt.Sprintf("; value: turncoat's sd, expected: Mesa's; passes when Levene's p >= %g", dockAlpha))
		c.Expected = fptr(stdev(d.Mesa))
		r.add(c)
		if !math.IsNaN(d.AtEqualCops) {
			// The cops placed vary from seed to seed and move activity
			// strongly; this row says how much of a difference in means is
			// left at equal cops (no verdict: the check rows above are the
			// test).
			r.add(info(name+"/at-equal-cops", d.AtEqualCops, fmt.Sprintf("turncoat's mean less Mesa's at equal cops placed (analysis of covariance on %d turncoat and %d Mesa runs, common slope on the cop count): %.3g, t %.2f, p %.3g (means: turncoat %.3g, Mesa %.3g)",
				len(d.Turncoat), len(d.Mesa), d.AtEqualCops, d.AtEqualCopsT, d.AtEqualCopsP, ma, mb)))
		}
	}
	return nil
}

func copsOf(rs []DockRun) []float64 {
	x := make([]float64, len(rs))
	for i, r := range rs {
		x[i] = float64(r.Cops)
	}
	return x
}

// AtEqualCovariate compares two samples a and b (with covariates xa and
// xb) at equal covariate: it fits y = β0 + β1·(x − x̄) + β2·[y from a] by
// least squares on the pooled sample and returns β2 (a's mean less b's
// at the same x), its t statistic and the two-sided p-value on n − 3
// degrees of freedom (an analysis of covariance with a common slope). It
// returns NaNs when the fit is degenerate (fewer than 4 runs, or no
// variation in the residuals or the covariate).
func AtEqualCovariate(a, xa, b, xb []float64) (diff, t, p float64) {
	n := len(a) + len(b)
	nan := math.NaN()
	if n < 4 || len(a) != len(xa) || len(b) != len(xb) || len(a) == 0 || len(b) == 0 {
		return nan, nan, nan
	}
	y := mat.NewVecDense(n, append(slices.Clone(a), b...))
	x := append(slices.Clone(xa), xb...)
	xm := stat.Mean(x, nil)
	design := mat.NewDense(n, 3, nil)
	for i := range n {
		g := 0.0
		if i < len(a) {
			g = 1
		}
		design.SetRow(i, []float64{1, x[i] - xm, g})
	}
	var xtx mat.Dense
	xtx.Mul(design.T(), design)
	var inv mat.Dense
	if err := inv.Inverse(&xtx); err != nil {
		return nan, nan, nan
	}
	var beta, fit, res, xty mat.VecDense
	xty.MulVec(design.T(), y)
	beta.MulVec(&inv, &xty)
	fit.MulVec(design, &beta)
	res.SubVec(y, &fit)
	s2 := mat.Dot(&res, &res) / float64(n-3)
	se := math.Sqrt(s2 * inv.At(2, 2))
	if !(se > 0) {
		return nan, nan, nan
	}
	diff = beta.AtVec(2)
	t = diff / se
	p = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 3)}.Survival(math.Abs(t))
	return diff, t, p
}

// MannWhitney returns the Mann–Whitney U of a against b and its two-sided
// p-value by the normal approximation with the tie correction (1 when
// there is no variation at all).
func MannWhitney(a, b []float64) (u, p float64) {
	type obs struct {
		v float64
		a bool
	}
	var all []obs
	for _, v := range a {
		all = append(all, obs{v, true})
	}
	for _, v := range b {
		all = append(all, obs{v, false})
	}
	slices.SortFunc(all, func(x, y obs) int {
		switch {
		case x.v < y.v:
			return -1
		case x.v > y.v:
			return 1
		}
		return 0
	})
	n1, n2 := float64(len(a)), float64(len(b))
	n := n1 + n2
	ra, ties := 0.0, 0.0
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		rank := float64(i+j+1) / 2 // ranks i+1..j
		t := float64(j - i)
		ties += t*t*t - t
		for k := i; k < j; k++ {
			if all[k].a {
				ra += rank
			}
		}
		i = j
	}
	u = ra - n1*(n1+1)/2
	mu := n1 * n2 / 2
	v := n1 * n2 / 12 * ((n + 1) - ties/(n*(n-1)))
	if v <= 0 {
		return u, 1
	}
	z := (math.Abs(u-mu) - 0.5) / math.Sqrt(v) // continuity correction
	if z < 0 {
		z = 0
	}
	return u, 2 * (1 - phi(z))
}

// KolmogorovSmirnov returns the two-sample statistic D and its asymptotic
// p-value (Kolmogorov's distribution with Stephens' small-sample
// correction).
func KolmogorovSmirnov(a, b []float64) (d, p float64) {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		v := math.Min(x[i], y[j])
		for i < len(x) && x[i] == v {
			i++
		}
		for j < len(y) && y[j] == v {
			j++
		}
		d = math.Max(d, math.Abs(float64(i)/float64(len(x))-float64(j)/float64(len(y))))
	}
	ne := float64(len(x)*len(y)) / float64(len(x)+len(y))
	lam := (math.Sqrt(ne) + 0.12 + 0.11/math.Sqrt(ne)) * d
	if lam < 1e-3 {
		return d, 1
	}
	s := 0.0
	for k := 1; k <= 100; k++ {
		s += 2 * math.Pow(-1, float64(k-1)) * math.Exp(-2*float64(k*k)*lam*lam)
	}
	return d, math.Min(1, math.Max(0, s))
}

// Levene returns the Brown–Forsythe statistic (Levene's test on absolute
// deviations from each group's median) for two samples and its p-value
// from F(1, n−2); p = 1 when neither sample varies.
func Levene(a, b []float64) (w, p float64) {
	dev := func(v []float64) []float64 {
		m := median(v)
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = math.Abs(x - m)
		}
		return out
	}
	za, zb := dev(a), dev(b)
	ma, _ := meanSD(za)
	mb, _ := meanSD(zb)
	all := append(slices.Clone(za), zb...)
	m, _ := meanSD(all)
	n := float64(len(all))
	between := float64(len(za))*(ma-m)*(ma-m) + float64(len(zb))*(mb-m)*(mb-m)
	within := 0.0
	for _, z := range za {
		within += (z - ma) * (z - ma)
	}
	for _, z := range zb {
		within += (z - mb) * (z - mb)
	}
	if within == 0 {
		if between == 0 {
			return 0, 1
		}
		return math.Inf(1), 0
	}
	w = (n - 2) * between / within
	return w, 1 - distuv.F{D1: 1, D2: n - 2}.CDF(w)
}
