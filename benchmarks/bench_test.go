package benchmarks

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// sink keeps results alive.
var sink any

// steadyModel returns soviet1991 scaled to about n agents, with exits and
// shocks off so that every agent is updated every tick.
func steadyModel(b *testing.B, n int, sets ...string) (*regime.Model, int) {
	b.Helper()
	cfg, err := scenarios.Load("soviet1991", append([]string{"exit.enabled=false", "shocks=[]"}, sets...)...)
	if err != nil {
		b.Fatal(err)
	}
	m, err := regime.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	a := m.Agents()
	base := a[0] + a[1] + a[2]
	cfg.Scale = float64(n) / float64(base)
	if m, err = regime.New(cfg); err != nil {
		b.Fatal(err)
	}
	a = m.Agents()
	return m, a[0] + a[1] + a[2]
}

func benchStep(b *testing.B, n int, sets ...string) { benchStepWorkers(b, n, 1, sets...) }

func benchStepWorkers(b *testing.B, n, workers int, sets ...string) {
	m, agents := steadyModel(b, n, sets...)
	m.SetWorkers(workers)
	defer m.Close()
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
	b.ReportMetric(float64(b.N)*float64(agents)/b.Elapsed().Seconds(), "agent-updates/s")
	b.ReportMetric(float64(agents), "agents")
}

func BenchmarkStep_10k(b *testing.B)  { benchStep(b, 10_000) }
func BenchmarkStep_100k(b *testing.B) { benchStep(b, 100_000) }
func BenchmarkStep_1M(b *testing.B)   { benchStep(b, 1_000_000) }

// BenchmarkStepLogit_1M uses the logit rule for every role: one random
// draw per agent per tick.
func BenchmarkStepLogit_1M(b *testing.B) {
	benchStep(b, 1_000_000, "roles.citizen.rule={kind: logit, tau: 0.05}",
		"roles.soldier.rule={kind: logit, tau: 0.05}", "roles.elite.rule={kind: logit, tau: 0.05}")
}

// BenchmarkStepParallel_1M steps one run of about 10⁶ agents with 1 and 2
// goroutines (results identical): the ratio is the intra-run speed-up.
func BenchmarkStepParallel_1M(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchStepWorkers(b, 1_000_000, w) })
	}
}

// network is the --set list of a random network of mean degree 10, 90% of
// links inside the agent's region, read in full in place of the region.
var network = []string{"network.kind=random", "network.degree=10", "network.local=0.9", "network.weight=1"}

// BenchmarkStepNetwork steps the tick loop on a random network of mean
// degree 10 (the graph is drawn by Reset, outside the timer).
func BenchmarkStepNetwork(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("agents=%d", n), func(b *testing.B) { benchStep(b, n, network...) })
	}
}

// BenchmarkStepNetworkParallel_1M is BenchmarkStepParallel_1M on the
// network.
func BenchmarkStepNetworkParallel_1M(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchStepWorkers(b, 1_000_000, w, network...) })
	}
}

// BenchmarkBuildNetwork_1M draws the random graph of 10⁶ agents, mean
// degree 10, into reused memory.
func BenchmarkBuildNetwork_1M(b *testing.B) {
	m, agents := steadyModel(b, 1_000_000, network...)
	r := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Reset(r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*float64(agents)/b.Elapsed().Seconds(), "agents/s")
	g := m.Network()
	b.ReportMetric(float64(g.Edges()), "edges")
	b.ReportMetric(float64(4*len(g.Adj))/float64(g.Edges()), "adjacency-bytes/edge")
	b.ReportMetric(float64(8*len(g.Off))/float64(agents), "offset-bytes/agent")
	b.ReportMetric(float64(agents), "agents")
}

func BenchmarkStepNetwork_10M(b *testing.B) {
	if testing.Short() {
		b.Skip("10M agents: skipped with -short")
	}
	benchStep(b, 10_000_000, network...)
}

func BenchmarkStep_10M(b *testing.B) {
	if testing.Short() {
		b.Skip("10M agents: skipped with -short")
	}
	benchStep(b, 10_000_000)
}

// BenchmarkScenario runs each built-in scenario end to end (Reset and the
// whole horizon) at its default scale, as `turncoat run` does.
func BenchmarkScenario(b *testing.B) {
	for _, info := range scenarios.List() {
		b.Run(info.Name, func(b *testing.B) {
			cfg, err := scenarios.Load(info.Name)
			if err != nil {
				b.Fatal(err)
			}
			m, err := regime.New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			var updates int64
			b.ReportAllocs()
			seed := uint64(0)
			for b.Loop() {
				seed++
				res, err := m.Run(context.Background(), seed)
				if err != nil {
					b.Fatal(err)
				}
				updates += m.AgentUpdates()
				sink = res
			}
			b.ReportMetric(float64(updates)/b.Elapsed().Seconds(), "agent-updates/s")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

// BenchmarkSoviet1991_10M is the full 1990–1991 horizon at 10⁷ agents.
func BenchmarkSoviet1991_10M(b *testing.B) {
	if testing.Short() {
		b.Skip("10M agents: skipped with -short")
	}
	cfg, err := scenarios.Load("soviet1991")
	if err != nil {
		b.Fatal(err)
	}
	m, _ := regime.New(cfg)
	a := m.Agents()
	cfg.Scale = 1e7 / float64(a[0]+a[1]+a[2])
	m, err = regime.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	var updates int64
	b.ReportAllocs()
	for b.Loop() {
		res, err := m.Run(context.Background(), 1)
		if err != nil {
			b.Fatal(err)
		}
		updates += m.AgentUpdates()
		sink = res
	}
	a = m.Agents()
	b.ReportMetric(float64(a[0]+a[1]+a[2]), "agents")
	b.ReportMetric(float64(updates)/b.Elapsed().Seconds(), "agent-updates/s")
}

// BenchmarkReset_1M measures drawing a population of about 10⁶ agents.
func BenchmarkReset_1M(b *testing.B) {
	m, n := steadyModel(b, 1_000_000)
	r := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Reset(r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), "agents/s")
}

// BenchmarkMemory_1M reports the heap bytes per agent of a model with
// about 10⁶ agents (population columns plus per-region state).
func BenchmarkMemory_1M(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, n := steadyModel(b, 1_000_000)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "bytes/agent")
		runtime.KeepAlive(m)
	}
}

// BenchmarkMemoryNetwork_1M reports the heap bytes of a model of about 10⁶
// agents on a random network of mean degree 10 after Reset has drawn the
// graph: per agent without the adjacency, and per edge for it.
func BenchmarkMemoryNetwork_1M(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, n := steadyModel(b, 1_000_000, network...)
		if err := m.Reset(rand.New(rand.NewPCG(1, 2))); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		g := m.Network()
		adj := float64(4 * cap(g.Adj))
		b.ReportMetric((float64(after.HeapAlloc-before.HeapAlloc)-adj)/float64(n), "bytes/agent")
		b.ReportMetric(adj/float64(g.Edges()), "bytes/edge")
		runtime.KeepAlive(m)
	}
}
