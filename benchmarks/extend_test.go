package benchmarks

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

// observed keeps the observer's result alive.
var observed float64

// benchStepSetup is benchStep with Go extensions installed on the model.
func benchStepSetup(b *testing.B, n int, setup func(*regime.Model) error, sets ...string) {
	m, agentsN := steadyModel(b, n, sets...)
	if err := setup(m); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	ticks := m.Config().Ticks
	if err := m.Reset(r); err != nil {
		b.Fatal(err)
	}
	t := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if t == ticks {
			b.StopTimer()
			m.Reset(r)
			t = 0
			b.StartTimer()
		}
		if err := m.Step(ctx, t, r); err != nil {
			b.Fatal(err)
		}
		t++
	}
	b.ReportMetric(float64(b.N)*float64(agentsN)/b.Elapsed().Seconds(), "agent-updates/s")
}

func deciderAll(d agents.Decider) func(*regime.Model) error {
	return func(m *regime.Model) error {
		for _, r := range agents.Roles {
			if err := m.SetDecider(r, d); err != nil {
				return err
			}
		}
		return nil
	}
}

// BenchmarkStepDecider_1M is BenchmarkStep_1M with the threshold rule
// written as a user Decider (an interface call per agent).
func BenchmarkStepDecider_1M(b *testing.B) {
	benchStepSetup(b, 1_000_000, deciderAll(agents.DecideFunc(func(d agents.Decision, _ *rand.Rand) bool {
		return d.U > d.Threshold
	})))
}

// BenchmarkStepDeciderLogit_1M is BenchmarkStepLogit_1M with the logit
// rule written as a user Decider.
func BenchmarkStepDeciderLogit_1M(b *testing.B) {
	benchStepSetup(b, 1_000_000, deciderAll(agents.DecideFunc(func(d agents.Decision, r *rand.Rand) bool {
		return r.Float64()*(1+math.Exp(-(d.U-d.Threshold)*20)) < 1
	})), "roles.citizen.rule={kind: logit, tau: 0.05}",
		"roles.soldier.rule={kind: logit, tau: 0.05}", "roles.elite.rule={kind: logit, tau: 0.05}")
}

// BenchmarkStepPolicy_1M is BenchmarkStep_1M with a reactive Go policy
// reading the view every tick.
func BenchmarkStepPolicy_1M(b *testing.B) {
	benchStepSetup(b, 1_000_000, func(m *regime.Model) error {
		m.SetPolicy(regime.PolicyFunc(func(v regime.View, in *regime.Instruments) error {
			if p := v.Share(agents.Citizen); p > 0.05 {
				in.Repression = math.Min(1, in.Repression+p)
			}
			return nil
		}))
		m.SetObserver(func(v regime.View) error {
			observed = v.Share(agents.Soldier)
			return nil
		})
		return nil
	})
}
