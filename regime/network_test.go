package regime_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// ringContagion is Granovetter's riot with every threshold at 0.45 but one
// instigator's, on a ring where each person sees the two next to them.
func ringContagion(t *testing.T, network ...string) regime.Config {
	th := make([]string, 100)
	for i := range th {
		th[i] = "0.45"
	}
	th[50] = "-0.005"
	return load(t, "granovetter", append([]string{"roles.citizen.threshold.values=[" + strings.Join(th, ",") + "]"}, network...)...)
}

// TestRingContagion: on a ring lattice (small world without rewiring) one
// instigator starts a front that moves one person each way per tick (half
// of one's neighbours defected beats 0.45), as threshold contagion on a
// lattice does (Watts 2002; Centola and Macy 2007). The whole-region
// signal, 1% defected, starts nothing.
func TestRingContagion(t *testing.T) {
	ring := []string{"network.kind=small_world", "network.degree=2", "network.rewire=0", "network.local=1"}
	res := runSeeds(t, ringContagion(t, ring...), 1)[0]
	for tick := 0; tick < 60; tick++ {
		want := float64(min(100, 1+2*tick)) / 100
		if got := res.Ticks[tick].Defected[agents.Citizen]; got != want {
			t.Fatalf("tick %d: %.2f defected on the ring, want %.2f", tick, got, want)
		}
	}
	flat := runSeeds(t, ringContagion(t), 1)[0]
	if got := flat.Ticks[59].Defected[agents.Citizen]; got != 0.01 {
		t.Errorf("without the network: %.2f defected, want only the instigator", got)
	}
	// Reading half of the signal from the region (weight 0.5) halves the
	// neighbours' pull: 0.25 < 0.45, and the front never moves.
	half := runSeeds(t, ringContagion(t, append(ring, "network.weight=0.5")...), 1)[0]
	if got := half.Ticks[59].Defected[agents.Citizen]; got != 0.01 {
		t.Errorf("network weight 0.5: %.2f defected, want only the instigator", got)
	}
}

// TestNetworkWeightZeroIsRegionOnly: a network whose weight is 0 changes
// nothing: the same bytes as no network.
func TestNetworkWeightZeroIsRegionOnly(t *testing.T) {
	plain := runSeeds(t, load(t, "soviet1991", "scale=0.2"), 2)
	zero := runSeeds(t, load(t, "soviet1991", "scale=0.2", "network.kind=random", "network.weight=0"), 2)
	for i := range plain {
		if fingerprint(plain[i]) != fingerprint(zero[i]) {
			t.Errorf("seed %d: a network of weight 0 changed the run", i+1)
		}
	}
	one := runSeeds(t, load(t, "soviet1991", "scale=0.2", "network.kind=random", "network.weight=1"), 1)
	if fingerprint(plain[0]) == fingerprint(one[0]) {
		t.Error("a network of weight 1 changed nothing")
	}
}

// TestNetworkParallelIsIdentical: with a network, 1, 2 and 5 stepping
// goroutines give the same run.
func TestNetworkParallelIsIdentical(t *testing.T) {
	cfg := load(t, "soviet1991", "scale=0.3", "network.kind=random", "network.degree=8", "network.local=0.8")
	ref := runFingerprint(t, cfg, 9, 1)
	for _, w := range []int{2, 5} {
		if runFingerprint(t, cfg, 9, w) != ref {
			t.Errorf("%d workers: the network run differs from the sequential one", w)
		}
	}
}

// TestNetworkSeed: with network.seed 0 each run draws its graph from the
// run's seed; a fixed seed gives every run the same graph.
func TestNetworkSeed(t *testing.T) {
	graphs := func(sets ...string) []*agents.Graph {
		m, err := regime.New(load(t, "soviet1991", append([]string{"scale=0.05", "network.kind=random"}, sets...)...))
		if err != nil {
			t.Fatal(err)
		}
		var out []*agents.Graph
		for s := uint64(1); s <= 2; s++ {
			if _, err := m.Run(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			g := m.Network()
			out = append(out, &agents.Graph{Off: slices.Clone(g.Off), Adj: slices.Clone(g.Adj)})
		}
		return out
	}
	same := func(a, b *agents.Graph) bool { return slices.Equal(a.Off, b.Off) && slices.Equal(a.Adj, b.Adj) }
	if g := graphs(); same(g[0], g[1]) {
		t.Error("network.seed 0: two run seeds drew the same graph")
	}
	if g := graphs("network.seed=77"); !same(g[0], g[1]) {
		t.Error("network.seed 77: the graph changed between runs")
	}
	if m, _ := regime.New(load(t, "soviet1991", "scale=0.05")); m.Network() != nil {
		t.Error("a scenario without a network has a graph")
	}
}

func TestNetworkTickAllocatesNothing(t *testing.T) {
	m, err := regime.New(load(t, "soviet1991", "scale=0.2", "network.kind=small_world", "network.rewire=0.05"))
	if err != nil {
		t.Fatal(err)
	}
	if allocs := tickAllocs(t, m, 30, 20); allocs != 0 {
		t.Errorf("Step on a network allocates %.1f times per tick, want 0", allocs)
	}
}

func TestNetworkConfigErrors(t *testing.T) {
	for set, field := range map[string]string{
		"network.kind=scale_free": "network.kind",
		"network.kind=ring":       "network.kind",
		"network.degree=-2":       "network.degree",
		"network.local=2":         "network.local",
		"network.rewire=-1":       "network.rewire",
		"network.weight=1.5":      "network.weight",
	} {
		sets := []string{set}
		if !strings.HasPrefix(set, "network.kind") {
			sets = append(sets, "network.kind=random")
		}
		_, err := scenarios.Load("soviet1991", sets...)
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v, want one naming %s", set, err, field)
		}
		// Ranges are checked with the network off too.
		if !strings.HasPrefix(set, "network.kind") {
			if _, err := scenarios.Load("soviet1991", set); err == nil || !strings.Contains(err.Error(), field) {
				t.Errorf("%s without a network: error %v, want one naming %s", set, err, field)
			}
		}
	}
}
