package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// benchResult is one row of `turncoat bench --json`; the field names are a
// public contract.
type benchResult struct {
	Name             string  `json:"name"`
	Agents           int     `json:"agents"`
	Ticks            int     `json:"ticks"`
	Seconds          float64 `json:"seconds"`
	AgentUpdatesPerS float64 `json:"agent_updates_per_s"`
	AllocsPerTick    float64 `json:"allocs_per_tick"`
	BytesPerAgent    float64 `json:"bytes_per_agent"`
	Workers          int     `json:"workers"`
	// Edges and BytesPerEdge describe the social network, if any; its
	// adjacency (BytesPerEdge per edge) is then left out of BytesPerAgent.
	Edges        int     `json:"edges,omitempty"`
	BytesPerEdge float64 `json:"bytes_per_edge,omitempty"`
}

// benchCase is a model to measure: whole runs, or steady-state ticks.
type benchCase struct {
	name    string
	sets    []string
	agents  int // target size (0: the scenario's default)
	workers int
	ticks   bool // measure single ticks instead of whole runs
}

func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "turncoat bench [--json] [--long] [--only TEXT]", stderr)
	asJSON := fs.Bool("json", false, `print {"results": [...]} as JSON`)
	long := fs.Bool("long", false, "add the 10⁷-agent cases (about a minute)")
	only := fs.String("only", "", "run only the benchmarks whose name contains this text")
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	cores := runtime.GOMAXPROCS(0)
	steady := []string{"exit.enabled=false", "shocks=[]"}
	network := append(slices.Clone(steady), "network.kind=random", "network.degree=10", "network.local=0.9")
	game := append(slices.Clone(steady), "roles.citizen.rule.kind=game", "roles.soldier.rule.kind=game", "roles.elite.rule.kind=game")
	cases := []benchCase{
		{name: "soviet1991 run (default scale)", workers: 1},
		{name: "soviet1991 run, 10^6 agents", agents: 1_000_000, workers: 1},
		{name: fmt.Sprintf("soviet1991 run, 10^6 agents, %d workers", cores), agents: 1_000_000, workers: cores},
		{name: "tick, regional, 10^5 agents", sets: steady, agents: 100_000, workers: 1, ticks: true},
		{name: "tick, regional, 10^6 agents", sets: steady, agents: 1_000_000, workers: 1, ticks: true},
		{name: fmt.Sprintf("tick, regional, 10^6 agents, %d workers", cores), sets: steady, agents: 1_000_000, workers: cores, ticks: true},
		{name: "tick, network (degree 10), 10^6 agents", sets: network, agents: 1_000_000, workers: 1, ticks: true},
		{name: fmt.Sprintf("tick, network (degree 10), 10^6 agents, %d workers", cores), sets: network, agents: 1_000_000, workers: cores, ticks: true},
		{name: "tick, game rule (every role), 10^6 agents", sets: game, agents: 1_000_000, workers: 1, ticks: true},
	}
	if *long {
		cases = append(cases,
			benchCase{name: "soviet1991 run, 10^7 agents", agents: 10_000_000, workers: 1},
			benchCase{name: fmt.Sprintf("soviet1991 run, 10^7 agents, %d workers", cores), agents: 10_000_000, workers: cores})
	}
	ecases := epsteinBenchCases(*long)
	var names []string
	matched := 0
	for _, c := range cases {
		names = append(names, c.name)
		if strings.Contains(c.name, *only) {
			matched++
		}
	}
	for _, c := range ecases {
		names = append(names, c.name)
		if strings.Contains(c.name, *only) {
			matched++
		}
	}
	if matched == 0 {
		return onlyError(*only, names)
	}
	results := []benchResult{}
	for _, c := range ecases {
		if !strings.Contains(c.name, *only) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintf(stderr, "bench: %s…\n", c.name)
		}
		r, err := runEpsteinBench(ctx, c)
		if err != nil {
			return fmt.Errorf("bench %s: %w", c.name, err)
		}
		results = append(results, r)
	}
	for _, c := range cases {
		if *only != "" && !strings.Contains(c.name, *only) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintf(stderr, "bench: %s…\n", c.name)
		}
		r, err := runBench(ctx, c)
		if err != nil {
			return fmt.Errorf("bench %s: %w", c.name, err)
		}
		results = append(results, r)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"results": results})
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "benchmark\tagents\tticks\tseconds\tagent-updates/s\tallocs/tick\tbytes/agent\tbytes/edge\t")
	for _, r := range results {
		perEdge := "-"
		if r.Edges > 0 {
			perEdge = fmt.Sprintf("%.1f", r.BytesPerEdge)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.4f\t%.3g\t%.2f\t%.1f\t%s\t\n", r.Name, r.Agents, r.Ticks, r.Seconds, r.AgentUpdatesPerS, r.AllocsPerTick, r.BytesPerAgent, perEdge)
	}
	return tw.Flush()
}

func runBench(ctx context.Context, c benchCase) (benchResult, error) {
	cfg, err := scenarios.Load("soviet1991", c.sets...)
	if err != nil {
		return benchResult{}, err
	}
	if c.agents > 0 {
		cfg.Scale = float64(c.agents) / float64(cfg.Agents())
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := regime.New(cfg)
	if err != nil {
		return benchResult{}, err
	}
	// Memory is measured after a Reset, which draws a run's network.
	r := rand.New(rand.NewPCG(1, 2))
	if err := m.Reset(r); err != nil {
		return benchResult{}, err
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	m.SetWorkers(c.workers)
	defer m.Close()
	agents := cfg.Agents()
	heap := float64(after.HeapAlloc - before.HeapAlloc)
	res := benchResult{Name: c.name, Agents: agents, Workers: c.workers}
	if g := m.Network(); g != nil && g.Edges() > 0 {
		adj := float64(4 * cap(g.Adj))
		res.Edges, res.BytesPerEdge = g.Edges(), adj/float64(g.Edges())
		heap -= adj
	}
	res.BytesPerAgent = heap / float64(agents)
	var runErr error
	if c.ticks {
		t := 0
		br := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if t == cfg.Ticks {
					b.StopTimer()
					m.Reset(r)
					t = 0
					b.StartTimer()
				}
				if err := m.Step(ctx, t, r); err != nil {
					runErr = err
				}
				t++
			}
		})
		res.Ticks = 1
		res.Seconds = float64(br.T.Nanoseconds()) / float64(br.N) / 1e9
		res.AgentUpdatesPerS = float64(agents) / res.Seconds
		res.AllocsPerTick = float64(br.AllocsPerOp())
		return res, runErr
	}
	var updates int64
	seed := uint64(0)
	br := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			seed++
			if _, err := m.RunShared(ctx, seed); err != nil {
				runErr = err
			}
			updates += m.AgentUpdates()
		}
	})
	res.Ticks = cfg.Ticks
	res.Seconds = float64(br.T.Nanoseconds()) / float64(br.N) / 1e9
	res.AgentUpdatesPerS = float64(updates) / br.T.Seconds()
	res.AllocsPerTick = float64(br.AllocsPerOp()) / float64(cfg.Ticks)
	return res, runErr
}
