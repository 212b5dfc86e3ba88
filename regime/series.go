package regime

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/internal/stats"
)

// Series is an observed time series (history.series in a scenario file):
// scoring data only, never read by the dynamics. Each point is compared
// with a model output at the point's date.
type Series struct {
	// Name identifies the series in summary.json.
	Name string `yaml:"name" json:"name"`
	// Output is the model output compared with the series: a column of
	// ticks.csv (emigrants, citizen_defected, …) or, with Region set, a
	// count column of regions.csv for one role, "<role>_<column>"
	// (citizen_defected, soldier_loyal, and under modes citizen_voice,
	// citizen_emigrants, …).
	Output string `yaml:"output" json:"output"`
	// Region, when set, names the region whose regions.csv counts are
	// compared.
	Region string `yaml:"region,omitempty" json:"region,omitempty"`
	// Aggregate says how the model output is read at a point: "at" (the
	// default) takes the value of the tick containing the date; "sum"
	// and "mean" add or average the ticks that start after the previous
	// point's date and no later than this point's date (the first point:
	// from the start of the run); a point whose window holds no tick start
	// or that the run does not reach is left out. Use sum for flows counted
	// over a period (refugees a year), at for a weekly count.
	Aggregate string `yaml:"aggregate,omitempty" json:"aggregate,omitempty"`
	// Break, when set, is a date that splits the series (the Berlin Wall,
	// the opening of a border): the fit reports the ratio of the mean
	// after it to the mean before it, and the baselines are fitted to the
	// points before it. A point whose window straddles the break counts on
	// neither side.
	Break *Date `yaml:"break,omitempty" json:"break,omitempty"`
	// Points are the observations, in date order.
	Points []SeriesPoint `yaml:"points" json:"points"`
	// Source cites where the numbers come from.
	Source string `yaml:"source" json:"source"`
}

// SeriesPoint is one observation of a Series.
type SeriesPoint struct {
	Date  Date    `yaml:"date" json:"date"`
	Value float64 `yaml:"value" json:"value"`
}

// Aggregations of a Series.
const (
	AggregateAt   = "at"
	AggregateSum  = "sum"
	AggregateMean = "mean"
)

// SeriesLogFloor is the floor, as a share of the series' largest value,
// under which values are raised before taking logarithms (a model output
// of zero in a quiet week would otherwise have no logarithm).
const SeriesLogFloor = 1e-3

// SeriesFit is the score of one history series (summary.json "series").
// The statistics are on the shape of the series only: the model's output
// is a share or an agent count, the history a count of people, so no
// statistic depends on the level (see Fit).
type SeriesFit struct {
	Name      string `json:"name"`
	Output    string `json:"output"`
	Region    string `json:"region,omitempty"`
	Aggregate string `json:"aggregate"`
	// Points is the number of points scored (points after the end of the
	// run are left out).
	Points int `json:"points"`
	// Dates, History and ModelValues are the scored points: the date, the
	// observed value and the model output read at it.
	Dates       []string  `json:"dates"`
	History     []float64 `json:"history"`
	ModelValues []float64 `json:"model_values"`
	// Scale is the factor that brings the model's values to the
	// history's level in the sense of RMSELog: the geometric mean of
	// history/model over the points where both are positive (1 without
	// any). Figures and the CLI show ModelValues × Scale beside History.
	Scale float64 `json:"scale"`
	// Break is the break date, if any; HistoryBreakRatio is the observed
	// mean after it over the mean before it.
	Break             *string  `json:"break,omitempty"`
	HistoryBreakRatio *float64 `json:"history_break_ratio,omitempty"`
	// Model is the model's fit, Baselines the naive predictions' fits by
	// the same code: "constant" (the mean of the points before the break,
	// or of the first half without one), "persistence" (each point
	// predicted by the observed previous one, the first by itself) and
	// "trend" (a straight line fitted by least squares to the same points
	// as constant, extrapolated, floored at 0; absent with fewer than 2).
	Model     Fit           `json:"model"`
	Baselines []BaselineFit `json:"baselines"`
}

// BaselineFit is a naive baseline's fit.
type BaselineFit struct {
	Name string `json:"name"`
	Fit
}

// Fit holds the shape statistics of one prediction of a series. Every
// field is null when undefined (too few points, no variance, no break).
type Fit struct {
	// PearsonLog is Pearson's correlation of the logarithms of the
	// prediction and the history (values floored at SeriesLogFloor times
	// each series' largest value); needs 3 points and variance in both.
	PearsonLog *float64 `json:"pearson_log"`
	// RMSELog is the root mean square difference of the logarithms after
	// the best constant shift (the best scale factor), a level-free shape
	// error: 0 when the prediction is the history times a constant.
	RMSELog *float64 `json:"rmse_log"`
	// PeakErrorWeeks is the date of the prediction's largest value minus
	// that of the history's (ties: the first), in weeks.
	PeakErrorWeeks *float64 `json:"peak_error_weeks"`
	// BreakRatio is the prediction's mean after the break over its mean
	// before; BreakLogError is |log(BreakRatio / history's ratio)|, both
	// ratios floored at SeriesLogFloor (a model that stops the flow
	// entirely has ratio 0: its error is then |log(0.001/history's)|).
	BreakRatio    *float64 `json:"break_ratio,omitempty"`
	BreakLogError *float64 `json:"break_log_error,omitempty"`
}

// validateSeries checks history.series against the configuration c.
func (h *History) validateSeries(c *Config) error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	seen := map[string]bool{}
	cols := c.tickHeader()
	regions := map[string]bool{}
	for _, g := range c.Regions {
		regions[g.Name] = true
	}
	for i, s := range h.Series {
		f := fmt.Sprintf("history.series[%d]", i)
		switch {
		case s.Name == "":
			add(f+".name", "must not be empty")
		case seen[s.Name]:
			add(f+".name", "%q is used by an earlier series", s.Name)
		}
		seen[s.Name] = true
		switch {
		case s.Output == "":
			add(f+".output", "must not be empty")
		case s.Region == "" && !slices.Contains(cols, s.Output):
			add(f+".output", "%q is no column of ticks.csv (%s)", s.Output, strings.Join(cols, ", "))
		case s.Region != "" && !slices.Contains(c.regionOutputs(), s.Output):
			add(f+".output", "with a region, want <role>_<column of regions.csv> (%s), got %q", strings.Join(c.regionOutputs(), ", "), s.Output)
		}
		if s.Region != "" && !regions[s.Region] {
			add(f+".region", "names no region: %q", s.Region)
		}
		switch s.Aggregate {
		case "", AggregateAt, AggregateSum, AggregateMean:
		default:
			add(f+".aggregate", "must be at, sum or mean, got %q", s.Aggregate)
		}
		if len(s.Points) < 2 {
			add(f+".points", "needs at least 2 points, got %d", len(s.Points))
		}
		for j, p := range s.Points {
			pf := fmt.Sprintf("%s.points[%d]", f, j)
			if !(p.Value >= 0) || math.IsInf(p.Value, 0) {
				add(pf+".value", "must be finite and >= 0, got %g", p.Value)
			}
			if p.Date.IsZero() {
				add(pf+".date", "must be a date (YYYY-MM-DD)")
				continue
			}
			if !c.Start.IsZero() && p.Date.Before(c.Start.Time) {
				add(pf+".date", "is before start %s: %s", c.Start, p.Date)
			}
			if j > 0 && !p.Date.After(s.Points[j-1].Date.Time) {
				add(pf+".date", "must be after the previous point's date %s, got %s", s.Points[j-1].Date, p.Date)
			}
		}
		if s.Break != nil && len(s.Points) >= 2 {
			first, last := s.Points[0].Date, s.Points[len(s.Points)-1].Date
			if !s.Break.After(first.Time) || s.Break.After(last.Time) {
				add(f+".break", "must fall after the first point (%s) and no later than the last (%s), got %s", first, last, s.Break)
			}
		}
	}
	return errors.Join(errs...)
}

// tickHeader returns the columns of ticks.csv for c after tick and date.
func (c *Config) tickHeader() []string {
	h := appendGameHeader((&Model{}).Header(), c.gameRoles())
	if c.Modes != nil {
		h = appendModesHeader(h)
	}
	return h
}

// regionColumns are the count columns of regions.csv for c, one row per
// region and role.
func (c *Config) regionColumns() []string {
	cols := []string{}
	for st := range agents.NumStates {
		cols = append(cols, agents.State(st).String())
	}
	if c.Modes != nil {
		cols = append(cols, "voice", "exit", "switch", "shirk", "emigrants", "emigrants_total")
	}
	return cols
}

// regionOutputs are the outputs a region series may name: a regions.csv
// count column for one role, "<role>_<column>".
func (c *Config) regionOutputs() []string {
	var out []string
	for _, role := range agents.Roles {
		for _, col := range c.regionColumns() {
			out = append(out, role.String()+"_"+col)
		}
	}
	return out
}

// regionValue is the regions.csv value of column col for role in rr;
// people converts the region's agents to people (emigrants columns).
func regionValue(rr *RegionRecord, role agents.Role, col string, people float64) float64 {
	mc := rr.Modes[role]
	switch col {
	case "voice":
		return float64(rr.Counts[role][agents.Defected])
	case "exit":
		return float64(mc.Emigrated)
	case "switch":
		return float64(mc.Switched)
	case "shirk":
		return float64(mc.Shirked)
	case "emigrants":
		return float64(mc.Departed) * people
	case "emigrants_total":
		return float64(mc.Emigrated) * people
	}
	for st := range agents.NumStates {
		if col == agents.State(st).String() {
			return float64(rr.Counts[role][st])
		}
	}
	return math.NaN()
}

// column returns the model output of s, one value per tick, or false
// when the run does not have it.
func (r *Result) column(s *Series) ([]float64, bool) {
	n := len(r.Ticks)
	out := make([]float64, n)
	if s.Region != "" {
		c := &r.Config
		g := slices.IndexFunc(c.Regions, func(x Region) bool { return x.Name == s.Region })
		role, col, ok := c.splitRegionOutput(s.Output)
		if g < 0 || !ok || len(r.Regions) < n*len(c.Regions) {
			return nil, false
		}
		people := 1.0
		if c.Modes != nil {
			people = peoplePerAgent(c)[g]
		}
		k := len(c.Regions)
		for t := range n {
			out[t] = regionValue(&r.Regions[t*k+g], role, col, people)
		}
		return out, true
	}
	hdr := r.Config.tickHeader()
	col := slices.Index(hdr, s.Output)
	if col < 0 {
		return nil, false
	}
	row := make([]float64, len(hdr))
	gameRoles := r.Config.gameRoles()
	for i := range r.Ticks {
		tickRow(row, &r.Ticks[i])
		if k := len(gameRoles); k > 0 && len(r.Game) >= (i+1)*k {
			gameRow(row[tickColumns:], r.Game[i*k:(i+1)*k])
		}
		if r.Config.Modes != nil {
			modesRow(row[tickColumns:], &r.Ticks[i])
		}
		out[i] = row[col]
	}
	return out, true
}

func (c *Config) splitRegionOutput(name string) (agents.Role, string, bool) {
	for _, role := range agents.Roles {
		if col, ok := strings.CutPrefix(name, role.String()+"_"); ok && slices.Contains(c.regionColumns(), col) {
			return role, col, true
		}
	}
	return 0, "", false
}

// scoreSeries scores every history series against the run (nil without
// any).
func (r *Result) scoreSeries() []SeriesFit {
	if len(r.Config.History.Series) == 0 {
		return nil
	}
	out := make([]SeriesFit, 0, len(r.Config.History.Series))
	for i := range r.Config.History.Series {
		s := &r.Config.History.Series[i]
		col, ok := r.column(s)
		if !ok {
			col = nil
		}
		out = append(out, ScoreSeries(&r.Config, s, col))
	}
	return out
}

// ScoreSeries reads the model output col (one value per tick of a run of
// c, tick 0 first) at the points of s, scores it against the points and
// scores the naive baselines by the same code. Points the output does not
// reach are left out. A nil col scores the baselines only, on the points
// within c's horizon (c.Ticks): the fit's ModelValues are then empty and
// its Model statistics absent.
func ScoreSeries(c *Config, s *Series, col []float64) SeriesFit {
	agg := s.Aggregate
	if agg == "" {
		agg = AggregateAt
	}
	fit := SeriesFit{Name: s.Name, Output: s.Output, Region: s.Region, Aggregate: agg,
		Dates: []string{}, History: []float64{}, ModelValues: []float64{}, Baselines: []BaselineFit{}}
	var days []float64 // days since start of each scored point
	var side []int     // -1 before the break, +1 after, 0 straddling or no break
	prev := c.Start.AddDate(0, 0, -1)
	n := len(col)
	if col == nil {
		n = c.Ticks
	}
	for _, p := range s.Points {
		lo := prev
		prev = p.Date.Time
		var v float64
		switch agg {
		case AggregateAt:
			t := c.TickOf(p.Date)
			if t < 0 || t >= n {
				continue
			}
			if col != nil {
				v = col[t]
			}
		default:
			// Ticks starting in (lo, date]; the run must reach past date.
			if n == 0 || c.DateOf(n).Time.Before(p.Date.AddDate(0, 0, 1)) {
				continue
			}
			k := 0
			for t := range n {
				d := c.DateOf(t).Time
				if d.After(lo) && !d.After(p.Date.Time) {
					if col != nil {
						v += col[t]
					}
					k++
				}
			}
			if k == 0 {
				continue // no tick starts in the window: finer than the run's ticks
			}
			if agg == AggregateMean {
				v /= float64(k)
			}
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue // no value to score (and none JSON could hold)
		}
		sd := 0
		if s.Break != nil {
			winStart := p.Date.Time
			if agg != AggregateAt {
				winStart = lo.AddDate(0, 0, 1)
			}
			switch {
			case p.Date.Before(s.Break.Time):
				sd = -1
			case !winStart.Before(s.Break.Time):
				sd = 1
			}
		}
		fit.Dates = append(fit.Dates, p.Date.String())
		fit.History = append(fit.History, p.Value)
		if col != nil {
			fit.ModelValues = append(fit.ModelValues, v)
		}
		days = append(days, p.Date.Sub(c.Start.Time).Hours()/24)
		side = append(side, sd)
	}
	fit.Points = len(fit.History)
	if col != nil {
		fit.Scale = seriesScale(fit.ModelValues, fit.History)
	}
	if s.Break != nil {
		fit.Break = ptr(s.Break.String())
		if rh, ok := breakRatio(fit.History, side); ok {
			fit.HistoryBreakRatio = ptr(rh)
		}
	}
	if col != nil {
		fit.Model = shapeFit(fit.ModelValues, fit.History, days, side, s.Break != nil)
	}
	for _, b := range baselines(fit.History, days, side, s.Break != nil) {
		fit.Baselines = append(fit.Baselines, BaselineFit{Name: b.name, Fit: shapeFit(b.pred, fit.History, days, side, s.Break != nil)})
	}
	return fit
}

type baseline struct {
	name string
	pred []float64
}

// baselines returns the naive predictions of the history h: constant,
// persistence and (with at least two training points) trend.
func baselines(h, days []float64, side []int, hasBreak bool) []baseline {
	n := len(h)
	if n == 0 {
		return nil
	}
	var train []int
	for i := range n {
		if (hasBreak && side[i] == -1) || (!hasBreak && i < (n+1)/2) {
			train = append(train, i)
		}
	}
	var out []baseline
	if len(train) > 0 {
		mean := 0.0
		for _, i := range train {
			mean += h[i]
		}
		mean /= float64(len(train))
		c := make([]float64, n)
		for i := range c {
			c[i] = mean
		}
		out = append(out, baseline{"constant", c})
	}
	p := make([]float64, n)
	p[0] = h[0]
	copy(p[1:], h[:n-1])
	out = append(out, baseline{"persistence", p})
	if len(train) >= 2 {
		var sx, sy, sxx, sxy float64
		for _, i := range train {
			sx += days[i]
			sy += h[i]
			sxx += days[i] * days[i]
			sxy += days[i] * h[i]
		}
		k := float64(len(train))
		den := k*sxx - sx*sx
		if den != 0 {
			b := (k*sxy - sx*sy) / den
			a := (sy - b*sx) / k
			tr := make([]float64, n)
			for i := range tr {
				tr[i] = math.Max(0, a+b*days[i])
			}
			out = append(out, baseline{"trend", tr})
		}
	}
	return out
}

// shapeFit scores the prediction m against the history h at days.
func shapeFit(m, h, days []float64, side []int, hasBreak bool) Fit {
	var f Fit
	n := len(h)
	if n == 0 || len(m) != n {
		return f
	}
	lm, lh := logFloor(m), logFloor(h)
	if lm != nil && lh != nil {
		if n >= 3 {
			if r, ok := stats.Pearson(lm, lh); ok {
				f.PearsonLog = finitePtr(r)
			}
		}
		if n >= 2 {
			f.RMSELog = finitePtr(stats.ShiftedRMS(lm, lh))
		}
	}
	if im, ih := argmax(m), argmax(h); im >= 0 && ih >= 0 && m[im] > 0 {
		f.PeakErrorWeeks = finitePtr((days[im] - days[ih]) / 7)
	}
	if hasBreak {
		if rm, ok := breakRatio(m, side); ok {
			f.BreakRatio = finitePtr(rm)
			if rh, ok := breakRatio(h, side); ok {
				fl := func(r float64) float64 { return math.Max(r, SeriesLogFloor) }
				f.BreakLogError = finitePtr(math.Abs(math.Log(fl(rm) / fl(rh))))
			}
		}
	}
	return f
}

// logFloor returns the logarithms of v floored at SeriesLogFloor times
// its largest value, or nil when v has no positive value.
func logFloor(v []float64) []float64 {
	top := 0.0
	for _, x := range v {
		top = math.Max(top, x)
	}
	if !(top > 0) {
		return nil
	}
	return stats.LogFloored(v, SeriesLogFloor*top)
}

func argmax(v []float64) int {
	best := -1
	for i, x := range v {
		if best < 0 || x > v[best] {
			best = i
		}
	}
	return best
}

// breakRatio returns mean(v after) / mean(v before), false when a side is
// empty or the mean before is not positive.
func breakRatio(v []float64, side []int) (float64, bool) {
	var sb, sa float64
	var nb, na int
	for i, x := range v {
		switch side[i] {
		case -1:
			sb += x
			nb++
		case 1:
			sa += x
			na++
		}
	}
	if nb == 0 || na == 0 || !(sb > 0) {
		return 0, false
	}
	return (sa / float64(na)) / (sb / float64(nb)), true
}

// finitePtr returns a pointer to v, or nil when v is not finite (JSON
// holds no NaN or infinity: an undefined statistic is null).
func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func seriesScale(model, history []float64) float64 {
	s, n := 0.0, 0
	for i := range model {
		if model[i] > 0 && history[i] > 0 {
			s += math.Log(history[i] / model[i])
			n++
		}
	}
	if k := math.Exp(s / float64(max(n, 1))); n > 0 && !math.IsInf(k, 0) {
		return k
	}
	return 1
}

func cloneSeries(s []Series) []Series {
	if s == nil {
		return nil
	}
	out := slices.Clone(s)
	for i := range out {
		out[i].Points = slices.Clone(s[i].Points)
		if s[i].Break != nil {
			b := *s[i].Break
			out[i].Break = &b
		}
	}
	return out
}
