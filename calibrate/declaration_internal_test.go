package calibrate

import (
	"context"
	"testing"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/regime"
)

// TestWorkerDeclarationTicks: a run's outputs carry every region's
// declaration tick, equal to a direct run's summary, after the exit
// ticks and the collapse tick.
func TestWorkerDeclarationTicks(t *testing.T) {
	spec := &Spec{Scenario: "soviet1991-sovereignty", Set: map[string]string{"scale": "0.03"}, Parameters: []Parameter{{Name: "sovereignty.elite", Prior: "uniform", Range: []float64{0.05, 0.3}}},
		Method: "abc-smc", Particles: 4, Quantile: 0.5, MinAcceptance: 0.02, Replicates: 1, Draws: 1, Seed: 1}
	if err := spec.validate("."); err != nil {
		t.Fatal(err)
	}
	p, err := prepare(spec, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := len(p.base.Regions)
	if !p.decl || p.nOut() != 2*n+1 {
		t.Fatalf("decl %v, %d outputs", p.decl, p.nOut())
	}
	w := &worker{p: p, point: -1}
	out := make([]float64, p.nOut())
	if err := w.Do(context.Background(), abm.Task{Seed: 7, Params: []float64{0.1}}, out); err != nil {
		t.Fatal(err)
	}
	cfg, _ := p.config([]float64{0.1})
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, n)
	for g := range want {
		want[g] = -1
	}
	declared := 0
	for _, d := range res.Summary.Declarations {
		for g, r := range cfg.Regions {
			if r.Name == d.Region {
				want[g] = float64(d.Tick)
				declared++
			}
		}
	}
	for g := range want {
		if out[n+1+g] != want[g] {
			t.Errorf("%s: declaration tick %g, direct run %g", cfg.Regions[g].Name, out[n+1+g], want[g])
		}
	}
	if declared == 0 {
		t.Errorf("no region declares at sovereignty.elite 0.1: the test checks nothing")
	}
}
