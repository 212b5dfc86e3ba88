package regime_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

func seriesConfig(tickDays float64) regime.Config {
	c := regime.DefaultConfig()
	c.Start = regime.DateOf(2000, 1, 1)
	c.TickDays = tickDays
	return c
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = null, want %.6g", what, want)
		return
	}
	if math.Abs(*got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.9g, want %.9g", what, *got, want)
	}
}

func isNull(t *testing.T, what string, got *float64) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %g, want null", what, *got)
	}
}

// TestScoreSeriesGolden checks every statistic against values computed by
// hand: weekly history 1, 2, 4, 8 with a break before the third point,
// and a model that is the history times 2 (a perfect shape).
func TestScoreSeriesGolden(t *testing.T) {
	c := seriesConfig(7)
	brk := regime.DateOf(2000, 1, 15)
	s := regime.Series{Name: "x", Output: "citizen_defected", Break: &brk, Points: []regime.SeriesPoint{
		{Date: regime.DateOf(2000, 1, 1), Value: 1}, {Date: regime.DateOf(2000, 1, 8), Value: 2},
		{Date: regime.DateOf(2000, 1, 15), Value: 4}, {Date: regime.DateOf(2000, 1, 22), Value: 8},
		{Date: regime.DateOf(2000, 1, 29), Value: 16}, // after the run's 4 ticks: left out
	}}
	f := regime.ScoreSeries(&c, &s, []float64{2, 4, 8, 16})
	if f.Points != 4 || f.Aggregate != "at" || strings.Join(f.Dates, " ") != "2000-01-01 2000-01-08 2000-01-15 2000-01-22" {
		t.Fatalf("points %d aggregate %q dates %v", f.Points, f.Aggregate, f.Dates)
	}
	near(t, "history_break_ratio", f.HistoryBreakRatio, 4) // mean(4,8)/mean(1,2)
	near(t, "scale", &f.Scale, 0.5)
	near(t, "model.pearson_log", f.Model.PearsonLog, 1)
	near(t, "model.rmse_log", f.Model.RMSELog, 0)
	near(t, "model.peak_error_weeks", f.Model.PeakErrorWeeks, 0)
	near(t, "model.break_ratio", f.Model.BreakRatio, 4)
	near(t, "model.break_log_error", f.Model.BreakLogError, 0)

	by := map[string]regime.Fit{}
	for _, b := range f.Baselines {
		by[b.Name] = b.Fit
	}
	if len(by) != 3 {
		t.Fatalf("baselines %v, want constant, persistence, trend", f.Baselines)
	}
	// constant 1.5: no correlation; the shape error is the SD of log h
	// = ln2·sqrt(1.25); the peak is the first point (3 weeks early).
	k := by["constant"]
	isNull(t, "constant.pearson_log", k.PearsonLog)
	near(t, "constant.rmse_log", k.RMSELog, math.Ln2*math.Sqrt(1.25))
	near(t, "constant.peak_error_weeks", k.PeakErrorWeeks, -3)
	near(t, "constant.break_ratio", k.BreakRatio, 1)
	near(t, "constant.break_log_error", k.BreakLogError, math.Log(4))
	// persistence 1, 1, 2, 4: log r of [0,0,1,2] and [0,1,2,3] = 3.5/sqrt(13.75).
	p := by["persistence"]
	near(t, "persistence.pearson_log", p.PearsonLog, 3.5/math.Sqrt(13.75))
	near(t, "persistence.peak_error_weeks", p.PeakErrorWeeks, 0)
	near(t, "persistence.break_ratio", p.BreakRatio, 3)
	near(t, "persistence.break_log_error", p.BreakLogError, math.Log(4.0/3))
	// trend through (0,1) and (7,2): 1, 2, 3, 4.
	tr := by["trend"]
	near(t, "trend.break_ratio", tr.BreakRatio, 3.5/1.5)
	near(t, "trend.break_log_error", tr.BreakLogError, math.Log(4/(3.5/1.5)))
	near(t, "trend.peak_error_weeks", tr.PeakErrorWeeks, 0)
}

// TestScoreSeriesSum checks the windows of a flow: daily ticks of 1, points
// summing the ticks since the previous point, a point whose window
// straddles the break counted on neither side, and a point past the end
// of the run left out.
func TestScoreSeriesSum(t *testing.T) {
	c := seriesConfig(1)
	col := make([]float64, 20)
	for i := range col {
		col[i] = float64(1 + i/12) // 1 for ticks 0–11, 2 from tick 12 (2000-01-13)
	}
	brk := regime.DateOf(2000, 1, 13)
	s := regime.Series{Name: "flow", Output: "citizen_defected", Aggregate: "sum", Break: &brk, Points: []regime.SeriesPoint{
		{Date: regime.DateOf(2000, 1, 10), Value: 10}, // ticks 0–9: 10
		{Date: regime.DateOf(2000, 1, 15), Value: 5},  // ticks 10–14: 1+1+2+2+2 = 8, straddles
		{Date: regime.DateOf(2000, 1, 20), Value: 20}, // ticks 15–19: 10, after
		{Date: regime.DateOf(2000, 1, 25), Value: 9},  // beyond the run: left out
	}}
	f := regime.ScoreSeries(&c, &s, col)
	if want := []float64{10, 8, 10}; f.Points != 3 || !equalFloats(f.ModelValues, want) {
		t.Fatalf("model values %v (%d points), want %v", f.ModelValues, f.Points, want)
	}
	near(t, "history_break_ratio", f.HistoryBreakRatio, 2) // 20/10, the straddling 5 on neither side
	near(t, "model.break_ratio", f.Model.BreakRatio, 1)
	near(t, "model.peak_error_weeks", f.Model.PeakErrorWeeks, -10.0/7) // model peaks first (tie), history on day 19
	s.Aggregate = "mean"
	f = regime.ScoreSeries(&c, &s, col)
	if want := []float64{1, 8.0 / 5, 2}; !equalFloats(f.ModelValues, want) {
		t.Fatalf("mean values %v, want %v", f.ModelValues, want)
	}
	// A value that is not a number is not scored (JSON could not hold it).
	nanCol := append([]float64(nil), col...)
	nanCol[3] = math.NaN()
	f = regime.ScoreSeries(&c, &s, nanCol)
	if f.Points != 2 || f.Dates[0] != "2000-01-15" {
		t.Errorf("NaN in the first window: %d points from %v, want 2 from 2000-01-15", f.Points, f.Dates)
	}
	if _, err := json.Marshal(f); err != nil {
		t.Error(err)
	}
	// Weekly ticks and daily points: a window with no tick start is not
	// scored (it would read as a flow of 0).
	w := seriesConfig(7)
	daily := regime.Series{Name: "d", Output: "citizen_defected", Aggregate: "sum", Points: []regime.SeriesPoint{
		{Date: regime.DateOf(2000, 1, 1), Value: 1}, {Date: regime.DateOf(2000, 1, 2), Value: 1}, {Date: regime.DateOf(2000, 1, 8), Value: 1},
	}}
	if f := regime.ScoreSeries(&w, &daily, []float64{1, 2, 3}); f.Points != 2 || !equalFloats(f.ModelValues, []float64{1, 2}) {
		t.Errorf("daily points on weekly ticks: %v (%d points), want [1 2]", f.ModelValues, f.Points)
	}
	// A nil output (a run without the column) scores nothing but the
	// baselines, on the points within the horizon.
	f = regime.ScoreSeries(&c, &s, nil)
	if f.Points != 4 || len(f.ModelValues) != 0 || f.Model.PearsonLog != nil || f.Model.RMSELog != nil || len(f.Baselines) == 0 {
		t.Errorf("nil output: %+v", f)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

// TestSeriesInRun runs a small scenario with a series on a ticks.csv
// column and one on a region's counts: the summary scores both, and a
// scenario without series has no "series" key at all.
func TestSeriesInRun(t *testing.T) {
	c := regime.DefaultConfig()
	c.Ticks = 20
	d := func(w int) regime.Date { return regime.Date{Time: c.Start.AddDate(0, 0, 7*w)} }
	c.History.Series = []regime.Series{
		{Name: "protest", Output: "citizen_defected", Points: []regime.SeriesPoint{{Date: d(2), Value: 1}, {Date: d(5), Value: 3}, {Date: d(9), Value: 2}}},
		{Name: "jailed", Output: "citizen_jailed", Region: c.Regions[0].Name, Points: []regime.SeriesPoint{{Date: d(1), Value: 1}, {Date: d(30), Value: 3}}},
	}
	res, err := regime.Run(context.Background(), c, 3)
	if err != nil {
		t.Fatal(err)
	}
	ss := res.Summary.Series
	if len(ss) != 2 || ss[0].Points != 3 || ss[1].Points != 1 {
		t.Fatalf("series %+v", ss)
	}
	for i, p := range []int{2, 5, 9} {
		if got, want := ss[0].ModelValues[i], res.Ticks[p].Defected[0]; got != want {
			t.Errorf("protest[%d] = %g, want ticks[%d].citizen_defected %g", i, got, p, want)
		}
	}
	if got, want := ss[1].ModelValues[0], float64(res.Regions[1].Counts[0][2]); got != want {
		t.Errorf("region jailed = %g, want %g", got, want)
	}
	c.History.Series = nil
	res, err = regime.Run(context.Background(), c, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res.Summary)
	if strings.Contains(string(b), `"series"`) {
		t.Errorf("summary without history series has a series key: %s", b)
	}
}

// TestSeriesBadInput checks that every kind of bad series is an error
// naming the file, the line and the field.
func TestSeriesBadInput(t *testing.T) {
	const head = `name: t
start: 2000-01-01
ticks: 10
history:
  series:
`
	cases := []struct{ yaml, want string }{
		{"    - {name: a, output: nope, points: [{date: 2000-01-01, value: 1}, {date: 2000-01-08, value: 2}]}\n",
			`t.yaml:6: history.series[0].output: "nope" is no column of ticks.csv`},
		{"    - name: a\n      output: emigrantz\n      region: Nowhere\n      points: [{date: 2000-01-01, value: 1}, {date: 2000-01-08, value: 2}]\n",
			`t.yaml:8: history.series[0].region: names no region: "Nowhere"`},
		{"    - name: a\n      output: citizen_defected\n      points:\n        - {date: 2000-01-08, value: 1}\n        - {date: 2000-01-01, value: 2}\n",
			`t.yaml:10: history.series[0].points[1].date: must be after the previous point's date 2000-01-08, got 2000-01-01`},
		{"    - name: a\n      output: citizen_defected\n      points:\n        - {date: 2000-01-01, value: -1}\n        - {date: 2000-01-08, value: 2}\n",
			`t.yaml:9: history.series[0].points[0].value: must be finite and >= 0, got -1`},
		{"    - {name: a, output: citizen_defected, aggregate: total, points: [{date: 2000-01-01, value: 1}, {date: 2000-01-08, value: 2}]}\n",
			`history.series[0].aggregate: must be at, sum or mean, got "total"`},
		{"    - {name: a, output: citizen_defected, points: [{date: 2000-01-01, value: 1}]}\n",
			`history.series[0].points: needs at least 2 points, got 1`},
		{"    - {name: a, output: citizen_defected, break: 2001-01-01, points: [{date: 2000-01-01, value: 1}, {date: 2000-01-08, value: 2}]}\n",
			`history.series[0].break: must fall after the first point`},
		{"    - {name: a, output: citizen_defected, points: [{date: 1999-01-01, value: 1}, {date: 2000-01-08, value: 2}]}\n",
			`history.series[0].points[0].date: is before start 2000-01-01`},
		{"    - {name: a, output: citizen_defected, points: [{date: 2000-01-01, value: 1}, {date: 2000-01-08, value: 2}]}\n    - {name: a, output: citizen_jailed, points: [{date: 2000-01-01, value: 1}, {date: 2000-01-08, value: 2}]}\n",
			`history.series[1].name: "a" is used by an earlier series`},
		{"    - {name: a, output: citizen_defected, points: [{date: 2000-01-01, value: 1, low: 0}, {date: 2000-01-08, value: 2}]}\n",
			`low`},
	}
	for _, tc := range cases {
		_, err := scenarios.Parse("t.yaml", []byte(head+tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s\ngot  %v\nwant %s", tc.yaml, err, tc.want)
		}
	}
}

// TestSeriesRegionModes: under modes a region series may name the mode
// columns of regions.csv; citizen_voice is citizen_defected, and
// citizen_emigrants_total is the region's emigrated citizens in people.
func TestSeriesRegionModes(t *testing.T) {
	c, err := scenarios.Load("gdr1989", "scale=0.1")
	if err != nil {
		t.Fatal(err)
	}
	pts := c.History.Series[0].Points
	c.History.Series = []regime.Series{
		{Name: "voice", Output: "citizen_voice", Region: "Leipzig", Points: pts},
		{Name: "defected", Output: "citizen_defected", Region: "Leipzig", Points: pts},
		{Name: "left", Output: "citizen_emigrants_total", Region: "rest of the GDR", Points: pts},
	}
	res, err := regime.Run(context.Background(), c, 2)
	if err != nil {
		t.Fatal(err)
	}
	ss := res.Summary.Series
	if !equalFloats(ss[0].ModelValues, ss[1].ModelValues) {
		t.Errorf("citizen_voice %v != citizen_defected %v", ss[0].ModelValues, ss[1].ModelValues)
	}
	last := ss[2].ModelValues[len(ss[2].ModelValues)-1]
	if !(last > 0) {
		t.Errorf("citizens emigrated from the rest of the GDR by December: %g, want > 0", last)
	}
	c.History.Series[0].Output = "citizen_exitt"
	err = c.Validate()
	if err == nil || !strings.Contains(err.Error(), "citizen_emigrants_total") {
		t.Errorf("a bad region output: %v, want the list of outputs", err)
	}
}

// TestScoreSeriesBaselinesOnly: a nil output scores the baselines on the
// same points as a full run of the horizon, with no model values and no
// model statistics.
func TestScoreSeriesBaselinesOnly(t *testing.T) {
	c := regime.DefaultConfig()
	c.Ticks = 20
	d := func(w int) regime.Date { return regime.Date{Time: c.Start.AddDate(0, 0, 7*w)} }
	for _, agg := range []string{regime.AggregateAt, regime.AggregateSum} {
		s := regime.Series{Name: "protest", Output: "citizen_defected", Aggregate: agg,
			Points: []regime.SeriesPoint{{Date: d(2), Value: 1}, {Date: d(5), Value: 3}, {Date: d(9), Value: 2}, {Date: d(15), Value: 5}, {Date: d(40), Value: 9}}}
		col := make([]float64, c.Ticks)
		for i := range col {
			col[i] = 0.01 * float64(i+1)
		}
		full := regime.ScoreSeries(&c, &s, col)
		base := regime.ScoreSeries(&c, &s, nil)
		if full.Points != 4 || base.Points != full.Points {
			t.Fatalf("%s: points %d (nil output) and %d (full run), want 4", agg, base.Points, full.Points)
		}
		if !reflect.DeepEqual(base.Baselines, full.Baselines) || !reflect.DeepEqual(base.Dates, full.Dates) {
			t.Errorf("%s: baselines of a nil output differ from a run's:\n%+v\n%+v", agg, base.Baselines, full.Baselines)
		}
		if len(base.ModelValues) != 0 || base.Model.PearsonLog != nil || full.Model.PearsonLog == nil {
			t.Errorf("%s: nil output has model values %v / statistics %+v", agg, base.ModelValues, base.Model)
		}
	}
}
