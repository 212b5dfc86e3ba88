package calibrate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/calibrate"
	"github.com/turncoat-abm/turncoat/scenarios"
)

const packParams = `parameters:
  - {name: roles.soldier.threshold.mean, prior: uniform, range: [0.3, 0.55]}
  - {name: mapping.onset_scale, prior: uniform, range: [0.4, 0.8]}
`

func TestPackSpecErrors(t *testing.T) {
	head := "scenario: arabspring2011\n"
	tests := []struct{ name, text, want string }{
		{"unknown mapping field", head + "parameters:\n  - {name: mapping.nosuch, prior: uniform, range: [0.3, 0.9]}\n", `cal.yaml:3: parameters[0].name: mapping.nosuch = 0.3: mapping.nosuch: cases.Mapping has no field "nosuch"`},
		{"unknown base path", head + "parameters:\n  - {name: regime.nosuch, prior: uniform, range: [0.3, 0.9]}\n", `cal.yaml:3: parameters[0].name`},
		{"case not in pack", head + packParams + "targets:\n  - {class: arabspring2011-narnia}\n", `cal.yaml:6: targets[0].class: names no case of pack arabspring2011`},
		{"exit target on a pack", head + packParams + "targets:\n  - {exit: Egypt}\n", `targets[0]: a pack calibration fits outcome classes`},
		{"bad holdout", head + packParams + "holdout: [Egypt]\n", `holdout[0]: names no target: "Egypt"`},
		{"class target on one scenario", "scenario: soviet1991\nparameters:\n  - {name: regime.repression, prior: uniform, range: [0.3, 0.9]}\ntargets:\n  - {class: Russia}\n", `cal.yaml:5: targets[0].class: class targets need a pack`},
		{"bad mapping set", head + "set: {mapping.onset_scale: lots}\n" + packParams, `mapping.onset_scale: "lots" is not a number`},
	}
	dir := t.TempDir()
	wantParseErrors(t, dir, tests)
}

const packSmall = "scenario: arabspring2011\nset: {mapping.citizens: 150, mapping.elites: 20}\n" + packParams + `particles: 4
generations: 1
draws: 6
seed: 2
`

// TestPackCalibrate: a pack fit to outcome classes gives the same bytes for
// any worker count, summarises class accuracy beside the majority class,
// predicts a held-out case and writes runnable case files.
func TestPackCalibrate(t *testing.T) {
	dir := t.TempDir()
	text := packSmall + "holdout: [arabspring2011-egypt]\n"
	workers := []int{1, 3}
	if raceEnabled { // one small run on three workers: the pool's concurrency under the race detector
		text = strings.NewReplacer("generations: 1", "generations: 0", "draws: 6", "draws: 2").Replace(text)
		workers = []int{3}
	}
	spec, err := parse(t, dir, text)
	if err != nil {
		t.Fatal(err)
	}
	var first map[string][]byte
	for _, w := range workers {
		out := filepath.Join(dir, "w", string(rune('0'+w)))
		res, err := calibrate.Run(context.Background(), spec, calibrate.Options{Dir: out, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		pr := res.Summary.Predictive
		// Fitted: Tunisia, Libya, Syria, Bahrain, Yemen (loyal and split tie
		// at two): the majority baseline is right in expectation on 2 of the
		// 5 fitted cases, and on Egypt (defected) never.
		if pr.ClassAccuracy == nil || pr.MajorityBaseline == nil || *pr.MajorityBaseline != 0.4 ||
			pr.HeldOutMajorityBaseline == nil || *pr.HeldOutMajorityBaseline != 0 || pr.HeldOutModalAccuracy == nil {
			t.Fatalf("class summary missing or wrong majority baseline: %+v", pr)
		}
		if pr.Fitted != 5 || pr.HeldOut != 1 || len(pr.Targets) != 6 {
			t.Fatalf("fitted %d, held out %d, targets %d", pr.Fitted, pr.HeldOut, len(pr.Targets))
		}
		for _, tc := range pr.Targets {
			sum := tc.Classes["defected"] + tc.Classes["split"] + tc.Classes["loyal"]
			if tc.ObservedClass == "" || sum < 0.999 || sum > 1.001 || (tc.Name == "arabspring2011-egypt") != tc.HeldOut {
				t.Errorf("target %+v", tc)
			}
		}
		// The distance is a share misclassified.
		for _, g := range res.Generations {
			for _, d := range g.Distances {
				if d < 0 || d > 1 {
					t.Fatalf("distance %v outside [0,1]", d)
				}
			}
		}
		files := map[string][]byte{}
		for _, f := range []string{calibrate.PosteriorFile, calibrate.GenerationsFile, calibrate.SummaryFile, calibrate.PredictiveFile, "best/arabspring2011-libya.yaml", "posterior-median/arabspring2011-syria.yaml"} {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			files[f] = b
		}
		if _, err := scenarios.Load(filepath.Join(out, "posterior-median", "arabspring2011-syria.yaml")); err != nil {
			t.Fatalf("posterior-median case does not load: %v", err)
		}
		if !bytes.Contains(files[calibrate.PredictiveFile], []byte("observed_class,simulated_class")) {
			t.Errorf("predictive.csv header: %.80s", files[calibrate.PredictiveFile])
		}
		var js map[string]any
		if err := json.Unmarshal(files[calibrate.SummaryFile], &js); err != nil || js["parameters"] == nil {
			t.Fatalf("summary.json: %v", err)
		}
		if first == nil {
			first = files
			continue
		}
		for f, b := range files {
			if !bytes.Equal(b, first[f]) {
				t.Errorf("%s differs between 1 and %d workers", f, w)
			}
		}
	}
}

// TestPackCrossValidate: leave-one-country-out over the six 2011 cases, with
// the majority class of the other five as baseline (never right: the six
// are two of each class).
func TestPackCrossValidate(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("six refits; skipped under -race and -short")
	}
	dir := t.TempDir()
	spec, err := parse(t, dir, strings.Replace(packSmall, "generations: 1", "generations: 0", 1))
	if err != nil {
		t.Fatal(err)
	}
	cv, err := calibrate.CrossValidate(context.Background(), spec, calibrate.Options{Dir: filepath.Join(dir, "cv")})
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Folds) != 6 || cv.ClassAccuracy == nil || cv.MajorityBaseline == nil || *cv.MajorityBaseline != 0 {
		t.Fatalf("folds %d, accuracy %v, majority %v", len(cv.Folds), cv.ClassAccuracy, cv.MajorityBaseline)
	}
	hits := 0
	for _, f := range cv.Folds {
		if f.Inside != (f.Modal == f.ObservedClass) {
			t.Errorf("fold %s: inside %v but modal %s observed %s", f.Target, f.Inside, f.Modal, f.ObservedClass)
		}
		if f.Inside {
			hits++
		}
	}
	if *cv.ClassAccuracy != float64(hits)/6 {
		t.Errorf("accuracy %v, want %d/6", *cv.ClassAccuracy, hits)
	}
	b, err := os.ReadFile(filepath.Join(dir, "cv", "cv.csv"))
	if err != nil || !bytes.HasPrefix(b, []byte("target,observed_class,modal_class")) || bytes.Count(b, []byte("\n")) != 7 {
		t.Fatalf("cv.csv: %v\n%s", err, b)
	}
}
