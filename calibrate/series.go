package calibrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/internal/stats"
	"github.com/turncoat-abm/turncoat/regime"
)

// Series targets: a target {series: NAME} fits one of the scenario's
// history.series (regime.Series) with a distance on the series' points.
// A series calibration fits series only: exit dates (weeks) and series
// distances (log units) are not added together.

// Series distances (Target.Distance).
const (
	// DistanceRMSELog is the level-free log RMSE of regime.ScoreSeries
	// (rmse_log): the root mean square difference of the logarithms after
	// the best constant shift. The default: the model's outputs are shares
	// or agent counts, so only the shape is compared.
	DistanceRMSELog = "rmse_log"
	// DistanceRMSELogLevel is the log RMSE without the shift: the level
	// counts too. For outputs in the history's own units (emigrants are
	// people).
	DistanceRMSELogLevel = "rmse_log_level"
	// DistancePearsonLog is 1 − pearson_log (0 to 2).
	DistancePearsonLog = "pearson_log"
)

// SeriesDistances are the distance names of a series target.
var SeriesDistances = []string{DistanceRMSELog, DistanceRMSELogLevel, DistancePearsonLog}

// seriesStats are the per-run statistics of regime.Fit kept per series
// target, in this order.
var seriesStats = []string{"pearson_log", "rmse_log", "peak_error_weeks", "break_ratio", "break_log_error"}

// seriesMode reports whether the calibration fits history series: a
// target names a series, or there are no explicit targets, no exit (or
// declaration) history and at least one history series.
func (s *Spec) seriesMode(base *regime.Config) bool {
	if slices.ContainsFunc(s.Targets, func(t Target) bool { return t.Series != "" }) {
		return true
	}
	return len(s.Targets) == 0 && len(base.History.Exits) == 0 && len(base.History.Series) > 0 &&
		(base.Sovereignty == nil || len(base.History.Declarations) == 0)
}

// seriesNames returns the names of the series targets in the scenario's
// order (default: every history series).
func (s *Spec) seriesNames(base *regime.Config) []string {
	var out []string
	for _, hs := range base.History.Series {
		if len(s.Targets) == 0 || slices.ContainsFunc(s.Targets, func(t Target) bool { return t.Series == hs.Name }) {
			out = append(out, hs.Name)
		}
	}
	return out
}

// seriesDistance returns the distance a target uses (default rmse_log).
func (s *Spec) seriesDistance(name string) string {
	for _, t := range s.Targets {
		if t.Series == name && t.Distance != "" {
			return t.Distance
		}
	}
	return DistanceRMSELog
}

// validateSeriesTargets validates the targets of a series calibration
// and reports true; otherwise it only checks that no exit or class target
// sets a distance and reports false.
func (s *Spec) validateSeriesTargets(base *regime.Config, errs *[]error) (bool, error) {
	add := func(field, format string, a ...any) {
		*errs = append(*errs, &fieldError{Field: field, Err: fmt.Errorf(format, a...)})
	}
	if !s.seriesMode(base) {
		for i, t := range s.Targets {
			if t.Distance != "" {
				add(fmt.Sprintf("targets[%d].distance", i), "belongs to a series target ({series: NAME, distance: %s}); exit dates are scored in weeks", strings.Join(SeriesDistances, "|"))
			}
		}
		return false, nil
	}
	if s.OrderWeight != 0 {
		add("order_weight", "needs dated targets (exits, declarations); a series target has no order to weigh")
	}
	var names []string
	byName := map[string]*regime.Series{}
	for i := range base.History.Series {
		names = append(names, base.History.Series[i].Name)
		byName[base.History.Series[i].Name] = &base.History.Series[i]
	}
	seen := map[string]bool{}
	for i, t := range s.Targets {
		f := fmt.Sprintf("targets[%d]", i)
		if t.Series == "" {
			add(f, "series targets cannot be mixed with exit, declaration or class targets (a series distance is in log units, a timing error in weeks): fit them in separate calibrations")
			continue
		}
		switch {
		case byName[t.Series] == nil:
			add(f+".series", "names no history series of %s: %q (series: %s)", base.Name, t.Series, strings.Join(names, ", "))
		case seen[t.Series]:
			add(f+".series", "target %q appears twice", t.Series)
		}
		seen[t.Series] = true
		if t.Distance != "" && !slices.Contains(SeriesDistances, t.Distance) {
			add(f+".distance", "must be one of %s, got %q", strings.Join(SeriesDistances, ", "), t.Distance)
		}
	}
	all := s.seriesNames(base)
	if len(all) == 0 && len(s.Targets) == 0 {
		add("targets", "scenario %s has no history series to fit", base.Name)
	}
	var cut *regime.Date
	if s.HoldoutAfter != "" {
		if d, err := regime.ParseDate(s.HoldoutAfter); err != nil {
			add("holdout_after", "must be a date YYYY-MM-DD: %v", err)
		} else {
			cut = &d
		}
	}
	for i, h := range s.Holdout {
		if !slices.Contains(all, h) {
			add(fmt.Sprintf("holdout[%d]", i), "names no target: %q (targets: %s)", h, strings.Join(all, ", "))
		}
	}
	if len(*errs) > 0 {
		return true, errors.Join(*errs...)
	}
	fitted, after := 0, 0
	for _, name := range all {
		hs := byName[name]
		if slices.Contains(s.Holdout, name) {
			continue
		}
		n, top := 0, 0.0
		for _, pt := range hs.Points {
			if cut != nil && pt.Date.After(cut.Time) {
				after++
				continue
			}
			if !reached(base, hs, pt.Date) {
				continue // after the run's horizon: never scored
			}
			n++
			top = math.Max(top, pt.Value)
		}
		need := 2
		if s.seriesDistance(name) == DistancePearsonLog {
			need = 3
		}
		if n < need {
			f := "targets"
			if cut != nil {
				f = "holdout_after"
			}
			add(f, "series %q has %d points the fit can score (on or before holdout_after %q and within the run, which ends %s); its %s distance needs at least %d", name, n, s.HoldoutAfter, base.DateOf(base.Ticks), s.seriesDistance(name), need)
		} else if !(top > 0) {
			add("targets", "series %q has no positive value among its fitted points, so no log distance is defined", name)
		}
		fitted++
	}
	if cut != nil && after == 0 {
		add("holdout_after", "no fitted series has a point dated after %s, so nothing would be predicted", s.HoldoutAfter)
	}
	if len(*errs) == 0 && fitted == 0 {
		add("holdout", "leaves no target to fit")
	}
	return true, errors.Join(*errs...)
}

// reached reports whether a run of c scores the point of hs dated d, as
// regime.ScoreSeries reads it: "at" needs the tick holding d, "sum" and
// "mean" a run that reaches past d.
func reached(c *regime.Config, hs *regime.Series, d regime.Date) bool {
	if hs.Aggregate == "" || hs.Aggregate == regime.AggregateAt {
		t := c.TickOf(d)
		return t >= 0 && t < c.Ticks
	}
	return !c.DateOf(c.Ticks).Time.Before(d.AddDate(0, 0, 1))
}

// serTarget is one series target of a prepared calibration.
type serTarget struct {
	s        *regime.Series
	distance string
	held     bool   // the whole series is held out
	fit      []bool // per point: fitted (not held out)
	off      int    // offset of its values in a run's outputs
}

// seriesPrep holds the series targets; a run's outputs are, per target,
// the model's value at each point (NaN: not scored), then the model's
// statistics of seriesStats over all points (NaN: undefined), and last
// the collapse tick (−1: none).
type seriesPrep struct {
	targets []serTarget
	nOut    int
}

func (p *prepared) prepareSeries(workers int) (*prepared, error) {
	spec := p.spec
	var cut *regime.Date
	if spec.HoldoutAfter != "" {
		d, err := regime.ParseDate(spec.HoldoutAfter)
		if err != nil {
			return nil, err
		}
		cut = &d
	}
	sp := &seriesPrep{}
	p.targets = spec.seriesNames(&p.base)
	for _, name := range p.targets {
		i := slices.IndexFunc(p.base.History.Series, func(x regime.Series) bool { return x.Name == name })
		hs := &p.base.History.Series[i]
		st := serTarget{s: hs, distance: spec.seriesDistance(name), held: slices.Contains(p.held, name), fit: make([]bool, len(hs.Points)), off: sp.nOut}
		for j, pt := range hs.Points {
			st.fit[j] = !st.held && (cut == nil || !pt.Date.After(cut.Time))
		}
		sp.targets = append(sp.targets, st)
		sp.nOut += len(hs.Points) + len(seriesStats)
	}
	sp.nOut++
	p.ser = sp
	p.setWorkers(workers)
	p.memory = uint64(p.workers)*p.base.MemoryEstimate() + 1<<20 + 4*uint64(spec.Particles)*uint64(len(p.names)+2)*8*uint64(spec.Generations+1)
	return p, nil
}

// doSeries runs one particle once and records its series outputs.
func (w *worker) doSeries(ctx context.Context, t abm.Task, out []float64) error {
	res, err := w.run(ctx, t)
	if err != nil {
		return err
	}
	sp := w.p.ser
	for i := range out {
		out[i] = math.NaN()
	}
	for _, st := range sp.targets {
		k := slices.IndexFunc(res.Summary.Series, func(f regime.SeriesFit) bool { return f.Name == st.s.Name })
		if k < 0 {
			continue
		}
		f := &res.Summary.Series[k]
		j := 0
		for d, date := range f.Dates {
			for j < len(st.s.Points) && st.s.Points[j].Date.String() != date {
				j++
			}
			if j < len(st.s.Points) {
				out[st.off+j] = f.ModelValues[d]
				j++
			}
		}
		o := st.off + len(st.s.Points)
		for q, v := range []*float64{f.Model.PearsonLog, f.Model.RMSELog, f.Model.PeakErrorWeeks, f.Model.BreakRatio, f.Model.BreakLogError} {
			if v != nil {
				out[o+q] = *v
			}
		}
	}
	out[sp.nOut-1] = -1
	if res.Summary.CollapseTick != nil {
		out[sp.nOut-1] = float64(*res.Summary.CollapseTick)
	}
	return nil
}

// points returns the model and observed values of st at the points
// selected by keep (nil: all) where the model has a value.
func (st *serTarget) points(o []float64, keep func(j int) bool) (m, h []float64) {
	for j, pt := range st.s.Points {
		v := o[st.off+j]
		if math.IsNaN(v) || (keep != nil && !keep(j)) {
			continue
		}
		m = append(m, v)
		h = append(h, pt.Value)
	}
	return m, h
}

// seriesDistance is the mean over replicates of the mean over the fitted
// series of their distance on the fitted points.
func (p *prepared) seriesDistance(out []float64, point, replicates int) float64 {
	no := p.nOut()
	d, n := 0.0, 0
	for r := 0; r < replicates; r++ {
		o := out[(point*replicates+r)*no:]
		for i := range p.ser.targets {
			st := &p.ser.targets[i]
			if st.held {
				continue
			}
			m, h := st.points(o, func(j int) bool { return st.fit[j] })
			d += SeriesDistance(st.distance, m, h)
			n++
		}
	}
	return d / float64(max(n, 1))
}

func maxOf(v []float64) float64 {
	top := 0.0
	for _, x := range v {
		top = math.Max(top, x)
	}
	return top
}

// logShape returns the logarithms of the model values m and the history
// h as regime.ScoreSeries takes them: each floored at
// regime.SeriesLogFloor times its own largest value; a model without a
// positive value is a constant (log 0).
func logShape(m, h []float64) (lm, lh []float64) {
	lh = stats.LogFloored(h, regime.SeriesLogFloor*maxOf(h))
	if top := maxOf(m); top > 0 {
		lm = stats.LogFloored(m, regime.SeriesLogFloor*top)
	} else {
		lm = make([]float64, len(m))
	}
	return lm, lh
}

// SeriesDistance is the distance between a model series m and the
// history h at the same points (kind: one of SeriesDistances):
//
//   - rmse_log: regime.Fit's RMSELog, the RMS difference of the logarithms
//     (each floored at regime.SeriesLogFloor times its largest value)
//     after the best constant shift; a model without any positive value
//     counts as a constant, so its distance is the spread of log h;
//   - rmse_log_level: the RMS difference of the logarithms without the
//     shift, both floored at regime.SeriesLogFloor times the history's
//     largest value (a model predicting zero pays a finite price);
//   - pearson_log: 1 − regime.Fit's PearsonLog; 1 when undefined (a
//     constant model).
//
// It is NaN without any point.
func SeriesDistance(kind string, m, h []float64) float64 {
	n := len(h)
	if n == 0 || len(m) != n {
		return math.NaN()
	}
	switch kind {
	case DistanceRMSELogLevel:
		f := regime.SeriesLogFloor * maxOf(h)
		lm, lh := stats.LogFloored(m, f), stats.LogFloored(h, f)
		ss := 0.0
		for i := range lm {
			ss += (lm[i] - lh[i]) * (lm[i] - lh[i])
		}
		return math.Sqrt(ss / float64(n))
	case DistancePearsonLog:
		lm, lh := logShape(m, h)
		r, ok := stats.Pearson(lm, lh)
		if !ok {
			return 1
		}
		return 1 - r
	default:
		return stats.ShiftedRMS(logShape(m, h))
	}
}

// seriesScale is the factor that brings the model's values to the
// history's level as the distance sees it: 1 for rmse_log_level, else
// exp of the best log shift over the fitted points (all points for a
// series held out as a whole: its level is then not predicted, only its
// shape).
func (st *serTarget) scale(o []float64) float64 {
	if st.distance == DistanceRMSELogLevel {
		return 1
	}
	keep := func(j int) bool { return st.fit[j] }
	if st.held {
		keep = nil
	}
	m, h := st.points(o, keep)
	if len(m) == 0 {
		return 1
	}
	lm, lh := logShape(m, h)
	k := math.Exp(stats.MeanDiff(lh, lm))
	if maxOf(m) <= 0 || math.IsInf(k, 0) || math.IsNaN(k) {
		return 1
	}
	return k
}

// SeriesCheck is the fit and posterior predictive check of one series
// target (summary.json "series").
type SeriesCheck struct {
	Name      string `json:"name"`
	Output    string `json:"output"`
	Region    string `json:"region,omitempty"`
	Aggregate string `json:"aggregate"`
	// Distance is the target's distance; HeldOut is true for a series
	// left out of the fit as a whole.
	Distance string `json:"distance"`
	HeldOut  bool   `json:"held_out"`
	// FitDistance is the distance on the fitted points over the
	// predictive draws (absent for a held-out series).
	FitDistance *Interval `json:"fit_distance,omitempty"`
	// Points: per observation, the model's value × the draw's scale
	// (Scale below) as a 90% predictive interval and whether the
	// observation lies inside.
	Points         []SeriesPointCheck `json:"points"`
	CoveredFitted  int                `json:"covered_fitted"`
	Fitted         int                `json:"fitted"`
	CoveredHeldOut int                `json:"covered_held_out"`
	HeldOutPoints  int                `json:"held_out_points"`
	// Scale is the factor applied to the model's values, over draws: 1
	// for rmse_log_level; else the best log shift on the fitted points.
	Scale Interval `json:"scale"`
	// Model holds regime.ScoreSeries' statistics of the model over all
	// the points, as distributions over the predictive draws (absent
	// when undefined in every draw); Baselines are the naive forecasts
	// scored by the same code (regime.ScoreSeries with no model output).
	Model             map[string]Interval  `json:"model"`
	HistoryBreakRatio *float64             `json:"history_break_ratio,omitempty"`
	Baselines         []regime.BaselineFit `json:"baselines"`
	// With points held out after a date: HeldOutRMSELog is the RMS log
	// error of the scaled model on the held-out points (no refitted
	// shift: a forecast), over draws; HeldOutBaselines score the naive
	// forecasts from the fitted points alike ("constant": their mean,
	// "last": the last fitted observation carried forward).
	HeldOutRMSELog   *Interval            `json:"held_out_rmse_log,omitempty"`
	HeldOutBaselines []HeldOutSeriesScore `json:"held_out_baselines,omitempty"`
}

// SeriesPointCheck is one observation of a series target.
type SeriesPointCheck struct {
	Date      string   `json:"date"`
	Observed  float64  `json:"observed"`
	HeldOut   bool     `json:"held_out"`
	Predicted Interval `json:"predicted"`
	Inside    bool     `json:"inside"`
}

// HeldOutSeriesScore is a naive forecast's RMS log error on held-out
// points.
type HeldOutSeriesScore struct {
	Name    string  `json:"name"`
	RMSELog float64 `json:"rmse_log"`
}

// heldOutRMSE is the RMS log error of pred against h, both floored at
// regime.SeriesLogFloor times top.
func heldOutRMSE(pred, h []float64, top float64) float64 {
	f := regime.SeriesLogFloor * top
	lp, lh := stats.LogFloored(pred, f), stats.LogFloored(h, f)
	ss := 0.0
	for i := range lp {
		ss += (lp[i] - lh[i]) * (lp[i] - lh[i])
	}
	return math.Sqrt(ss / float64(max(len(lp), 1)))
}

// summarizeSeries fills the summary of a series calibration.
func (p *prepared) summarizeSeries(sum *Summary, pred *predOut) {
	c := &p.base
	no, draws := p.nOut(), p.spec.Draws
	pr := Predictive{Draws: draws, CollapseBy: c.DateOf(c.Ticks).String(),
		Spearman: Interval{math.NaN(), math.NaN(), math.NaN()}, TimingErrorWeeks: Interval{math.NaN(), math.NaN(), math.NaN()}}
	collapsed := 0
	for d := 0; d < draws; d++ {
		if pred.out[(d+1)*no-1] >= 0 {
			collapsed++
		}
	}
	pr.Collapse = float64(collapsed) / float64(draws)
	for i := range p.ser.targets {
		st := &p.ser.targets[i]
		hs := st.s
		// The baselines, on the points within the run's horizon.
		base := regime.ScoreSeries(c, hs, nil)
		sc := SeriesCheck{Name: hs.Name, Output: hs.Output, Region: hs.Region, Aggregate: base.Aggregate, Distance: st.distance, HeldOut: st.held,
			Model: map[string]Interval{}, HistoryBreakRatio: base.HistoryBreakRatio, Baselines: base.Baselines}
		vals := make([][]float64, len(hs.Points)) // scaled model values per point over draws
		var dist, scales, hrmse []float64
		stats := make([][]float64, len(seriesStats))
		var hIdx []int // held-out points
		top := 0.0
		for j, pt := range hs.Points {
			if st.fit[j] {
				top = math.Max(top, pt.Value)
			} else {
				hIdx = append(hIdx, j)
			}
		}
		for d := 0; d < draws; d++ {
			o := pred.out[d*no : (d+1)*no]
			k := st.scale(o)
			scales = append(scales, k)
			if !st.held {
				m, h := st.points(o, func(j int) bool { return st.fit[j] })
				dist = append(dist, SeriesDistance(st.distance, m, h))
			}
			for j := range hs.Points {
				if v := o[st.off+j]; !math.IsNaN(v) {
					vals[j] = append(vals[j], v*k)
				}
			}
			for q := range seriesStats {
				if v := o[st.off+len(hs.Points)+q]; !math.IsNaN(v) {
					stats[q] = append(stats[q], v)
				}
			}
			if !st.held && len(hIdx) > 0 {
				var pv, hv []float64
				for _, j := range hIdx {
					if v := o[st.off+j]; !math.IsNaN(v) {
						pv, hv = append(pv, v*k), append(hv, hs.Points[j].Value)
					}
				}
				if len(pv) > 0 {
					hrmse = append(hrmse, heldOutRMSE(pv, hv, top))
				}
			}
		}
		if len(dist) > 0 {
			iv := interval(dist)
			sc.FitDistance = &iv
		}
		sc.Scale = interval(scales)
		for q, name := range seriesStats {
			if len(stats[q]) > 0 {
				sc.Model[name] = interval(stats[q])
			}
		}
		for j, pt := range hs.Points {
			if len(vals[j]) == 0 {
				continue // not scored in any draw (after the horizon)
			}
			pc := SeriesPointCheck{Date: pt.Date.String(), Observed: pt.Value, HeldOut: !st.fit[j], Predicted: interval(vals[j])}
			pc.Inside = pt.Value >= pc.Predicted.Q05 && pt.Value <= pc.Predicted.Q95
			if pc.HeldOut {
				sc.HeldOutPoints++
				pr.HeldOut++
				if pc.Inside {
					sc.CoveredHeldOut++
					pr.CoveredHeldOut++
				}
			} else {
				sc.Fitted++
				pr.Fitted++
				if pc.Inside {
					sc.CoveredFitted++
					pr.CoveredFitted++
				}
			}
			sc.Points = append(sc.Points, pc)
		}
		if len(hrmse) > 0 {
			iv := interval(hrmse)
			sc.HeldOutRMSELog = &iv
			var fv, hv []float64
			for j, pt := range hs.Points {
				if st.fit[j] {
					fv = append(fv, pt.Value)
				}
			}
			for _, j := range hIdx {
				hv = append(hv, hs.Points[j].Value)
			}
			mean := 0.0
			for _, v := range fv {
				mean += v
			}
			mean /= float64(len(fv))
			cp, lp := make([]float64, len(hv)), make([]float64, len(hv))
			for i := range hv {
				cp[i], lp[i] = mean, fv[len(fv)-1]
			}
			sc.HeldOutBaselines = []HeldOutSeriesScore{{"constant", heldOutRMSE(cp, hv, top)}, {"last", heldOutRMSE(lp, hv, top)}}
		}
		sum.Series = append(sum.Series, sc)
	}
	sum.Predictive = pr
}

// seriesPredictiveCSV writes predictive.csv of a series calibration: one
// row per draw, target and point (simulated: the model's value; scaled:
// times the draw's scale).
func (p *prepared) seriesPredictiveCSV(b *bytes.Buffer, pred *predOut) {
	no := p.nOut()
	b.WriteString("draw,target,date,held_out,observed,simulated,scaled\n")
	for d := 0; d < p.spec.Draws; d++ {
		o := pred.out[d*no : (d+1)*no]
		for i := range p.ser.targets {
			st := &p.ser.targets[i]
			k := st.scale(o)
			for j, pt := range st.s.Points {
				v := o[st.off+j]
				if math.IsNaN(v) {
					continue
				}
				fmt.Fprintf(b, "%d,%s,%s,%t,%s,%s,%s\n", d, abm.CSVField(st.s.Name), pt.Date, !st.fit[j], fmtf(pt.Value), fmtf(v), fmtf(v*k))
			}
		}
	}
}

// ErrSeriesCV is returned by CrossValidate for a series calibration:
// leave-one-out over series is not implemented; hold out points after a
// date (holdout_after) or a whole series (holdout) instead.
var ErrSeriesCV = errors.New("calibrate: --cross-validate does not apply to series targets; use --holdout-after DATE (points after DATE) or --holdout SERIES")

// seriesCalibration reports whether s fits history series.
func (s *Spec) seriesCalibration() bool {
	if isPack(s.Scenario) {
		return false
	}
	base, err := s.Base()
	return err == nil && s.seriesMode(&base)
}
