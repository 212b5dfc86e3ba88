package regime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// load loads a built-in scenario or a testdata file with overrides.
func load(t testing.TB, name string, sets ...string) regime.Config {
	t.Helper()
	cfg, err := scenarios.Load(name, sets...)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runSeeds runs cfg for seeds 1..n.
func runSeeds(t testing.TB, cfg regime.Config, n int) []*regime.Result {
	t.Helper()
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*regime.Result, n)
	for s := range out {
		out[s], err = m.Run(context.Background(), uint64(s+1))
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// meanShare returns the mean over runs of role's defected share at tick.
func meanShare(rs []*regime.Result, role agents.Role, tick int) float64 {
	s := 0.0
	for _, r := range rs {
		s += r.Ticks[tick].Defected[role]
	}
	return s / float64(len(rs))
}

// meanArea returns the mean over runs of role's defected share averaged
// over ticks [from, to).
func meanArea(rs []*regime.Result, role agents.Role, from, to int) float64 {
	s := 0.0
	for _, r := range rs {
		for t := from; t < to; t++ {
			s += r.Ticks[t].Defected[role]
		}
	}
	return s / float64(len(rs)*(to-from))
}

// firstTick returns the mean over runs of the first tick at which role's
// share reaches x (the horizon when never).
func firstTick(rs []*regime.Result, role agents.Role, x float64) float64 {
	s := 0.0
	for _, r := range rs {
		t := len(r.Ticks)
		for i, tr := range r.Ticks {
			if tr.Defected[role] >= x {
				t = i
				break
			}
		}
		s += float64(t)
	}
	return s / float64(len(rs))
}

// exitTick returns region's exit tick in r, or the horizon when it never exits.
func exitTick(r *regime.Result, region string) int {
	for _, e := range r.Summary.Exits {
		if e.Region == region {
			return e.Tick
		}
	}
	return len(r.Ticks)
}

const province = "testdata/province.yaml"

func mustDate(t testing.TB, s string) regime.Date {
	t.Helper()
	d, err := regime.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tickAllocs resets m (seeded 1, 2), steps it warm ticks (past the shocks
// and events a test cares about) and returns the allocations per tick of
// the next runs ticks.
func tickAllocs(t testing.TB, m *regime.Model, warm, runs int) float64 {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	if err := m.Reset(r); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tick := 0
	for ; tick < warm; tick++ {
		m.Step(ctx, tick, r)
	}
	return testing.AllocsPerRun(runs, func() { m.Step(ctx, tick, r); tick++ })
}

// fingerprint is everything a run reports.
func fingerprint(res *regime.Result) string {
	sum, _ := json.Marshal(res.Summary)
	return fmt.Sprint(res.Ticks, res.Regions, res.Events, res.Game) + string(sum)
}

// runFingerprint runs cfg with seed on a fresh model stepped by workers
// goroutines and returns its fingerprint.
func runFingerprint(t *testing.T, cfg regime.Config, seed uint64, workers int) string {
	t.Helper()
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.SetWorkers(workers)
	res, err := m.Run(context.Background(), seed)
	if err != nil {
		t.Fatal(err)
	}
	return fingerprint(res)
}
