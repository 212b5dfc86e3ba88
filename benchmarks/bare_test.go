package benchmarks

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
)

// The bare loops are the practical limit of a tick: they read every agent
// column the real kernel reads (alignment, economy, risk, threshold, group,
// state, timer; on the network also each neighbour's bit in the defected
// snapshot) and write the new state, with a utility of the same shape but
// no rule options, jail, draws or tallies. PERFORMANCE.md reports each
// benchmark's distance from its bare loop.

// bareSink keeps the bare loops' results alive without boxing.
var bareSink int

// barePopulation returns n agents with random attributes.
func barePopulation(n int) *agents.Population {
	p := agents.NewPopulation(agents.Citizen, []int{n})
	r := rand.New(rand.NewPCG(3, 4))
	for i := range n {
		p.Align[i], p.Econ[i], p.Risk[i] = r.Float32(), r.Float32(), r.Float32()
		p.Thresh[i] = 0.3 + 0.4*r.Float32()
		p.Group[i] = uint8(r.IntN(4))
	}
	return p
}

// bareStep is the bare regional tick: U from the columns, defect iff U > θ
// and not in jail, written without branches so that the data do not matter.
func bareStep(p *agents.Population, social *[agents.MaxGroups]float64) int {
	align, econ, risk, thresh := p.Align, p.Econ, p.Risk, p.Thresh
	state, timer, group := p.State[:len(align)], p.Timer[:len(align)], p.Group[:len(align)]
	econ, risk, thresh = econ[:len(align)], risk[:len(align)], thresh[:len(align)]
	defected := 0
	for i := range align {
		u := float64(0.6*(1-float64(align[i]))) + float64(0.3*float64(econ[i])) + social[group[i]&(agents.MaxGroups-1)] - float64(0.5*float64(risk[i]))
		state[i] = decide(u, thresh[i], timer[i])
		defected += int(state[i])
	}
	return defected
}

// decide is 1 (defected) iff u > θ and the agent is not in jail, without a
// branch.
func decide(u float64, th float32, timer uint16) agents.State {
	var s agents.State
	if u > float64(th) {
		s = agents.Defected
	}
	var free agents.State
	if timer == 0 {
		free = 1
	}
	return s & free
}

// bareNetworkStep adds the neighbours' defected share read from the
// snapshot bitset.
func bareNetworkStep(p *agents.Population, g *agents.Graph, bits []uint64, social *[agents.MaxGroups]float64) int {
	align, econ, risk, thresh := p.Align, p.Econ, p.Risk, p.Thresh
	state, timer, group := p.State[:len(align)], p.Timer[:len(align)], p.Group[:len(align)]
	econ, risk, thresh = econ[:len(align)], risk[:len(align)], thresh[:len(align)]
	off, adj := g.Off[:len(align)+1], g.Adj
	defected := 0
	for i := range align {
		d := uint64(0)
		row := adj[off[i]:off[i+1]]
		for _, j := range row {
			d += bits[j>>6] >> (j & 63) & 1
		}
		nb := 0.0
		if len(row) > 0 {
			nb = float64(d) / float64(len(row))
		}
		u := float64(0.6*(1-float64(align[i]))) + float64(0.3*float64(econ[i])) + social[group[i]&(agents.MaxGroups-1)] + float64(0.5*nb) - float64(0.5*float64(risk[i]))
		state[i] = decide(u, thresh[i], timer[i])
		defected += int(state[i])
	}
	return defected
}

func BenchmarkBareLoop(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("regional/agents=%d", n), func(b *testing.B) {
			p := barePopulation(n)
			social := [agents.MaxGroups]float64{0.1, 0.2, 0.05, 0.15}
			b.ReportAllocs()
			for b.Loop() {
				bareSink = bareStep(p, &social)
			}
			b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), "agent-updates/s")
		})
	}
	b.Run("network/agents=1000000", func(b *testing.B) {
		const n = 1_000_000
		p := barePopulation(n)
		g, err := agents.NewGraph(agents.GraphSpec{Kind: "random", Degree: 10, Local: 0.9},
			[]agents.Community{{{Lo: 0, Hi: n / 2}}, {{Lo: n / 2, Hi: n}}}, n, 1)
		if err != nil {
			b.Fatal(err)
		}
		bits := make([]uint64, (n+63)/64)
		r := rand.New(rand.NewPCG(5, 6))
		for i := range bits {
			bits[i] = r.Uint64() & r.Uint64() // about a quarter defected
		}
		social := [agents.MaxGroups]float64{0.1, 0.2, 0.05, 0.15}
		b.ReportAllocs()
		for b.Loop() {
			bareSink = bareNetworkStep(p, g, bits, &social)
		}
		b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), "agent-updates/s")
	})
}
