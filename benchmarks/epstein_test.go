package benchmarks

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/epstein"
)

// benchEpstein times ticks of one Epstein run from tick 0 (each b.Loop
// iteration is the run's next tick) and reports agent-updates/s: agents
// (citizens, jailed ones included, and cops) times ticks per second.
//
// A run's first ticks are its costliest (the initial wave of activity and
// arrests), so the figure depends on how many ticks are timed: compare
// implementations with a fixed count (-benchtime 10x for the 1000×1000
// benchmarks, see docs/PERFORMANCE.md).
func benchEpstein(b *testing.B, cfg epstein.Config) {
	m, err := epstein.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	if err := m.Reset(r); err != nil {
		b.Fatal(err)
	}
	q, a, j, c := m.Counts()
	agents := q + a + j + c
	t := 0
	b.ReportAllocs()
	for b.Loop() {
		m.Step(context.Background(), t, r)
		t++
	}
	b.ReportMetric(float64(b.N)*float64(agents)/b.Elapsed().Seconds(), "agent-updates/s")
}

func large(b *testing.B, v epstein.Variant) epstein.Config {
	if testing.Short() {
		b.Skip("large grid")
	}
	c := epstein.Defaults(v)
	c.Width, c.Height = 1000, 1000
	return c
}

// BenchmarkEpsteinMesa_40x40 is the mesa variant at the Mesa example's
// size (1,184 agents), comparable with Mesa's own implementation
// (benchmarks/peers).
func BenchmarkEpsteinMesa_40x40(b *testing.B) { benchEpstein(b, epstein.Defaults(epstein.Mesa)) }

// BenchmarkEpsteinNetLogo_40x40 is the netlogo variant at NetLogo's size.
func BenchmarkEpsteinNetLogo_40x40(b *testing.B) { benchEpstein(b, epstein.Defaults(epstein.NetLogo)) }

// BenchmarkEpsteinPaper_40x40 is the paper variant at the paper's size.
func BenchmarkEpsteinPaper_40x40(b *testing.B) { benchEpstein(b, epstein.Defaults(epstein.Paper)) }

// BenchmarkEpsteinNetLogo_1000x1000 is the netlogo variant on a
// 1000×1000 torus (740,000 agents).
func BenchmarkEpsteinNetLogo_1000x1000(b *testing.B) { benchEpstein(b, large(b, epstein.NetLogo)) }

// BenchmarkEpsteinMesa_1000x1000 is the mesa variant (random-order
// sequential activation) on a 1000×1000 torus.
func BenchmarkEpsteinMesa_1000x1000(b *testing.B) { benchEpstein(b, large(b, epstein.Mesa)) }
