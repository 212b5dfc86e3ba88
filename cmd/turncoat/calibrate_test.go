package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrateCommand runs a tiny calibration with a holdout and checks
// the summary.json contract and the runnable scenario files.
func TestCalibrateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cal")
	spec := filepath.Join("..", "..", "examples", "calibrate", "small.yaml")
	out, _, err := runCLI(t, "calibrate", spec, "--out", dir, "--quiet", "--workers", "2", "--holdout", "Russia",
		"--set", "particles=4", "--set", "generations=0", "--set", "draws=4", "--set", `set.scale="0.03"`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "held out Russia") || !strings.Contains(out, "baseline august") {
		t.Errorf("output lacks the held-out prediction or the baselines:\n%s", out)
	}
	for _, want := range []string{"\nparameter  ", "\nroles.elite.threshold.mean  ", "headline scores, all targets", "  forecast  ", "\n  model  ", "held-out targets only:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the end-of-run tables lack %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Parameters []struct {
			Name   string     `json:"name"`
			Prior  [2]float64 `json:"prior"`
			Median *float64   `json:"median"`
			Q05    *float64   `json:"q05"`
			Q95    *float64   `json:"q95"`
		} `json:"parameters"`
		Runs int `json:"runs"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Parameters) != 3 || sum.Runs != 4+4 {
		t.Fatalf("summary.json: %d parameters, %d runs", len(sum.Parameters), sum.Runs)
	}
	for _, p := range sum.Parameters {
		if p.Median == nil || p.Q05 == nil || p.Q95 == nil || *p.Q05 < p.Prior[0] || *p.Q95 > p.Prior[1] || *p.Q05 > *p.Median || *p.Median > *p.Q95 {
			t.Errorf("parameter %s: prior %v, q05/median/q95 not ordered inside it", p.Name, p.Prior)
		}
	}
	for _, f := range []string{"best.yaml", "posterior-median.yaml"} {
		if _, _, err := runCLI(t, "run", filepath.Join(dir, f), "--out", filepath.Join(t.TempDir(), "r")); err != nil {
			t.Errorf("turncoat run %s: %v", f, err)
		}
	}
	// turncoat plot and report know calibration directories (the figures
	// themselves are tested in plots; rendering is slow under -race).
	if raceEnabled {
		return
	}
	out, _, err = runCLI(t, "plot", dir)
	if err != nil || !strings.Contains(out, "posterior-marginals.png") || !strings.Contains(out, "posterior-predictive.png") {
		t.Fatalf("turncoat plot: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, "report", dir); err != nil {
		t.Fatalf("turncoat report: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "report.html")); err != nil || !strings.Contains(string(b), "Posterior (weighted quantiles)") {
		t.Fatalf("report.html: %v", err)
	}
}

func TestCalibrateBadInput(t *testing.T) {
	spec := filepath.Join("..", "..", "examples", "calibrate", "small.yaml")
	tests := []struct {
		name  string
		args  []string
		want  string
		usage bool
	}{
		{"shard", []string{spec, "--shard", "0/2"}, "--shard is not supported", true},
		{"holdout", []string{spec, "--holdout", "Narnia"}, `holdout[0]: names no target: "Narnia"`, false},
		{"two files", []string{spec, spec}, "exactly one spec file", true},
		{"resume without out", []string{spec, "--resume"}, "--resume needs --out", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCLI(t, append([]string{"calibrate"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if errors.Is(err, errUsage) != tc.usage {
				t.Errorf("usage error = %v, want %v", errors.Is(err, errUsage), tc.usage)
			}
		})
	}
}

// TestCalibratePackCommand: the arabspring2011 pack example, tiny, prints
// the class check beside the majority class and writes the case
// directories; --holdout-after is refused for a pack's undated classes.
func TestCalibratePackCommand(t *testing.T) {
	spec := filepath.Join("..", "..", "examples", "calibrate", "arabspring2011.yaml")
	if _, _, err := runCLI(t, "calibrate", spec, "--quiet", "--holdout-after", "2011-02-01", "--out", t.TempDir()); err == nil || !strings.Contains(err.Error(), "holdout_after: needs dated targets") {
		t.Fatalf("--holdout-after on a pack: %v", err)
	}
	if raceEnabled {
		t.Skip("runs the six cases; skipped under -race")
	}
	dir := filepath.Join(t.TempDir(), "cal")
	out, _, err := runCLI(t, "calibrate", spec, "--out", dir, "--quiet", "--holdout", "arabspring2011-yemen",
		"--set", "particles=4", "--set", "generations=0", "--set", "draws=2")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"majority-class baseline", "arabspring2011-yemen (held out)", "held out (1 cases)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := runCLI(t, "run", filepath.Join(dir, "posterior-median", "arabspring2011-egypt.yaml"), "--out", filepath.Join(t.TempDir(), "r")); err != nil {
		t.Errorf("turncoat run posterior-median/arabspring2011-egypt.yaml: %v", err)
	}
}
