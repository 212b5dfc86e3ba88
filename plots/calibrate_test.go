package plots

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/calibrate"
)

// raceEnabled is set by race_test.go under -race.
var raceEnabled bool

// A calibration directory (a tiny soviet1991 fit) gets the marginal,
// pairwise and predictive figures and an HTML report with the posterior
// table; a pack's class calibration gets class bars.
func TestCalibrationFigures(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a calibration and three figures: skipped under -short and -race (about 1 s without)")
	}
	dir := t.TempDir()
	spec := `scenario: soviet1991
set: {scale: "0.03"}
parameters:
  - {name: roles.elite.threshold.mean, prior: uniform, range: [0.4, 0.7]}
  - {name: regime.reserves, prior: loguniform, range: [1, 4]}
  - {name: exit.elite, prior: normal, mean: 0.5, sd: 0.05, range: [0.4, 0.6]}
particles: 5
generations: 1
draws: 6
seed: 4
`
	path := filepath.Join(dir, "cal.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := calibrate.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, err := calibrate.Run(context.Background(), s, calibrate.Options{Dir: out}); err != nil {
		t.Fatal(err)
	}
	if !IsCalibration(out) || IsCalibration(dir) {
		t.Fatal("IsCalibration")
	}
	figs, err := CalibrationFigures(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "posterior-marginals,posterior-pairs,posterior-predictive" {
		t.Fatalf("figures %v", names)
	}
	if len(figs[0].Tiles) != 1 || len(figs[0].Tiles[0]) != 3 || len(figs[1].Tiles) != 3 || figs[1].Tiles[0][1] != nil {
		t.Fatalf("tiles: marginals %d rows, pairs %d rows", len(figs[0].Tiles), len(figs[1].Tiles))
	}
	paths, err := Write(figs, filepath.Join(out, "figures"), "png")
	if err != nil || len(paths) != 3 {
		t.Fatalf("write: %v %v", paths, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) || len(b) < 5000 {
			t.Fatalf("%s: %d bytes, %v", p, len(b), err)
		}
	}
	var html bytes.Buffer
	if err := Report(out, &html); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"turncoat calibrate: cal", "Posterior (weighted quantiles)", "regime.reserves", "<svg", "P(collapse by"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Prior densities integrate to one over the range.
	for _, ps := range []calibrate.ParamSummary{{Kind: "uniform", Prior: [2]float64{0.4, 0.7}}, {Kind: "loguniform", Prior: [2]float64{1, 4}}, {Kind: "normal", Prior: [2]float64{0.4, 0.6}, PriorMean: 0.5, PriorSD: 0.05}} {
		sum, n := 0.0, 10000
		for i := range n {
			x := ps.Prior[0] + (ps.Prior[1]-ps.Prior[0])*(float64(i)+0.5)/float64(n)
			sum += priorDensity(ps, ps.PriorMean, ps.PriorSD, x) * (ps.Prior[1] - ps.Prior[0]) / float64(n)
		}
		if sum < 0.999 || sum > 1.001 {
			t.Errorf("%s prior integrates to %v", ps.Kind, sum)
		}
	}
}
