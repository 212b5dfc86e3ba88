package calibrate_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/calibrate"
)

const sovSmall = `scenario: soviet1991-sovereignty
set: {scale: "0.03"}
parameters:
  - {name: sovereignty.elite, prior: uniform, range: [0.05, 0.3]}
particles: 4
generations: 0
draws: 6
seed: 5
`

// TestDeclarationTargets: with a sovereignty rule the declarations are
// default targets beside the exits, selectable one by one, held out by
// name or by kind; errors name the field.
func TestDeclarationTargets(t *testing.T) {
	dir := t.TempDir()
	spec, err := parse(t, dir, sovSmall)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := spec.Base()
	if len(spec.Targets) != 0 || len(base.History.Declarations) != 15 || len(base.History.Exits) != 15 {
		t.Fatalf("targets %v, %d declarations, %d exits", spec.Targets, len(base.History.Declarations), len(base.History.Exits))
	}
	s, err := parse(t, dir, sovSmall+"holdout_kind: exit\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Holdout) != 15 || slices.ContainsFunc(s.Holdout, func(h string) bool { return strings.HasPrefix(h, calibrate.DeclarationPrefix) }) {
		t.Errorf("holdout_kind exit held out %v", s.Holdout)
	}
	s, err = parse(t, dir, sovSmall+"targets:\n  - {declaration: Lithuania}\n  - {declaration: Russia}\n  - {exit: Russia}\nholdout: [\"declaration:Russia\"]\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Targets[0].Name(); got != "declaration:Lithuania" {
		t.Errorf("target name %q", got)
	}
	for _, tc := range []struct{ text, want string }{
		{"scenario: soviet1991\nparameters:\n  - {name: regime.repression, prior: uniform, range: [0.3, 0.9]}\ntargets:\n  - {declaration: Lithuania}\n", "targets[0].declaration: scenario soviet1991 has no sovereignty rule"},
		{sovSmall + "targets:\n  - {declaration: Narnia}\n", "cal.yaml:10: targets[0].declaration: names no region"},
		{sovSmall + "targets:\n  - {declaration: Russia, exit: Russia}\n", "targets[0]: set one of exit and declaration"},
		{sovSmall + "targets:\n  - {declaration: Russia}\n  - {declaration: Russia}\n", `targets[1].declaration: target "Russia" appears twice`},
		{sovSmall + "holdout_kind: revolution\n", "holdout_kind: must be one of exit, declaration"},
		{sovSmall + "targets:\n  - {exit: Russia}\nholdout_kind: declaration\n", "holdout_kind: no declaration target to hold out"},
		{sovSmall + "holdout: [\"declaration:Narnia\"]\n", `holdout[0]: names no target: "declaration:Narnia"`},
		{sovSmall + "targets:\n  - {declaration: Russia}\nholdout_kind: declaration\n", "holdout: leaves no target to fit"},
	} {
		if _, err := parse(t, dir, tc.text); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

// TestDeclarationsOnlyPredictExits fits on the declarations only and
// predicts the exits: the summary's declaration scores agree with
// predictive.csv, the held-out exits are scored with their baselines and
// the declarations with theirs.
func TestDeclarationsOnlyPredictExits(t *testing.T) {
	if raceEnabled {
		t.Skip("runs calibrations; skipped under -race")
	}
	dir := t.TempDir()
	spec, err := parse(t, dir, sovSmall+"holdout_kind: exit\n")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	res, err := calibrate.Run(context.Background(), spec, calibrate.Options{Dir: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	pr := res.Summary.Predictive
	if pr.Fitted != 15 || pr.HeldOut != 15 || pr.DeclarationTimingErrorWeeks == nil || pr.HeldOutTimingErrorWeeks == nil {
		t.Fatalf("fitted %d held out %d, declaration timing %v", pr.Fitted, pr.HeldOut, pr.DeclarationTimingErrorWeeks)
	}
	names := func(bs []calibrate.BaselineScore) (out []string) {
		for _, b := range bs {
			out = append(out, b.Name)
		}
		return out
	}
	if got := names(res.Summary.DeclarationBaselines); !slices.Equal(got, []string{"referendum", "median"}) {
		t.Errorf("declaration baselines %v", got)
	}
	if got := names(res.Summary.HeldOutBaselines); !slices.Contains(got, "august") {
		t.Errorf("held-out exit baselines %v", got)
	}
	if res.Summary.HeldOutDeclarationBaselines != nil {
		t.Errorf("no declaration is held out, got baselines %v", res.Summary.HeldOutDeclarationBaselines)
	}
	// The median baseline of the declarations is pinned in scenarios
	// (TestSovietDeclarationBaseline): 21.4 weeks.
	if m := res.Summary.DeclarationBaselines[1].TimingErrorWeeks; m == nil || math.Abs(*m-21.4) > 0.05 {
		t.Errorf("median declaration baseline %v, want 21.4 weeks", m)
	}
	// Recompute each draw's declaration timing error from predictive.csv.
	b, err := os.ReadFile(filepath.Join(out, calibrate.PredictiveFile))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sum := map[string]float64{}
	nDecl, nExit := 0, 0
	for _, r := range rows[1:] {
		if !strings.HasPrefix(r[1], calibrate.DeclarationPrefix) {
			nExit++
			if r[2] != "true" {
				t.Fatalf("exit %s not held out", r[1])
			}
			continue
		}
		nDecl++
		o, _ := strconv.ParseFloat(r[3], 64)
		s, _ := strconv.ParseFloat(r[4], 64)
		sum[r[0]] += math.Abs(o-s) / 15
	}
	if nDecl != 15*spec.Draws || nExit != 15*spec.Draws {
		t.Fatalf("predictive.csv: %d declaration rows, %d exit rows", nDecl, nExit)
	}
	var errs []float64
	for _, v := range sum {
		errs = append(errs, v)
	}
	sort.Float64s(errs)
	if got, want := pr.DeclarationTimingErrorWeeks.Median, errs[(len(errs)-1)/2]; math.Abs(got-want) > 1e-9 {
		t.Errorf("declaration timing median %g, from predictive.csv %g", got, want)
	}
}

// TestCrossValidateRepublic: with declaration targets a fold leaves one
// republic out, its exit and its declaration together; --folds limits
// the folds.
func TestCrossValidateRepublic(t *testing.T) {
	if raceEnabled {
		t.Skip("runs calibrations; skipped under -race")
	}
	dir := t.TempDir()
	spec, err := parse(t, dir, sovSmall)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calibrate.CrossValidate(context.Background(), spec, calibrate.Options{Folds: []string{"Narnia"}}); err == nil || !strings.Contains(err.Error(), `fold "Narnia"`) {
		t.Errorf("unknown fold: %v", err)
	}
	cv, err := calibrate.CrossValidate(context.Background(), spec, calibrate.Options{Folds: []string{"Lithuania", "Russia"}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range cv.Folds {
		got = append(got, f.Target)
	}
	if want := []string{"Russia", "declaration:Russia", "Lithuania", "declaration:Lithuania"}; !slices.Equal(got, want) {
		t.Fatalf("folds %v, want %v", got, want)
	}
	wantExit := (cv.Folds[0].ErrorWeeks + cv.Folds[2].ErrorWeeks) / 2
	wantDecl := (cv.Folds[1].ErrorWeeks + cv.Folds[3].ErrorWeeks) / 2
	if math.Abs(cv.TimingErrorWeeks-wantExit) > 1e-9 || cv.DeclarationTimingErrorWeeks == nil || math.Abs(*cv.DeclarationTimingErrorWeeks-wantDecl) > 1e-9 {
		t.Errorf("exit error %g (want %g), declaration error %v (want %g)", cv.TimingErrorWeeks, wantExit, cv.DeclarationTimingErrorWeeks, wantDecl)
	}
	if len(cv.DeclarationBaselines) != 2 || len(cv.Baselines) == 0 {
		t.Errorf("baselines %v / %v", cv.Baselines, cv.DeclarationBaselines)
	}
}
