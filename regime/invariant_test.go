package regime_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// checkInvariants asserts conservation of agents per role and region every
// tick, shares in [0,1] and finite regime variables.
func checkInvariants(t *testing.T, r *regime.Result, label string) {
	t.Helper()
	nReg := len(r.Config.Regions)
	if len(r.Regions) != len(r.Ticks)*nReg {
		t.Fatalf("%s: %d region records for %d ticks × %d regions", label, len(r.Regions), len(r.Ticks), nReg)
	}
	// Initial counts: the first tick's totals per role and region.
	for i, rr := range r.Regions {
		first := r.Regions[rr.Region]
		for _, role := range agents.Roles {
			n0 := first.Counts[role][0] + first.Counts[role][1] + first.Counts[role][2]
			n := rr.Counts[role][0] + rr.Counts[role][1] + rr.Counts[role][2]
			if n != n0 || n <= 0 {
				t.Fatalf("%s: record %d (tick %d, region %d, %s): %d agents, want %d", label, i, rr.Tick, rr.Region, role, n, n0)
			}
		}
		if rr.Legitimacy < 0 || rr.Legitimacy > 1 || math.IsNaN(rr.Legitimacy) {
			t.Fatalf("%s: tick %d region %d legitimacy %g outside [0,1]", label, rr.Tick, rr.Region, rr.Legitimacy)
		}
	}
	total := r.Agents[0] + r.Agents[1] + r.Agents[2]
	if total <= 0 {
		t.Fatalf("%s: no agents", label)
	}
	for _, tr := range r.Ticks {
		for _, role := range agents.Roles {
			d, j := tr.Defected[role], tr.Jailed[role]
			if !(d >= 0 && d <= 1 && j >= 0 && j <= 1 && d+j <= 1+1e-12) {
				t.Fatalf("%s: tick %d %s: defected %g jailed %g", label, tr.Tick, role, d, j)
			}
		}
		for name, v := range map[string]float64{"legitimacy": tr.Legitimacy, "repression": tr.Repression, "delivery": tr.Delivery,
			"capacity": tr.Capacity, "exited_population": tr.ExitedPop} {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("%s: tick %d %s = %g outside [0,1]", label, tr.Tick, name, v)
			}
		}
		for name, v := range map[string]float64{"reserves": tr.Reserves, "revenue": tr.Revenue, "economy": tr.Economy, "pay": tr.Pay} {
			if !(v >= 0) || math.IsInf(v, 0) {
				t.Fatalf("%s: tick %d %s = %g, want finite >= 0", label, tr.Tick, name, v)
			}
		}
	}
}

func TestInvariantsBuiltins(t *testing.T) {
	for _, name := range []string{"soviet1991", province} {
		for _, r := range runSeeds(t, load(t, name), 3) {
			checkInvariants(t, r, name)
		}
	}
}

// TestInvariantsRandomConfigs is a property test: invariants hold for
// random draws of the regime's parameters, decision rules and shocks.
func TestInvariantsRandomConfigs(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	n := 40
	if testing.Short() {
		n = 10
	}
	for i := 0; i < n; i++ {
		sets := []string{
			fmt.Sprintf("regime.repression=%.3f", r.Float64()),
			fmt.Sprintf("regime.surveillance=%.3f", r.Float64()),
			fmt.Sprintf("regime.backfire=%.3f", 5*r.Float64()),
			fmt.Sprintf("regime.pay=%.3f", 2*r.Float64()),
			fmt.Sprintf("regime.extra_rewards=%.3f", r.Float64()),
			fmt.Sprintf("regime.parallel_forces=%.3f", r.Float64()),
			fmt.Sprintf("regime.purge_rate=%.3f", 0.5*r.Float64()),
			fmt.Sprintf("regime.repression_response=%.3f", 2*r.Float64()),
			fmt.Sprintf("regime.pay_response=%.3f", 0.1*r.Float64()),
			fmt.Sprintf("regime.economy_decline=%.4f", 0.02*r.Float64()),
			fmt.Sprintf("regime.demonstration=%.3f", r.Float64()),
			fmt.Sprintf("population.stacking=%.3f", r.Float64()),
			"scale=0.2",
			"ticks=60",
			"shocks=[]",
		}
		if r.IntN(2) == 0 {
			sets = append(sets, "roles.citizen.rule.kind=logit", "roles.citizen.rule.tau=0.05", "roles.soldier.rule.kind=logit", "roles.soldier.rule.tau=0.1")
		}
		if r.IntN(2) == 0 {
			sets = append(sets, "roles.elite.rule.absorbing=true", "roles.soldier.rule.hysteresis=0.2")
		}
		name := "soviet1991"
		if i%3 == 0 {
			name = province
		}
		cfg := load(t, name, sets...)
		res, err := regime.Run(context.Background(), cfg, uint64(i))
		if err != nil {
			t.Fatalf("config %d %v: %v", i, sets, err)
		}
		checkInvariants(t, res, fmt.Sprintf("config %d (%s %v)", i, name, sets))
	}
}

func TestDeterminismSameSeedSameBytes(t *testing.T) {
	cfg := load(t, "soviet1991")
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	seeds := []uint64{7, 7, 8}
	for i, d := range dirs {
		if _, err := regime.RunDir(context.Background(), cfg, seeds[i], d); err != nil {
			t.Fatal(err)
		}
	}
	differ := false
	for _, f := range regime.RunFiles {
		a := readFile(t, filepath.Join(dirs[0], f))
		b := readFile(t, filepath.Join(dirs[1], f))
		c := readFile(t, filepath.Join(dirs[2], f))
		if f == "meta.json" {
			continue // holds wall-clock timings
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with seed 7", f)
		}
		if !bytes.Equal(a, c) {
			differ = true
		}
	}
	if !differ {
		t.Error("seeds 7 and 8 gave identical outputs")
	}
	// Reusing one Model gives the same result as a fresh one.
	m, _ := regime.New(cfg)
	m.Run(context.Background(), 99)
	again, _ := m.Run(context.Background(), 7)
	fresh, _ := regime.Run(context.Background(), cfg, 7)
	if fmt.Sprint(again.Ticks) != fmt.Sprint(fresh.Ticks) {
		t.Error("a reused Model (Reset) and a fresh one differ for the same seed")
	}
}

func TestWriteDirMatchesRunDir(t *testing.T) {
	cfg := load(t, province)
	a, b := t.TempDir(), t.TempDir()
	res, err := regime.RunDir(context.Background(), cfg, 3, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteDir(b); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ticks.csv", "regions.csv", "events.csv", "summary.json", "scenario.yaml"} {
		if !bytes.Equal(readFile(t, filepath.Join(a, f)), readFile(t, filepath.Join(b, f))) {
			t.Errorf("%s: streamed (RunDir) and written (WriteDir) files differ", f)
		}
	}
}

func TestCancelledRunLeavesNoFiles(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if _, err := regime.RunDir(ctx, load(t, province), 1, dir); err == nil {
		t.Fatal("want an error from a cancelled context")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("left %s behind", e.Name())
	}
}

func TestTickLoopAllocatesNothing(t *testing.T) {
	m, err := regime.New(load(t, "soviet1991"))
	if err != nil {
		t.Fatal(err)
	}
	// Warm up past the coup and most exits (whose events are preallocated).
	if allocs := tickAllocs(t, m, 60, 40); allocs != 0 {
		t.Errorf("Step allocates %.1f times per tick, want 0", allocs)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReusedModelEqualsFreshEveryScenario: for every built-in scenario, a
// Model that has run another seed gives, after Reset, the same run as a
// fresh Model (no state leaks from one run into the next: sweeps reuse one
// Model per worker, so a leak would make their bytes depend on the worker
// count and on resume).
func TestReusedModelEqualsFreshEveryScenario(t *testing.T) {
	for _, info := range scenarios.List() {
		t.Run(info.Name, func(t *testing.T) {
			cfg := load(t, info.Name)
			cfg.Scale = min(cfg.Scale, 0.2)
			if cfg.Agents() < 2000 {
				cfg = load(t, info.Name) // the small classic scenarios as they are
			}
			m, err := regime.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Run(context.Background(), 99); err != nil {
				t.Fatal(err)
			}
			again, err := m.Run(context.Background(), 7)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := regime.Run(context.Background(), cfg, 7)
			if err != nil {
				t.Fatal(err)
			}
			if fingerprint(again) != fingerprint(fresh) {
				t.Error("a reused Model (Reset) and a fresh one differ for the same seed")
			}
		})
	}
}
