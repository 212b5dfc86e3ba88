package calibrate_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/calibrate"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

func TestSeriesSpecErrors(t *testing.T) {
	head := "scenario: gdr1961\nset: {scale: \"0.2\"}\nparameters:\n  - {name: modes.exit.rate, prior: uniform, range: [0.001, 0.01]}\n"
	tests := []struct{ name, text, want string }{
		{"unknown series", head + "targets:\n  - {series: refugee}\n", `cal.yaml:6: targets[0].series: names no history series of gdr1961: "refugee" (series: refugees)`},
		{"bad distance", head + "targets:\n  - {series: refugees, distance: rmse}\n", `cal.yaml:6: targets[0].distance: must be one of rmse_log, rmse_log_level, pearson_log`},
		{"mixed with exits", head + "targets:\n  - {series: refugees}\n  - {exit: GDR}\n", `cal.yaml:7: targets[1]: series targets cannot be mixed`},
		{"twice", head + "targets:\n  - {series: refugees}\n  - {series: refugees}\n", `targets[1].series: target "refugees" appears twice`},
		{"holdout name", head + "holdout: [leipzig]\n", `cal.yaml:5: holdout[0]: names no target: "leipzig" (targets: refugees)`},
		{"holdout everything", head + "holdout: [refugees]\n", `holdout: leaves no target to fit`},
		{"holdout after too early", head + "holdout_after: 1949-12-31\n", `holdout_after: series "refugees" has 1 points the fit can score (on or before holdout_after "1949-12-31" and within the run, which ends 1963-01-01); its rmse_log distance needs at least 2`},
		{"holdout after nothing", head + "holdout_after: 1963-01-01\n", `holdout_after: no fitted series has a point dated after 1963-01-01`},
		{"pearson needs 3", head + "targets:\n  - {series: refugees, distance: pearson_log}\nholdout_after: 1950-12-31\n", `pearson_log distance needs at least 3`},
		{"distance on an exit", "scenario: soviet1991\nparameters:\n  - {name: regime.repression, prior: uniform, range: [0.3, 0.9]}\ntargets:\n  - {exit: Ukraine, distance: rmse_log}\n", `cal.yaml:5: targets[0].distance: belongs to a series target`},
	}
	dir := t.TempDir()
	wantParseErrors(t, dir, tests)
	// Points after the run's horizon are never scored.
	short := fmt.Sprintf("scenario: %s\nset: {ticks: \"5\"}\nparameters:\n  - {name: regime.border_open, prior: uniform, range: [0.1, 0.3]}\n", exodusWithSeries(t, 0.2))
	if _, err := parse(t, dir, short); err == nil || !strings.Contains(err.Error(), `cal.yaml: targets: series "emigrants" has 0 points the fit can score`) {
		t.Errorf("points beyond the horizon: %v", err)
	}
	// The default targets of a scenario with series and no exit history
	// are its series; cross-validation is refused with a clear error.
	s, err := parse(t, dir, head+"particles: 4\ngenerations: 0\ndraws: 4\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calibrate.CrossValidate(context.Background(), s, calibrate.Options{}); !errors.Is(err, calibrate.ErrSeriesCV) {
		t.Errorf("CrossValidate on series: %v, want ErrSeriesCV", err)
	}
}

// TestSeriesDistanceMatchesScoreSeries: on a run of gdr1961, the
// distances agree with regime.ScoreSeries' statistics, and the level
// distance is |log k| for a model that is the history times k.
func TestSeriesDistanceMatchesScoreSeries(t *testing.T) {
	cfg, err := scenarios.Load("gdr1961", "scale=0.2")
	if err != nil {
		t.Fatal(err)
	}
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Summary.Series[0]
	if f.Model.RMSELog == nil || f.Model.PearsonLog == nil {
		t.Fatal("gdr1961: no rmse_log or pearson_log")
	}
	if d := calibrate.SeriesDistance(calibrate.DistanceRMSELog, f.ModelValues, f.History); math.Abs(d-*f.Model.RMSELog) > 1e-12 {
		t.Errorf("rmse_log distance %v, ScoreSeries %v", d, *f.Model.RMSELog)
	}
	if d := calibrate.SeriesDistance(calibrate.DistancePearsonLog, f.ModelValues, f.History); math.Abs(d-(1-*f.Model.PearsonLog)) > 1e-12 {
		t.Errorf("pearson_log distance %v, 1 - ScoreSeries %v", d, 1-*f.Model.PearsonLog)
	}
	h := []float64{10, 20, 40, 5}
	k := []float64{30, 60, 120, 15}
	if d := calibrate.SeriesDistance(calibrate.DistanceRMSELogLevel, k, h); math.Abs(d-math.Log(3)) > 1e-12 {
		t.Errorf("level distance of 3×history = %v, want log 3", d)
	}
	if d := calibrate.SeriesDistance(calibrate.DistanceRMSELog, k, h); d > 1e-12 {
		t.Errorf("level-free distance of 3×history = %v, want 0", d)
	}
	if d := calibrate.SeriesDistance(calibrate.DistancePearsonLog, []float64{0, 0, 0, 0}, h); d != 1 {
		t.Errorf("pearson distance of a zero model = %v, want 1", d)
	}
	// A zero model counts as a constant: the spread of log history.
	if d, c := calibrate.SeriesDistance(calibrate.DistanceRMSELog, []float64{0, 0, 0, 0}, h), calibrate.SeriesDistance(calibrate.DistanceRMSELog, []float64{7, 7, 7, 7}, h); math.Abs(d-c) > 1e-12 || !(d > 0) {
		t.Errorf("zero model %v, constant model %v: want equal and positive", d, c)
	}
}

// exodusWithSeries writes a copy of regime/testdata/exodus.yaml (scale
// 0.5) whose history.series "emigrants" is one run's emigrants summed over
// six windows of ten weeks, at regime.border_open = truth; it returns the
// file's path.
func exodusWithSeries(t *testing.T, truth float64) string {
	t.Helper()
	cfg, err := scenarios.Load(filepath.Join("..", "regime", "testdata", "exodus.yaml"), "scale=0.5", fmt.Sprintf("regime.border_open=%g", truth))
	if err != nil {
		t.Fatal(err)
	}
	s := regime.Series{Name: "emigrants", Output: "emigrants", Aggregate: regime.AggregateSum, Source: "simulated at border_open = truth"}
	for k := 1; k <= 6; k++ {
		s.Points = append(s.Points, regime.SeriesPoint{Date: regime.Date{Time: cfg.DateOf(10*k).AddDate(0, 0, -1)}, Value: 1})
	}
	cfg.History.Series = []regime.Series{s}
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Summary.Series[0]
	if len(f.ModelValues) != 6 {
		t.Fatalf("scored %d points, want 6", len(f.ModelValues))
	}
	for k, v := range f.ModelValues {
		cfg.History.Series[0].Points[k].Value = v
	}
	y, err := cfg.YAML()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "exodus-series.yaml")
	if err := os.WriteFile(path, y, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSeriesRecovery simulates an emigrant series at two known border
// openings, fits the opening from a wide prior with the level distance,
// and checks that the 90% interval holds the truth and is narrower than
// half the prior; it also checks that the bytes do not depend on the
// number of workers.
func TestSeriesRecovery(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("about 500 model runs; run without -race and -short")
	}
	var spec *calibrate.Spec
	var d1 string
	for _, truth := range []float64{0.2, 0.26} {
		scen := exodusWithSeries(t, truth)
		var err error
		spec, err = parse(t, t.TempDir(), fmt.Sprintf(`scenario: %s
parameters:
  - {name: regime.border_open, prior: uniform, range: [0.02, 0.38]}
targets:
  - {series: emigrants, distance: rmse_log_level}
particles: 30
generations: 3
draws: 40
seed: 2
`, scen))
		if err != nil {
			t.Fatal(err)
		}
		d1 = t.TempDir()
		res, err := calibrate.Run(context.Background(), spec, calibrate.Options{Dir: d1, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		p := res.Summary.Parameters[0]
		t.Logf("border_open: truth %g, median %.3f, 90%% [%.3f, %.3f]; tolerance %.3f", truth, p.Median, p.Q05, p.Q95, res.Summary.Tolerance)
		if !(p.Q05 <= truth && truth <= p.Q95) || !p.Narrow {
			t.Errorf("truth %g: 90%% interval [%.3f, %.3f] should hold it and be narrower than half the prior", truth, p.Q05, p.Q95)
		}
		if math.Abs(p.Median-truth) > 0.05 {
			t.Errorf("posterior median %.3f is more than 0.05 from the truth %g (prior: uniform on [0.02, 0.38])", p.Median, truth)
		}
		sc := res.Summary.Series
		if len(sc) != 1 || sc[0].Fitted != 6 || len(sc[0].Baselines) == 0 {
			t.Fatalf("summary series: %+v", sc)
		}
		if sc[0].CoveredFitted < 4 {
			t.Errorf("truth %g: only %d of 6 points inside their 90%% predictive bands", truth, sc[0].CoveredFitted)
		}
	}
	// The last truth again with three workers: the same bytes.
	d2 := t.TempDir()
	if _, err := calibrate.Run(context.Background(), spec, calibrate.Options{Dir: d2, Workers: 3}); err != nil {
		t.Fatal(err)
	}
	a, b := readAll(t, d1), readAll(t, d2)
	for f := range a {
		if !bytes.Equal(a[f], b[f]) {
			t.Errorf("%s differs between 1 and 3 workers", f)
		}
	}
}

// TestSeriesHoldoutAfter: points after the date are left out of the fit
// (the distance does not see them) and predicted, with the naive
// forecasts beside; the bytes do not depend on the number of workers.
func TestSeriesHoldoutAfter(t *testing.T) {
	spec, err := parse(t, t.TempDir(), `scenario: gdr1961
set: {scale: "0.1"}
parameters:
  - {name: modes.exit.rate, prior: loguniform, range: [0.001, 0.01]}
holdout_after: 1960-12-31
particles: 4
generations: 1
draws: 6
`)
	if err != nil {
		t.Fatal(err)
	}
	if raceEnabled {
		spec.Generations = 0 // a few seconds with the race detector
	}
	d1, d2 := t.TempDir(), t.TempDir()
	res, err := calibrate.Run(context.Background(), spec, calibrate.Options{Dir: d1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	sc := res.Summary.Series[0]
	if sc.Fitted != 12 || sc.HeldOutPoints != 2 || sc.HeldOutRMSELog == nil || len(sc.HeldOutBaselines) != 2 {
		t.Fatalf("fitted %d, held out %d points; held-out score %v, baselines %v", sc.Fitted, sc.HeldOutPoints, sc.HeldOutRMSELog, sc.HeldOutBaselines)
	}
	if !sc.Points[12].HeldOut || sc.Points[11].HeldOut || sc.Points[12].Date != "1961-12-31" {
		t.Errorf("held-out points: %+v", sc.Points[11:])
	}
	// The distance is the rmse_log of the fitted points: recompute it
	// from predictive.csv's first draw.
	b, err := os.ReadFile(filepath.Join(d1, calibrate.PredictiveFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "draw,target,date,held_out,observed,simulated,scaled\n0,refugees,1949-12-31,false,129245,") {
		t.Errorf("predictive.csv starts %q", string(b[:min(len(b), 120)]))
	}
	if _, err := calibrate.Run(context.Background(), spec, calibrate.Options{Dir: d2, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	x, y := readAll(t, d1), readAll(t, d2)
	for f := range x {
		if !bytes.Equal(x[f], y[f]) {
			t.Errorf("%s differs between 1 and 2 workers", f)
		}
	}
}
