package agents_test

import (
	"math"
	"slices"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
)

// checkSimple fails unless g is a simple undirected graph in canonical
// CSR form: sorted rows, no self-loops or duplicates, j in i's row iff i in
// j's row.
func checkSimple(t *testing.T, g *agents.Graph) {
	t.Helper()
	if g.Off[0] != 0 || g.Off[g.Nodes()] != len(g.Adj) {
		t.Fatalf("offsets span [%d, %d), adjacency has %d entries", g.Off[0], g.Off[g.Nodes()], len(g.Adj))
	}
	for i := 0; i < g.Nodes(); i++ {
		row := g.Neighbours(i)
		for k, j := range row {
			if int(j) == i {
				t.Fatalf("node %d: self-loop", i)
			}
			if k > 0 && j <= row[k-1] {
				t.Fatalf("node %d: row not strictly increasing: %v", i, row)
			}
			if _, ok := slices.BinarySearch(g.Neighbours(int(j)), uint32(i)); !ok {
				t.Fatalf("edge %d-%d stored in one direction only", i, j)
			}
		}
	}
}

// twoRegions returns the communities of n agents split in two halves, the
// second half in two spans (as roles are laid out).
func twoRegions(n int) []agents.Community {
	h, q := n/2, n/2+n/4
	return []agents.Community{{{Lo: 0, Hi: h}}, {{Lo: h, Hi: q}, {Lo: q, Hi: n}}}
}

func TestRandomGraph(t *testing.T) {
	const n = 20000
	comms := twoRegions(n)
	for _, local := range []float64{0, 0.5, 0.9, 1} {
		spec := agents.GraphSpec{Kind: "random", Degree: 10, Local: local}
		g, err := agents.NewGraph(spec, comms, n, 7)
		if err != nil {
			t.Fatal(err)
		}
		checkSimple(t, g)
		// n·Degree/2 links are drawn; duplicates (about Degree²/4 per
		// community member pair, negligible here) are dropped.
		if mean := 2 * float64(g.Edges()) / n; math.Abs(mean-10) > 0.05 {
			t.Errorf("local %g: mean degree %.3f, want 10", local, mean)
		}
		// Share of links inside a community: Local plus the random links
		// that land there by chance (half of the rest, with two equal halves).
		inside := 0
		for i := 0; i < n; i++ {
			for _, j := range g.Neighbours(i) {
				if (i < n/2) == (int(j) < n/2) {
					inside++
				}
			}
		}
		want := local + (1-local)/2
		if got := float64(inside) / float64(len(g.Adj)); math.Abs(got-want) > 0.01 {
			t.Errorf("local %g: %.3f of links inside a region, want %.3f", local, got, want)
		}
	}
}

func TestRandomGraphFractionalDegree(t *testing.T) {
	g, err := agents.NewGraph(agents.GraphSpec{Kind: "random", Degree: 3}, nil, 50000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if mean := 2 * float64(g.Edges()) / 50000; math.Abs(mean-3) > 0.03 {
		t.Errorf("mean degree %.3f, want 3", mean)
	}
}

func TestSmallWorldGraph(t *testing.T) {
	const n = 1000
	comms := twoRegions(n)
	// Without rewiring: a ring lattice per community, every agent of
	// degree 6, linked to the three members on each side.
	g, err := agents.NewGraph(agents.GraphSpec{Kind: "small_world", Degree: 6, Local: 1}, comms, n, 3)
	if err != nil {
		t.Fatal(err)
	}
	checkSimple(t, g)
	for i := 0; i < n; i++ {
		if d := len(g.Neighbours(i)); d != 6 {
			t.Fatalf("node %d has degree %d on the ring lattice, want 6", i, d)
		}
	}
	if got := g.Neighbours(10); !slices.Equal(got, []uint32{7, 8, 9, 11, 12, 13}) {
		t.Errorf("node 10's neighbours: %v", got)
	}
	if got := g.Neighbours(0); !slices.Equal(got, []uint32{1, 2, 3, 497, 498, 499}) {
		t.Errorf("node 0's neighbours (ring wraps within its region): %v", got)
	}
	// Rewiring replaces about Rewire of the lattice links.
	g, err = agents.NewGraph(agents.GraphSpec{Kind: "small_world", Degree: 6, Local: 0, Rewire: 0.2}, comms, n, 3)
	if err != nil {
		t.Fatal(err)
	}
	checkSimple(t, g)
	lattice := 0
	for i := 0; i < n/2; i++ {
		for _, j := range g.Neighbours(i) {
			if d := (int(j) - i + n/2) % (n / 2); int(j) < n/2 && (d <= 3 || d >= n/2-3) {
				lattice++
			}
		}
	}
	if got := float64(lattice) / float64(3*n); math.Abs(got-0.8) > 0.04 {
		t.Errorf("%.3f of the first region's links are lattice links, want about 0.8", got)
	}
}

func TestGraphDeterministicAndReusable(t *testing.T) {
	spec := agents.GraphSpec{Kind: "random", Degree: 8, Local: 0.7}
	comms := twoRegions(5000)
	a, _ := agents.NewGraph(spec, comms, 5000, 42)
	b, _ := agents.NewGraph(spec, comms, 5000, 42)
	c, _ := agents.NewGraph(spec, comms, 5000, 43)
	if !slices.Equal(a.Off, b.Off) || !slices.Equal(a.Adj, b.Adj) {
		t.Error("the same seed drew different graphs")
	}
	if slices.Equal(a.Adj, c.Adj) {
		t.Error("different seeds drew the same graph")
	}
	// Rebuilding into c's memory gives a's graph exactly.
	r, err := agents.BuildGraph(c, spec, comms, 5000, 42)
	if err != nil || r != c {
		t.Fatalf("BuildGraph: %v, reused %v", err, r == c)
	}
	if !slices.Equal(a.Off, c.Off) || !slices.Equal(a.Adj, c.Adj) {
		t.Error("a graph rebuilt in reused memory differs")
	}
}

func TestGraphSpecErrors(t *testing.T) {
	for _, spec := range []agents.GraphSpec{
		{Kind: "scale_free", Degree: 4},
		{Kind: "random", Degree: -1},
		{Kind: "random", Degree: math.NaN()},
		{Kind: "random", Degree: 4, Local: 1.5},
		{Kind: "small_world", Degree: 4, Rewire: -0.1},
		{Kind: "small_world", Degree: 1.5},
	} {
		if _, err := agents.NewGraph(spec, nil, 10, 1); err == nil {
			t.Errorf("%+v: no error", spec)
		}
	}
	// Degenerate sizes give empty graphs, not panics.
	for _, n := range []int{0, 1} {
		g, err := agents.NewGraph(agents.GraphSpec{Kind: "random", Degree: 4}, nil, n, 1)
		if err != nil || g.Edges() != 0 || g.Nodes() != n {
			t.Errorf("n = %d: %v, %d edges", n, err, g.Edges())
		}
	}
}

// TestNeighbourhoodShare compares Share with a direct count, for weights
// that differ by role and for equal weights (the fast path).
func TestNeighbourhoodShare(t *testing.T) {
	sizes := [agents.NumRoles]int{300, 100, 50}
	n := sizes[0] + sizes[1] + sizes[2]
	g, err := agents.NewGraph(agents.GraphSpec{Kind: "random", Degree: 6}, nil, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := agents.NewNeighbourhood(g, sizes)
	if err != nil {
		t.Fatal(err)
	}
	var pops [agents.NumRoles]*agents.Population
	role := make([]int, 0, n)
	defected := make([]bool, 0, n)
	for r := range pops {
		pops[r] = agents.NewPopulation(agents.Role(r), []int{sizes[r]})
		for i := range pops[r].State {
			pops[r].State[i] = agents.State((i*7 + r) % 3)
			role = append(role, r)
			defected = append(defected, pops[r].State[i] == agents.Defected)
		}
	}
	nb.Snapshot(&pops)
	for _, obs := range [][agents.NumRoles]float64{{1, 0.5, 0.25}, {0, 1, 0}, {1, 1, 1}, {0, 0, 0}} {
		for i := 0; i < n; i++ {
			num, den := 0.0, 0.0
			for _, j := range g.Neighbours(i) {
				w := obs[role[j]]
				den += w
				if defected[j] {
					num += w
				}
			}
			want := 0.0
			if den > 0 {
				want = num / den
			}
			if got := nb.Share(i, &obs); math.Abs(got-want) > 1e-12 {
				t.Fatalf("observes %v, node %d: share %g, want %g", obs, i, got, want)
			}
		}
	}
	if _, err := agents.NewNeighbourhood(g, [agents.NumRoles]int{1, 2, 3}); err == nil {
		t.Error("a graph of the wrong size was accepted")
	}
}
