package regimetest

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

func smallConfig(t *testing.T) regime.Config {
	cfg, err := scenarios.Load("soviet1991", "ticks=20", "scale=0.05", "shocks=[]")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func soldiers(d agents.Decider) Setup {
	return func(m *regime.Model) error { return m.SetDecider(agents.Soldier, d) }
}

var sink []float64

// The checks fail on rules that break them.
func TestChecksCatchBadRules(t *testing.T) {
	cfg := smallConfig(t)
	good := agents.DecideFunc(func(d agents.Decision, _ *rand.Rand) bool { return d.U > d.Threshold })
	if err := deterministic(cfg, soldiers(good)); err != nil {
		t.Errorf("a good rule fails: %v", err)
	}
	if a, err := allocsPerTick(cfg, soldiers(good), 1); err != nil || a != 0 {
		t.Errorf("a good rule: %v allocations, %v", a, err)
	}
	// Shared mutable state: the result depends on the order of calls, so
	// on a second run of the same model.
	var calls atomic.Int64
	stateful := agents.DecideFunc(func(d agents.Decision, _ *rand.Rand) bool {
		return calls.Add(1)%97 == 0 || d.U > d.Threshold
	})
	if err := deterministic(cfg, soldiers(stateful)); err == nil {
		t.Error("a rule with shared state passes Deterministic")
	}
	alloc := agents.DecideFunc(func(d agents.Decision, _ *rand.Rand) bool {
		sink = make([]float64, 4)
		return d.U > d.Threshold
	})
	if a, err := allocsPerTick(cfg, soldiers(alloc), 1); err != nil || a == 0 {
		t.Errorf("an allocating rule: %v allocations, %v", a, err)
	}
}
