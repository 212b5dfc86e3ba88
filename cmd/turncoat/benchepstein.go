package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/epstein"
	"github.com/turncoat-abm/turncoat/internal/yamlx"
)

// epsteinBenchTicks is the number of ticks an Epstein case times from tick
// 0, as benchmarks/peers/run.sh times Mesa (a run's first ticks are its
// costliest, so the figure depends on the count).
const epsteinBenchTicks = 200

// epsteinBenchCase is an Epstein civil-violence model to time.
type epsteinBenchCase struct {
	name  string
	cfg   epstein.Config
	width int
}

func epsteinBenchCases(long bool) []epsteinBenchCase {
	var cs []epsteinBenchCase
	for _, v := range []epstein.Variant{epstein.Mesa, epstein.NetLogo, epstein.Paper} {
		cs = append(cs, epsteinBenchCase{name: fmt.Sprintf("epstein %s, 40x40", v), cfg: epstein.Defaults(v), width: 40})
	}
	sizes := []int{80, 200}
	if long {
		sizes = append(sizes, 1000)
	}
	for _, w := range sizes {
		c := epstein.Defaults(epstein.Mesa)
		c.Width, c.Height = w, w
		cs = append(cs, epsteinBenchCase{name: fmt.Sprintf("epstein mesa, %dx%d", w, w), cfg: c, width: w})
	}
	return cs
}

// runEpsteinBench times epsteinBenchTicks ticks of one run from tick 0 on
// one goroutine and reports agent-steps/s as agent_updates_per_s (agents,
// jailed ones and cops included, times ticks per second).
func runEpsteinBench(ctx context.Context, c epsteinBenchCase) (benchResult, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := epstein.New(c.cfg)
	if err != nil {
		return benchResult{}, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	if err := m.Reset(r); err != nil {
		return benchResult{}, err
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	q, a, j, cops := m.Counts()
	agents := q + a + j + cops
	var runErr error
	br := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := m.Reset(rand.New(rand.NewPCG(1, 2))); err != nil {
				runErr = err
				return
			}
			for t := 0; t < epsteinBenchTicks; t++ {
				if err := m.Step(ctx, t, r); err != nil {
					runErr = err
					return
				}
			}
		}
	})
	sec := float64(br.T.Nanoseconds()) / float64(br.N) / 1e9
	return benchResult{Name: c.name, Agents: agents, Ticks: epsteinBenchTicks, Seconds: sec,
		AgentUpdatesPerS: float64(agents*epsteinBenchTicks) / sec,
		AllocsPerTick:    float64(br.AllocsPerOp()) / epsteinBenchTicks,
		BytesPerAgent:    float64(after.HeapAlloc-before.HeapAlloc) / float64(agents), Workers: 1}, runErr
}

// onlyError is the usage error of a --only text that matches no case.
func onlyError(only string, names []string) error {
	hint := ""
	var words []string
	for _, n := range names {
		words = append(words, strings.FieldsFunc(n, func(r rune) bool { return r == ' ' || r == ',' })...)
	}
	if s := yamlx.Suggest(only, words); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%w: --only %q matches no benchmark%s; benchmarks: %s", errUsage, only, hint, strings.Join(names, "; "))
}
