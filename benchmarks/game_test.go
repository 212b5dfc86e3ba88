package benchmarks

import (
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
)

// tallySink keeps kernel results alive without boxing them.
var tallySink agents.Tally

// benchKernel steps region 0 of p under k, one tick per iteration.
func benchKernel(b *testing.B, p *agents.Population, k *agents.Terms) {
	tick := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tallySink = p.StepRegion(0, k, 1, tick)
		tick++
	}
	b.ReportMetric(float64(b.N)*float64(p.Len())/b.Elapsed().Seconds(), "agent-updates/s")
}

// BenchmarkStepGame_1M is the game rule's kernel alone: 10^6 agents in one
// region, the default strategy mix (noisy variants with ε = 0.02, q = 1/3),
// 5% revising their strategy each tick, a third of them defected.
func BenchmarkStepGame_1M(b *testing.B) {
	const n = 1_000_000
	p := agents.NewPopulation(agents.Elite, []int{n})
	g := agents.DefaultGame()
	p.InitStrategies(g.Strategies.Weights(), rand.New(rand.NewPCG(1, 2)))
	gt := &agents.GameTerms{Imitation: g.Imitation, Spread: 5, MeanFieldD: 0.3}
	cum := 0.0
	w := g.Strategies.Weights()
	for _, s := range agents.Strategies {
		gt.Coop[s] = s.Memory1(g.Generosity, g.Noise).Coop
		cum += w[s]
		gt.Cum[s] = cum
		gt.Value[s] = float64(s) / 4
	}
	gt.Cum[agents.NumStrategies-1] = 1
	for i := range p.State {
		if i%3 == 0 {
			p.State[i] = agents.Defected
		}
	}
	k := &agents.Terms{Rule: agents.Rule{Kind: "game"}, Game: gt, Arrest: 0.01, TermMin: 1, TermMax: 4}
	benchKernel(b, p, k)
}

// BenchmarkStepThresholdKernel_1M is the same population under the
// threshold rule, for comparison.
func BenchmarkStepThresholdKernel_1M(b *testing.B) {
	const n = 1_000_000
	p := agents.NewPopulation(agents.Elite, []int{n})
	r := rand.New(rand.NewPCG(1, 2))
	for i := range p.State {
		p.Align[i], p.Econ[i], p.Risk[i], p.Thresh[i] = float32(r.Float64()), 1, float32(r.Float64()), 0.5
	}
	k := &agents.Terms{Rule: agents.Rule{Kind: "threshold"}, Ideo: 0.5, Econ: 0.5, Pay: true, Paid: 1, Social: 0.1, Coerce: 0.3, Arrest: 0.01, TermMin: 1, TermMax: 4}
	benchKernel(b, p, k)
}

// BenchmarkStepGameAllRoles_1M: soviet1991 at 10^6 agents with every role
// under the game rule (defaults), the whole model's tick.
func BenchmarkStepGameAllRoles_1M(b *testing.B) {
	benchStep(b, 1_000_000, "roles.citizen.rule.kind=game", "roles.soldier.rule.kind=game", "roles.elite.rule.kind=game")
}
