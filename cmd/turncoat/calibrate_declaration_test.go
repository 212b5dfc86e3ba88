package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrateDeclarations: the bargain example fitted on the
// declarations only (--holdout-kind exit) prints both series' scores
// beside their baselines and predicts every exit; --folds needs
// --cross-validate.
func TestCalibrateDeclarations(t *testing.T) {
	spec := filepath.Join("..", "..", "examples", "calibrate", "soviet-bargain.yaml")
	if _, _, err := runCLI(t, "calibrate", spec, "--folds", "Lithuania", "--quiet"); err == nil || !strings.Contains(err.Error(), "--folds needs --cross-validate") {
		t.Errorf("--folds without --cross-validate: %v", err)
	}
	if _, _, err := runCLI(t, "calibrate", spec, "--holdout-kind", "revolution", "--quiet"); err == nil || !strings.Contains(err.Error(), "holdout_kind: must be one of exit, declaration") {
		t.Errorf("bad --holdout-kind: %v", err)
	}
	if raceEnabled {
		t.Skip("the calibration part runs the model; skipped under -race")
	}
	dir := filepath.Join(t.TempDir(), "cal")
	out, _, err := runCLI(t, "calibrate", spec, "--out", dir, "--quiet", "--workers", "2", "--holdout-kind", "exit",
		"--set", "particles=4", "--set", "generations=0", "--set", "draws=4", "--set", `set.scale="0.03"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"headline scores, exit targets", "headline scores, declaration targets", "baseline median", "baseline referendum", "held out Kazakhstan", "held-out targets only:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
