package calibrate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/internal/seed"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// File names of a calibration directory.
const (
	PosteriorFile   = "posterior.csv"
	GenerationsFile = "generations.csv"
	SummaryFile     = "summary.json"
	PredictiveFile  = "predictive.csv"
	SpecFile        = "calibrate.yaml"
	ScenarioFile    = "scenario.yaml"
	BestFile        = "best.yaml"
	MedianFile      = "posterior-median.yaml"
	ManifestFile    = "manifest.json"
	CheckpointDir   = "generations"
)

// Interval is a distribution summarised by its 5%, 50% and 95% quantiles.
type Interval struct {
	Q05    float64 `json:"q05"`
	Median float64 `json:"median"`
	Q95    float64 `json:"q95"`
}

// ParamSummary is one parameter's prior range and posterior quantiles
// (weighted). Its JSON names are a contract.
type ParamSummary struct {
	Name  string     `json:"name"`
	Prior [2]float64 `json:"prior"`
	Kind  string     `json:"prior_kind"`
	// PriorMean and PriorSD are a normal prior's (before truncation).
	PriorMean float64 `json:"prior_mean,omitempty"`
	PriorSD   float64 `json:"prior_sd,omitempty"`
	Median    float64 `json:"median"`
	Q05       float64 `json:"q05"`
	Q95       float64 `json:"q95"`
	// Narrow reports whether the 90% interval is narrower than half the
	// prior range.
	Narrow bool `json:"narrow"`
}

// TargetCheck is the posterior predictive check of one target.
type TargetCheck struct {
	Name string `json:"name"`
	// HeldOut is true for a target left out of the fit.
	HeldOut bool `json:"held_out"`
	// Observed is the historical date and ObservedWeek its week from the
	// scenario's start.
	Observed     string  `json:"observed"`
	ObservedWeek float64 `json:"observed_week"`
	// Predicted is the 90% predictive interval and median of the exit week
	// (a run without the exit counts one tick past the horizon).
	Predicted Interval `json:"predicted_week"`
	// Inside reports whether ObservedWeek lies in [q05, q95].
	Inside bool `json:"inside"`
	// NoExit is the share of draws in which the region does not exit.
	NoExit float64 `json:"no_exit"`
	// For a class target (pack calibrations): the observed class, the
	// share of draws ending in each class, and the modal class. Inside
	// then reports whether the modal class is the observed one.
	ObservedClass string             `json:"observed_class,omitempty"`
	Classes       map[string]float64 `json:"classes,omitempty"`
	Modal         string             `json:"modal_class,omitempty"`
}

// Predictive is the posterior predictive check.
type Predictive struct {
	Draws   int           `json:"draws"`
	Targets []TargetCheck `json:"targets"`
	// Covered counts targets inside their 90% interval, of Fitted or
	// HeldOut targets.
	CoveredFitted  int `json:"covered_fitted"`
	Fitted         int `json:"fitted"`
	CoveredHeldOut int `json:"covered_held_out"`
	HeldOut        int `json:"held_out"`
	// Spearman and TimingErrorWeeks are distributions over draws, scored
	// on every target.
	Spearman         Interval `json:"spearman"`
	TimingErrorWeeks Interval `json:"timing_error_weeks"`
	// HeldOutTimingErrorWeeks is over the held-out targets only (absent
	// without holdout), exits and declarations together.
	HeldOutTimingErrorWeeks *Interval `json:"held_out_timing_error_weeks,omitempty"`
	// With declaration targets (a scenario with a sovereignty rule):
	// Spearman and TimingErrorWeeks above score the exit targets only,
	// these the declaration targets (distributions over draws).
	DeclarationSpearman         *Interval `json:"declaration_spearman,omitempty"`
	DeclarationTimingErrorWeeks *Interval `json:"declaration_timing_error_weeks,omitempty"`
	// Collapse is the share of draws in which the regime collapses within
	// the horizon (ending CollapseBy).
	Collapse   float64 `json:"collapse_probability"`
	CollapseBy string  `json:"collapse_by"`
	// Pack calibrations: ClassAccuracy is the share of targets whose
	// simulated class is the observed one, as a distribution over draws;
	// ModalAccuracy the share whose modal class over draws is the observed
	// one; MajorityBaseline the expected accuracy of predicting every case
	// as the most common observed class (ties at random).
	ClassAccuracy    *Interval `json:"class_accuracy,omitempty"`
	ModalAccuracy    *float64  `json:"modal_accuracy,omitempty"`
	MajorityBaseline *float64  `json:"majority_baseline,omitempty"`
	// With held-out cases: ModalAccuracy and MajorityBaseline are over the
	// fitted cases, these over the held-out ones (the majority class is
	// always the fitted cases').
	HeldOutModalAccuracy    *float64 `json:"held_out_modal_accuracy,omitempty"`
	HeldOutMajorityBaseline *float64 `json:"held_out_majority_baseline,omitempty"`
}

// BaselineScore is a naive forecast scored on the same targets.
type BaselineScore struct {
	Name             string   `json:"name"`
	Description      string   `json:"description"`
	Spearman         *float64 `json:"spearman"`
	TimingErrorWeeks *float64 `json:"timing_error_weeks"`
}

// Summary is summary.json.
type Summary struct {
	Name        string         `json:"name"`
	Scenario    string         `json:"scenario"`
	Method      string         `json:"method"`
	Seed        uint64         `json:"seed"`
	Particles   int            `json:"particles"`
	Generations int            `json:"generations"`
	Tolerance   float64        `json:"tolerance"`
	Parameters  []ParamSummary `json:"parameters"`
	Runs        int            `json:"runs"`
	Holdout     []string       `json:"holdout"`
	// HoldoutAfter is the spec's holdout_after date, if any.
	HoldoutAfter string          `json:"holdout_after,omitempty"`
	Predictive   Predictive      `json:"predictive"`
	Baselines    []BaselineScore `json:"baselines,omitempty"`
	// HeldOutBaselines are the naive forecasts scored on the held-out
	// targets only (they are not fitted, so this is their held-out score).
	HeldOutBaselines []BaselineScore `json:"held_out_baselines,omitempty"`
	// DeclarationBaselines and HeldOutDeclarationBaselines are the naive
	// forecasts of the declaration targets (all, and held out only);
	// Baselines and HeldOutBaselines then score the exit targets.
	DeclarationBaselines        []BaselineScore `json:"declaration_baselines,omitempty"`
	HeldOutDeclarationBaselines []BaselineScore `json:"held_out_declaration_baselines,omitempty"`
	// Series is the fit of each series target (series calibrations).
	Series []SeriesCheck `json:"series,omitempty"`
	// OrderWeight is the spec's order_weight (weeks per unit of 1 − ρ̄
	// added to the distance; omitted when 0, off).
	OrderWeight float64 `json:"order_weight,omitempty"`
}

// predictive runs Draws posterior draws (drawn by weight from the final
// generation), one run each.
func (p *prepared) predictive(ctx context.Context, g *Generation) (*predOut, error) {
	s := p.spec
	r := seed.New(seed.Mix(s.Seed, labelPredictive))
	cum := make([]float64, len(g.Weights))
	acc := 0.0
	for i, w := range g.Weights {
		acc += w
		cum[i] = acc
	}
	pts := make([][]float64, s.Draws)
	for i := range pts {
		u := r.Float64() * acc
		a, _ := slices.BinarySearch(cum, u)
		pts[i] = g.Params[min(a, len(cum)-1)]
	}
	out, err := p.simulate(ctx, pts, 1, seed.Mix(s.Seed, labelPredictive+1), false)
	if err != nil {
		return nil, err
	}
	return &predOut{pts: pts, out: out}, nil
}

type predOut struct {
	pts [][]float64
	out []float64
}

func interval(x []float64) Interval {
	return Interval{Q05: weightedQuantile(x, nil, 0.05), Median: weightedQuantile(x, nil, 0.5), Q95: weightedQuantile(x, nil, 0.95)}
}

func ptr(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func (p *prepared) summarize(res *Result, pred *predOut) Summary {
	s := p.spec
	final := res.Generations[len(res.Generations)-1]
	sum := Summary{Name: s.Name, Scenario: p.base.Name, Method: s.Method, Seed: s.Seed, Particles: s.Particles,
		Generations: final.Index, Tolerance: final.Tolerance, Runs: res.Runs, Holdout: append([]string{}, s.Holdout...), HoldoutAfter: s.HoldoutAfter, OrderWeight: s.OrderWeight}
	col := make([]float64, len(final.Params))
	for k, q := range s.Parameters {
		for i := range final.Params {
			col[i] = final.Params[i][k]
		}
		ps := ParamSummary{Name: q.Name, Prior: [2]float64{q.Range[0], q.Range[1]}, Kind: q.Prior, PriorMean: q.Mean, PriorSD: q.SD,
			Median: weightedQuantile(col, final.Weights, 0.5), Q05: weightedQuantile(col, final.Weights, 0.05), Q95: weightedQuantile(col, final.Weights, 0.95)}
		ps.Narrow = ps.Q95-ps.Q05 < (q.Range[1]-q.Range[0])/2
		sum.Parameters = append(sum.Parameters, ps)
	}
	if p.pk != nil {
		sum.Scenario = p.pk.name
		sum.Predictive = p.predictivePack(pred)
		return sum
	}
	if p.ser != nil {
		p.summarizeSeries(&sum, pred)
		return sum
	}
	// Predictive check.
	c := &p.base
	no, n := p.nOut(), len(c.Regions)
	draws := s.Draws
	pr := Predictive{Draws: draws, CollapseBy: c.DateOf(c.Ticks).String()}
	held, heldD := map[string]regime.Date{}, map[string]regime.Date{}
	for _, h := range p.held {
		if k, r := splitTarget(h); k == "declaration" {
			heldD[r] = p.allD[r]
		} else {
			held[h] = p.all[h]
		}
	}
	var sp, te, hte, dsp, dte []float64
	collapsed := 0
	weeks := map[string][]float64{}
	noexit := map[string]int{}
	for d := 0; d < draws; d++ {
		o := pred.out[d*no : (d+1)*no]
		tk := ticks(o, n)
		if len(p.all) > 0 {
			f := c.FitTicks(p.all, tk)
			sp = append(sp, f.Spearman)
			te = append(te, f.TimingErrorWeeks)
		}
		var dk []int
		if p.decl {
			dk = ticks(o[n+1:], n)
			if len(p.allD) > 0 {
				f := c.FitTicks(p.allD, dk)
				dsp = append(dsp, f.Spearman)
				dte = append(dte, f.TimingErrorWeeks)
			}
		}
		if len(held)+len(heldD) > 0 {
			hte = append(hte, p.timing(o, held, heldD))
		}
		if o[n] >= 0 {
			collapsed++
		}
		for _, name := range p.targets {
			kind, r := splitTarget(name)
			g := slices.IndexFunc(c.Regions, func(x regime.Region) bool { return x.Name == r })
			t := tk[g]
			if kind == "declaration" {
				t = dk[g]
			}
			if t < 0 {
				t = c.Ticks
				noexit[name]++
			}
			weeks[name] = append(weeks[name], float64(t)*c.TickDays/7)
		}
	}
	for _, name := range p.targets {
		h := targetDate(c, name)
		tc := TargetCheck{Name: name, HeldOut: slices.Contains(p.held, name), Observed: h.String(),
			ObservedWeek: float64(c.TickOf(h)) * c.TickDays / 7, Predicted: interval(weeks[name]),
			NoExit: float64(noexit[name]) / float64(draws)}
		tc.Inside = tc.ObservedWeek >= tc.Predicted.Q05 && tc.ObservedWeek <= tc.Predicted.Q95
		if tc.HeldOut {
			pr.HeldOut++
			if tc.Inside {
				pr.CoveredHeldOut++
			}
		} else {
			pr.Fitted++
			if tc.Inside {
				pr.CoveredFitted++
			}
		}
		pr.Targets = append(pr.Targets, tc)
	}
	pr.Spearman = nanInterval(sp)
	pr.TimingErrorWeeks = nanInterval(te)
	if len(hte) > 0 {
		iv := interval(hte)
		pr.HeldOutTimingErrorWeeks = &iv
	}
	if len(dte) > 0 {
		a, b := nanInterval(dsp), interval(dte)
		pr.DeclarationSpearman, pr.DeclarationTimingErrorWeeks = &a, &b
	}
	pr.Collapse = float64(collapsed) / float64(draws)
	sum.Predictive = pr
	if len(p.all) > 0 {
		sum.Baselines = p.baselines(p.all)
	}
	if len(held) > 0 {
		sum.HeldOutBaselines = p.baselines(held)
	}
	if len(p.allD) > 0 {
		sum.DeclarationBaselines = p.declarationBaselines(p.allD)
	}
	if len(heldD) > 0 {
		sum.HeldOutDeclarationBaselines = p.declarationBaselines(heldD)
	}
	return sum
}

// nanInterval is the interval of x without its NaNs (all NaN when none
// is left).
func nanInterval(x []float64) Interval {
	x = slices.DeleteFunc(slices.Clone(x), math.IsNaN)
	if len(x) == 0 {
		return Interval{math.NaN(), math.NaN(), math.NaN()}
	}
	return interval(x)
}

// predictivePack is the posterior predictive check of a pack's classes.
func (p *prepared) predictivePack(pred *predOut) Predictive {
	draws, no := p.spec.Draws, p.nOut()
	pr := Predictive{Draws: draws}
	var acc []float64
	var obs []regime.Outcome // the fitted cases' classes: the majority baseline's training set
	for i, c := range p.pk.cases {
		if p.fitted[i] {
			obs = append(obs, c.observed)
		}
	}
	dists := make([]regime.OutcomeDist, len(p.pk.cases))
	for d := 0; d < draws; d++ {
		hit, n := 0, 0
		for i, c := range p.pk.cases {
			if !p.target[i] {
				continue
			}
			o := classOf(pred.out[d*no+i])
			dists[i].Add(o)
			n++
			if o == c.observed {
				hit++
			}
		}
		acc = append(acc, float64(hit)/float64(n))
	}
	modal, base, hModal, hBase := 0.0, 0.0, 0.0, 0.0
	for i, c := range p.pk.cases {
		if !p.target[i] {
			continue
		}
		tc := TargetCheck{Name: c.name, HeldOut: slices.Contains(p.held, c.name), Observed: string(c.observed), ObservedClass: string(c.observed),
			Classes: map[string]float64{}, Modal: string(dists[i].Modal())}
		for _, o := range regime.Outcomes {
			tc.Classes[string(o)] = dists[i].Share(o)
		}
		tc.Inside = tc.Modal == tc.ObservedClass
		hit := 0.0
		if tc.Inside {
			hit = 1
		}
		if tc.HeldOut {
			hModal += hit
			hBase += majority(obs, c.observed)
		} else {
			modal += hit
			base += majority(obs, c.observed)
		}
		if tc.HeldOut {
			pr.HeldOut++
			if tc.Inside {
				pr.CoveredHeldOut++
			}
		} else {
			pr.Fitted++
			if tc.Inside {
				pr.CoveredFitted++
			}
		}
		pr.Targets = append(pr.Targets, tc)
	}
	iv := interval(acc)
	pr.ClassAccuracy = &iv
	pr.ModalAccuracy, pr.MajorityBaseline = ptr(modal/float64(pr.Fitted)), ptr(base/float64(pr.Fitted))
	if pr.HeldOut > 0 {
		pr.HeldOutModalAccuracy, pr.HeldOutMajorityBaseline = ptr(hModal/float64(pr.HeldOut)), ptr(hBase/float64(pr.HeldOut))
	}
	pr.Spearman = Interval{math.NaN(), math.NaN(), math.NaN()}
	pr.TimingErrorWeeks = Interval{math.NaN(), math.NaN(), math.NaN()}
	return pr
}

// baselines scores the scenario's naive forecasts of the exits on hist
// (the soviet1991 scenarios only, for now).
func (p *prepared) baselines(hist map[string]regime.Date) []BaselineScore {
	if !isSoviet(p.base.Name) {
		return nil
	}
	bs, err := scenarios.SovietExitBaselines()
	if err != nil {
		return nil
	}
	return scoreBaselines(&p.base, bs, hist)
}

// declarationBaselines scores the naive forecasts of the declarations
// of sovereignty on hist: every declaration on the median date of hist,
// and for the soviet1991 scenarios the referendum order.
func (p *prepared) declarationBaselines(hist map[string]regime.Date) []BaselineScore {
	bs := []scenarios.Baseline{scenarios.MedianBaseline(hist)}
	if isSoviet(p.base.Name) {
		if sb, err := scenarios.SovietDeclarationBaselines(); err == nil {
			bs = sb
			bs[len(bs)-1] = scenarios.MedianBaseline(hist)
		}
	}
	return scoreBaselines(&p.base, bs, hist)
}

func scoreBaselines(c *regime.Config, bs []scenarios.Baseline, hist map[string]regime.Date) []BaselineScore {
	var out []BaselineScore
	for _, b := range bs {
		f := b.Fit(c, hist)
		out = append(out, BaselineScore{Name: b.Name, Description: b.Description, Spearman: ptr(f.Spearman), TimingErrorWeeks: ptr(f.TimingErrorWeeks)})
	}
	return out
}

// isSoviet reports whether a scenario is one of the soviet1991 family
// (soviet1991, soviet1991-sovereignty, …), whose baselines apply.
func isSoviet(name string) bool {
	return name == "soviet1991" || strings.HasPrefix(name, "soviet1991-")
}

// outDir is an open calibration directory.
type outDir struct {
	dir  string
	done []*Generation // read back on resume
}

type manifest struct {
	Version  string `json:"version"`
	Name     string `json:"name"`
	SpecHash string `json:"spec_sha256"`
	Complete bool   `json:"complete"`
}

// ErrExists is returned when the output directory holds files and neither
// Resume nor Force is set.
var ErrExists = errors.New("calibrate: output directory is not empty")

func openDir(dir string, spec *Spec, p *prepared, resume, force bool) (*outDir, error) {
	hash, err := spec.Hash()
	if err != nil {
		return nil, err
	}
	o := &outDir{dir: dir}
	if resume {
		b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
		if err != nil {
			return nil, fmt.Errorf("calibrate: resume: %w", err)
		}
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("calibrate: resume: %s: %w", ManifestFile, err)
		}
		if m.SpecHash != hash {
			return nil, fmt.Errorf("calibrate: resume: %s was made by another spec or scenario (hash %.12s, now %.12s)", dir, m.SpecHash, hash)
		}
		abm.CleanTemps(filepath.Join(dir, CheckpointDir))
		for i := 0; ; i++ {
			b, err := os.ReadFile(filepath.Join(dir, CheckpointDir, fmt.Sprintf("gen-%03d.json", i)))
			if errors.Is(err, os.ErrNotExist) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("calibrate: resume: %w", err)
			}
			g := &Generation{}
			if err := json.Unmarshal(b, g); err != nil {
				return nil, fmt.Errorf("calibrate: resume: generation %d: %w", i, err)
			}
			g.Tolerance = math.Inf(1)
			if g.TolJSON != nil {
				g.Tolerance = *g.TolJSON
			}
			o.done = append(o.done, g)
		}
		return o, nil
	}
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 && !force {
		return nil, fmt.Errorf("%w: %s (use --resume or --force)", ErrExists, dir)
	}
	if force {
		os.RemoveAll(filepath.Join(dir, CheckpointDir))
	}
	if err := os.MkdirAll(filepath.Join(dir, CheckpointDir), 0o755); err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	b, _ := json.MarshalIndent(manifest{Version: regime.Version, Name: spec.Name, SpecHash: hash}, "", "  ")
	if err := abm.WriteFileAtomic(filepath.Join(dir, ManifestFile), append(b, '\n')); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *outDir) checkpoint(g *Generation) error {
	b, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return abm.WriteFileAtomic(filepath.Join(o.dir, CheckpointDir, fmt.Sprintf("gen-%03d.json", g.Index)), append(b, '\n'))
}

func fmtf(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func (o *outDir) finish(p *prepared, res *Result, pred *predOut) error {
	s := p.spec
	final := res.Generations[len(res.Generations)-1]
	write := func(name string, b []byte) error { return abm.WriteFileAtomic(filepath.Join(o.dir, name), b) }
	// posterior.csv
	var b bytes.Buffer
	b.WriteString("particle,weight,distance")
	for _, n := range p.names {
		b.WriteString("," + abm.CSVField(n))
	}
	b.WriteByte('\n')
	for i, v := range final.Params {
		fmt.Fprintf(&b, "%d,%s,%s", i, fmtf(final.Weights[i]), fmtf(final.Distances[i]))
		for _, x := range v {
			b.WriteString("," + fmtf(x))
		}
		b.WriteByte('\n')
	}
	if err := write(PosteriorFile, b.Bytes()); err != nil {
		return err
	}
	// generations.csv
	b.Reset()
	b.WriteString("generation,tolerance,attempts,accepted,acceptance_rate,ess,runs\n")
	for _, g := range res.Generations {
		fmt.Fprintf(&b, "%d,%s,%d,%d,%s,%s,%d\n", g.Index, fmtf(g.Tolerance), g.Attempts, g.Accepted, fmtf(float64(g.Accepted)/float64(g.Attempts)), fmtf(g.ESS), g.Runs)
	}
	if err := write(GenerationsFile, b.Bytes()); err != nil {
		return err
	}
	// predictive.csv: one row per draw and target.
	b.Reset()
	c := &p.base
	no := p.nOut()
	if p.pk != nil {
		b.WriteString("draw,target,held_out,observed_class,simulated_class\n")
		for d := 0; d < s.Draws; d++ {
			for i, pc := range p.pk.cases {
				if p.target[i] {
					fmt.Fprintf(&b, "%d,%s,%t,%s,%s\n", d, abm.CSVField(pc.name), slices.Contains(p.held, pc.name), pc.observed, classOf(pred.out[d*no+i]))
				}
			}
		}
	} else if p.ser != nil {
		p.seriesPredictiveCSV(&b, pred)
	} else {
		b.WriteString("draw,target,held_out,observed_week,simulated_week\n")
	}
	for d := 0; d < s.Draws && p.pk == nil && p.ser == nil; d++ {
		for _, name := range p.targets {
			kind, r := splitTarget(name)
			g := slices.IndexFunc(c.Regions, func(x regime.Region) bool { return x.Name == r })
			h := targetDate(c, name)
			i := d*no + g
			if kind == "declaration" {
				i += len(c.Regions) + 1
			}
			t := int(pred.out[i])
			if t < 0 {
				t = c.Ticks
			}
			fmt.Fprintf(&b, "%d,%s,%t,%s,%s\n", d, abm.CSVField(name), slices.Contains(p.held, name), fmtf(float64(c.TickOf(h))*c.TickDays/7), fmtf(float64(t)*c.TickDays/7))
		}
	}
	if err := write(PredictiveFile, b.Bytes()); err != nil {
		return err
	}
	// summary.json
	js, err := json.MarshalIndent(nanSafe(res.Summary), "", "  ")
	if err != nil {
		return err
	}
	if err := write(SummaryFile, append(js, '\n')); err != nil {
		return err
	}
	// calibrate.yaml, scenario.yaml, best.yaml, posterior-median.yaml
	y, err := s.YAML()
	if err != nil {
		return err
	}
	if err := write(SpecFile, y); err != nil {
		return err
	}
	if p.pk != nil {
		return o.finishPack(p, res, final)
	}
	if y, err = p.base.YAML(); err != nil {
		return err
	}
	if err := write(ScenarioFile, y); err != nil {
		return err
	}
	best, med := bestAndMedian(p, res, final)
	for _, f := range []struct {
		name string
		vals []float64
	}{{BestFile, best}, {MedianFile, med}} {
		cfg, err := p.config(f.vals)
		if err != nil {
			return fmt.Errorf("calibrate: %s: %w", f.name, err)
		}
		if y, err = cfg.YAML(); err != nil {
			return err
		}
		if err := write(f.name, y); err != nil {
			return err
		}
	}
	b2, _ := json.MarshalIndent(manifest{Version: regime.Version, Name: s.Name, SpecHash: mustHash(s), Complete: true}, "", "  ")
	return write(ManifestFile, append(b2, '\n'))
}

// finishPack writes a pack calibration's scenario files: one directory
// per scenario file name (scenario/, best/, posterior-median/) with one
// CASE.yaml per case, each runnable with turncoat run.
func (o *outDir) finishPack(p *prepared, res *Result, final *Generation) error {
	s := p.spec
	best, med := bestAndMedian(p, res, final)
	for _, f := range []struct {
		name string
		vals []float64
	}{{ScenarioFile, nil}, {BestFile, best}, {MedianFile, med}} {
		m := p.pk.mapping
		if f.vals != nil {
			var err error
			if m, err = p.pk.withParams(p.names, f.vals); err != nil {
				return fmt.Errorf("calibrate: %s: %w", f.name, err)
			}
		}
		cfgs, err := p.pk.configs(&m)
		if err != nil {
			return fmt.Errorf("calibrate: %s: %w", f.name, err)
		}
		dir := filepath.Join(o.dir, strings.TrimSuffix(f.name, ".yaml"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("calibrate: %w", err)
		}
		for i, c := range cfgs {
			c.History = regime.History{} // inputs only, as the shipped pack files
			y, err := c.YAML()
			if err != nil {
				return err
			}
			if err := abm.WriteFileAtomic(filepath.Join(dir, p.pk.cases[i].name+".yaml"), y); err != nil {
				return err
			}
		}
	}
	b2, _ := json.MarshalIndent(manifest{Version: regime.Version, Name: s.Name, SpecHash: mustHash(s), Complete: true}, "", "  ")
	return abm.WriteFileAtomic(filepath.Join(o.dir, ManifestFile), append(b2, '\n'))
}

func mustHash(s *Spec) string {
	h, _ := s.Hash()
	return h
}

// nanSafe replaces NaN intervals (undefined statistics) by zeros for JSON;
// encoding/json refuses NaN.
func nanSafe(s Summary) Summary {
	fix := func(iv *Interval) {
		for _, v := range []*float64{&iv.Q05, &iv.Median, &iv.Q95} {
			if math.IsNaN(*v) || math.IsInf(*v, 0) {
				*v = 0
			}
		}
	}
	fix(&s.Predictive.Spearman)
	fix(&s.Predictive.TimingErrorWeeks)
	for _, iv := range []**Interval{&s.Predictive.DeclarationSpearman, &s.Predictive.DeclarationTimingErrorWeeks} {
		if *iv != nil {
			c := **iv
			fix(&c)
			*iv = &c
		}
	}
	if math.IsInf(s.Tolerance, 0) {
		s.Tolerance = 0
	}
	return s
}

// bestAndMedian returns the final generation's particle of least distance
// and the posterior medians, the two points written as scenario files.
func bestAndMedian(p *prepared, res *Result, final *Generation) (best []float64, med []float64) {
	b := 0
	for i, d := range final.Distances {
		if d < final.Distances[b] {
			b = i
		}
	}
	med = make([]float64, len(p.names))
	for k, ps := range res.Summary.Parameters {
		med[k] = ps.Median
	}
	return final.Params[b], med
}
