package benchmarks

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/epstein"
)

func benchEpstein(b *testing.B, cfg epstein.Config) {
	m, err := epstein.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	m.Reset(r)
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

// BenchmarkEpsteinMesa_40x40 is the mesa variant at the Mesa example's
// size (1,184 agents), comparable with Mesa's own implementation.
func BenchmarkEpsteinMesa_40x40(b *testing.B) { benchEpstein(b, epstein.Defaults(epstein.Mesa)) }

// BenchmarkEpsteinNetLogo_1000x1000 is the netlogo variant on a
// 1000×1000 torus (740,000 agents).
func BenchmarkEpsteinNetLogo_1000x1000(b *testing.B) {
	if testing.Short() {
		b.Skip("large grid")
	}
	c := epstein.Defaults(epstein.NetLogo)
	c.Width, c.Height = 1000, 1000
	benchEpstein(b, c)
}
