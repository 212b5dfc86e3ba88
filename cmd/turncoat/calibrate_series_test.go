package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrateSeriesCommand runs a tiny calibration of gdr1961 to its
// refugee series with the points after 1960 held out, and checks the
// end-of-run table (model beside the baselines) and summary.json.
func TestCalibrateSeriesCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cal")
	spec := filepath.Join("..", "..", "examples", "calibrate", "gdr1961.yaml")
	out, _, err := runCLI(t, "calibrate", spec, "--out", dir, "--quiet", "--workers", "2", "--holdout-after", "1960-12-31",
		"--set", "particles=4", "--set", "generations=0", "--set", "draws=4", "--set", `set.scale="0.1"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"final tolerance", "(log units)", "fitted points inside their 90% bands, ", "of 2 held out",
		"series refugees (fitted, distance rmse_log_level", "\n  1961-12-31 ", "(held out)",
		"persistence", "\n  pearson_log ", "\n  break_log_error ", "history break ratio 0.1012", "held-out points: RMS log error", "; last "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Runs   int `json:"runs"`
		Series []struct {
			Name      string                  `json:"name"`
			Distance  string                  `json:"distance"`
			Points    []struct{ Date string } `json:"points"`
			Baselines []struct {
				Name    string   `json:"name"`
				RMSELog *float64 `json:"rmse_log"`
			} `json:"baselines"`
			Model map[string]struct{ Median float64 } `json:"model"`
		} `json:"series"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Runs != 8 || len(sum.Series) != 1 || sum.Series[0].Name != "refugees" || sum.Series[0].Distance != "rmse_log_level" || len(sum.Series[0].Points) != 14 {
		t.Fatalf("summary.json: %s", b)
	}
	// The baselines are regime.ScoreSeries' (docs/GDR.md: constant 0.631).
	if bl := sum.Series[0].Baselines; len(bl) != 3 || bl[0].Name != "constant" || bl[0].RMSELog == nil || *bl[0].RMSELog < 0.630 || *bl[0].RMSELog > 0.632 {
		t.Errorf("baselines: %+v", bl)
	}
	if _, ok := sum.Series[0].Model["pearson_log"]; !ok {
		t.Errorf("model statistics: %+v", sum.Series[0].Model)
	}
	// turncoat plot draws the predictive bands of the series.
	if _, _, err := runCLI(t, "plot", dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "figures", "posterior-predictive-refugees.png")); err != nil {
		t.Errorf("turncoat plot: %v", err)
	}
	if _, _, err := runCLI(t, "report", dir); err != nil {
		t.Fatal(err)
	}
	if h, err := os.ReadFile(filepath.Join(dir, "report.html")); err != nil || !strings.Contains(string(h), "1961-12-31") || !strings.Contains(string(h), "persistence 0.6685") {
		t.Errorf("report.html lacks the series points or the baselines (%v)", err)
	}
	// An unknown series is an error naming the spec's line and field.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("scenario: gdr1961\nparameters:\n  - {name: modes.exit.rate, prior: uniform, range: [0.001, 0.01]}\ntargets:\n  - {series: turnout}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "calibrate", bad, "--out", filepath.Join(t.TempDir(), "x"), "--quiet")
	if err == nil || !strings.Contains(err.Error(), `bad.yaml:5: targets[0].series: names no history series of gdr1961: "turnout" (series: refugees)`) {
		t.Errorf("unknown series: %v", err)
	}
}
