package calibrate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/turncoat-abm/turncoat/calibrate"
)

// TestOrderWeightErrors: bad order_weight values name the field and line.
func TestOrderWeightErrors(t *testing.T) {
	head := "scenario: soviet1991\nparameters:\n  - {name: regime.repression, prior: uniform, range: [0.3, 0.9]}\n"
	tests := []struct{ name, text, want string }{
		{"negative", head + "order_weight: -1\n", `cal.yaml:4: order_weight: must be a finite number of weeks >= 0`},
		{"infinite", head + "order_weight: .inf\n", `cal.yaml:4: order_weight: `},
		{"nan", head + "order_weight: .nan\n", `cal.yaml:4: order_weight: `},
		{"not a number", head + "order_weight: ten\n", `cal.yaml:4`},
		{"one target", head + "targets: [{exit: Ukraine}]\norder_weight: 5\n", `order_weight: needs at least two fitted targets`},
		{"pack", "scenario: arabspring2011\nparameters:\n  - {name: repression.base, prior: uniform, range: [0.3, 0.9]}\norder_weight: 5\n", `order_weight: needs dated targets`},
	}
	dir := t.TempDir()
	wantParseErrors(t, dir, tests)
	s, err := parse(t, dir, head+"order_weight: 2.5\n")
	if err != nil || s.OrderWeight != 2.5 {
		t.Fatalf("order_weight 2.5: %v, %v", s, err)
	}
}

// TestOrderWeightOffIdentical: order_weight 0 writes the same bytes as no
// order_weight (and no order_weight key anywhere); order_weight 10
// changes the fit's distances and is reported in summary.json and
// calibrate.yaml.
func TestOrderWeightOffIdentical(t *testing.T) {
	ctx := context.Background()
	files := []string{calibrate.PosteriorFile, calibrate.GenerationsFile, calibrate.SummaryFile, calibrate.PredictiveFile, calibrate.BestFile, calibrate.MedianFile, calibrate.SpecFile}
	runDir := func(text string) map[string][]byte {
		t.Helper()
		spec, err := parse(t, t.TempDir(), text)
		if err != nil {
			t.Fatal(err)
		}
		spec.Particles, spec.Generations, spec.Draws = 4, 1, 4
		dir := t.TempDir()
		if _, err := calibrate.Run(ctx, spec, calibrate.Options{Dir: dir, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			out[f] = b
		}
		return out
	}
	none, zero, ten := runDir(small), runDir(small+"order_weight: 0\n"), runDir(small+"order_weight: 10\n")
	for _, f := range files {
		if !bytes.Equal(none[f], zero[f]) {
			t.Errorf("%s differs between no order_weight and order_weight 0", f)
		}
		if bytes.Contains(none[f], []byte("order_weight")) {
			t.Errorf("%s mentions order_weight when it is off", f)
		}
	}
	if bytes.Equal(none[calibrate.GenerationsFile], ten[calibrate.GenerationsFile]) {
		t.Error("order_weight 10 left the generations (tolerances) unchanged")
	}
	var sum struct {
		OrderWeight float64 `json:"order_weight"`
	}
	if err := json.Unmarshal(ten[calibrate.SummaryFile], &sum); err != nil || sum.OrderWeight != 10 {
		t.Errorf("summary.json order_weight %g (%v), want 10", sum.OrderWeight, err)
	}
	if !bytes.Contains(ten[calibrate.SpecFile], []byte("order_weight: 10")) {
		t.Errorf("calibrate.yaml lacks order_weight: 10:\n%s", ten[calibrate.SpecFile])
	}
}

// TestRound7SpecParses: the shipped round-7 example parses with its
// order weight.
func TestRound7SpecParses(t *testing.T) {
	s, err := calibrate.Load(filepath.Join("..", "examples", "calibrate", "soviet-round7.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.OrderWeight != 10 || s.Particles != 100 || s.Generations != 4 || len(s.Parameters) != 5 {
		t.Errorf("order_weight %g, %d particles, %d generations, %d parameters", s.OrderWeight, s.Particles, s.Generations, len(s.Parameters))
	}
}
