package agents

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/turncoat-abm/turncoat/internal/seed"
)

// Graph is an undirected simple graph over agents in compressed sparse row
// (CSR) form: the neighbours of agent i are Adj[Off[i]:Off[i+1]], sorted
// ascending, without duplicates or self-loops. Each edge is stored twice
// (once in each endpoint's row), so a graph of n agents and m edges takes
// 8(n+1) bytes of offsets and 8m bytes of adjacency.
type Graph struct {
	Off []int
	Adj []uint32
}

// Nodes returns the number of agents the graph covers.
func (g *Graph) Nodes() int { return max(0, len(g.Off)-1) }

// Edges returns the number of undirected edges.
func (g *Graph) Edges() int { return len(g.Adj) / 2 }

// Neighbours returns agent i's neighbours, sorted. The slice aliases the
// graph: do not modify it.
func (g *Graph) Neighbours(i int) []uint32 { return g.Adj[g.Off[i]:g.Off[i+1]] }

// Bytes returns the memory the graph's arrays take.
func (g *Graph) Bytes() int { return 8*len(g.Off) + 4*len(g.Adj) }

// Span is the half-open range [Lo, Hi) of agent indices.
type Span struct{ Lo, Hi int }

// A Community is a set of agents that link among themselves preferentially
// (the agents of one region, which may sit in several spans, one per role).
type Community []Span

// Len returns the number of agents in c.
func (c Community) Len() int {
	n := 0
	for _, s := range c {
		n += s.Hi - s.Lo
	}
	return n
}

// at returns the index of c's k-th member (0 <= k < c.Len()).
func (c Community) at(k int) int {
	for _, s := range c {
		if k < s.Hi-s.Lo {
			return s.Lo + k
		}
		k -= s.Hi - s.Lo
	}
	panic("agents: community member out of range")
}

// GraphSpec says how to draw a graph.
//
//   - "random": every agent draws ⌊Degree/2⌋ partners (one more with
//     probability frac(Degree/2)), each inside its own community with
//     probability Local and uniformly among all agents otherwise (an
//     Erdős–Rényi-like graph with community structure; Local = 0 is a plain
//     random graph of mean degree ≈ Degree).
//   - "small_world": Watts and Strogatz (1998): each community is a ring on
//     which every agent links to the next ⌊Degree/2⌋ members; each link is
//     rewired with probability Rewire to a partner drawn as in "random".
//
// Duplicate links and self-loops are dropped, so mean degrees fall slightly
// below Degree on small or dense communities.
type GraphSpec struct {
	Kind   string
	Degree float64
	Local  float64
	Rewire float64
}

// Validate checks the spec.
func (s GraphSpec) Validate() error {
	switch s.Kind {
	case "random", "small_world":
	default:
		return &FieldError{Field: "kind", Err: fmt.Errorf("must be random or small_world, got %q", s.Kind)}
	}
	if !(s.Degree >= 0) || s.Degree > 1e6 {
		return &FieldError{Field: "degree", Err: fmt.Errorf("must be in [0, 1e6], got %g", s.Degree)}
	}
	if s.Kind == "small_world" && s.Degree < 2 {
		return &FieldError{Field: "degree", Err: fmt.Errorf("a small world needs degree >= 2 (each agent links to the degree/2 next on its ring), got %g", s.Degree)}
	}
	if !(s.Local >= 0 && s.Local <= 1) {
		return &FieldError{Field: "local", Err: fmt.Errorf("must be in [0,1], got %g", s.Local)}
	}
	if !(s.Rewire >= 0 && s.Rewire <= 1) {
		return &FieldError{Field: "rewire", Err: fmt.Errorf("must be in [0,1], got %g", s.Rewire)}
	}
	return nil
}

// MaxGraphEntries bounds the adjacency of one graph (indices are int
// offsets; each edge takes two entries).
const MaxGraphEntries = 1 << 40

// NewGraph draws a graph of n agents under spec from the stream seeded by
// s. The communities must cover each agent at most once; agents in no
// community link only at random. The draws are sequential in community and
// member order, so the graph depends only on (spec, communities, n, s). It
// is built in two passes over the same stream (count, then fill), so it
// needs no memory beyond the result.
func NewGraph(spec GraphSpec, comms []Community, n int, s uint64) (*Graph, error) {
	return BuildGraph(nil, spec, comms, n, s)
}

// BuildGraph is NewGraph reusing g's memory when g is not nil (drawing a
// fresh graph for every run of a sweep allocates nothing once the arrays
// are large enough). It returns the graph built, g itself when g != nil.
func BuildGraph(g *Graph, spec GraphSpec, comms []Community, n int, s uint64) (*Graph, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if n < 0 || uint64(n) > math.MaxUint32 {
		return nil, fmt.Errorf("agents: a graph holds at most 2^32 agents, got %d", n)
	}
	if est := float64(n) * (spec.Degree + 1); est > MaxGraphEntries {
		return nil, fmt.Errorf("agents: a graph of %d agents of degree %g is too large", n, spec.Degree)
	}
	if g == nil {
		g = &Graph{}
	}
	g.Off = grow(g.Off, n+1)
	clear(g.Off)
	deg := g.Off[1:]
	walkEdges(spec, comms, n, s, func(i, j int) { deg[i]++; deg[j]++ })
	// Prefix sums turn degrees into row ends; filling moves each row's
	// cursor from its start to its end.
	total := 0
	for i, d := range deg {
		deg[i] = total
		total += d
	}
	g.Adj = grow(g.Adj, total)
	walkEdges(spec, comms, n, s, func(i, j int) {
		g.Adj[deg[i]] = uint32(j)
		deg[i]++
		g.Adj[deg[j]] = uint32(i)
		deg[j]++
	})
	g.compact()
	return g, nil
}

// compact sorts every row and drops duplicate entries, moving rows left.
func (g *Graph) compact() {
	w, lo := 0, 0
	for i := 0; i < g.Nodes(); i++ {
		hi := g.Off[i+1]
		row := g.Adj[lo:hi]
		slices.Sort(row)
		start := w
		for k, v := range row {
			if k > 0 && v == row[k-1] {
				continue
			}
			g.Adj[w] = v
			w++
		}
		g.Off[i] = start
		lo = hi
	}
	g.Off[g.Nodes()] = w
	g.Adj = g.Adj[:w]
}

// grow returns s resized to n, reusing its array when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// walkEdges calls edge(i, j) for every link the spec draws, in a fixed
// order, from the stream seeded by s.
func walkEdges(spec GraphSpec, comms []Community, n int, s uint64, edge func(i, j int)) {
	if n < 2 {
		return
	}
	hi, lo := seed.PCG(seed.Mix(s, seed.Label("agents.graph")))
	r := rand.New(rand.NewPCG(hi, lo))
	half := spec.Degree / 2
	whole := int(half)
	frac := half - float64(whole)
	// partner draws i's partner other than i: within c (whose k-th member
	// i is) with probability Local, else among all n agents.
	partner := func(c Community, size, k, i int) int {
		if size > 1 && spec.Local > 0 && (spec.Local >= 1 || r.Float64() < spec.Local) {
			u := r.IntN(size - 1)
			if u >= k {
				u++
			}
			return c.at(u)
		}
		u := r.IntN(n - 1)
		if u >= i {
			u++
		}
		return u
	}
	covered := 0
	for _, c := range comms {
		size := c.Len()
		covered += size
		for k := 0; k < size; k++ {
			i := c.at(k)
			switch spec.Kind {
			case "random":
				m := whole
				if frac > 0 && r.Float64() < frac {
					m++
				}
				for range m {
					edge(i, partner(c, size, k, i))
				}
			case "small_world":
				for d := 1; d <= whole && d < size; d++ {
					if spec.Rewire > 0 && r.Float64() < spec.Rewire {
						edge(i, partner(c, size, k, i))
						continue
					}
					edge(i, c.at((k+d)%size))
				}
			}
		}
	}
	if covered < n {
		// Agents outside every community link at random.
		inAny := make([]bool, n)
		for _, c := range comms {
			for _, sp := range c {
				for i := sp.Lo; i < sp.Hi; i++ {
					inAny[i] = true
				}
			}
		}
		for i := 0; i < n; i++ {
			if inAny[i] {
				continue
			}
			m := whole
			if frac > 0 && r.Float64() < frac {
				m++
			}
			for range m {
				edge(i, partner(nil, 0, 0, i))
			}
		}
	}
}

// Neighbourhood is what the network part of the social term reads: a graph
// over every agent of every role (role r's agent i is node Base[r]+i) and
// which nodes were defected at the end of the last tick, as a bitset that
// Snapshot refreshes before each tick's step. Agents read only the bitset,
// never their neighbours' current state, so the update is synchronous and
// the order in which blocks are stepped does not matter.
type Neighbourhood struct {
	Graph    *Graph
	Base     [NumRoles]int
	Defected []uint64
}

// NewNeighbourhood returns a neighbourhood over g for populations of the
// given sizes, laid out role after role.
func NewNeighbourhood(g *Graph, sizes [NumRoles]int) (*Neighbourhood, error) {
	nb := &Neighbourhood{Graph: g}
	n := 0
	for r, s := range sizes {
		nb.Base[r] = n
		n += s
	}
	if g.Nodes() != n {
		return nil, fmt.Errorf("agents: the graph has %d nodes for %d agents", g.Nodes(), n)
	}
	nb.Defected = make([]uint64, (n+63)/64)
	return nb, nil
}

// Snapshot records which agents of pops (indexed by role) are defected now.
func (nb *Neighbourhood) Snapshot(pops *[NumRoles]*Population) {
	bits := nb.Defected
	clear(bits)
	for r, p := range pops {
		base := nb.Base[r]
		for i, st := range p.State {
			var b uint64
			if st == Defected {
				b = 1
			}
			gi := uint(base + i)
			bits[gi>>6] |= b << (gi & 63)
		}
	}
}

// Share returns the observes-weighted defected share of node i's
// neighbours at the last snapshot: Σ w(j)·d(j) / Σ w(j) over neighbours j,
// where w(j) is observes[role of j]; 0 when the denominator is 0.
func (nb *Neighbourhood) Share(i int, observes *[NumRoles]float64) float64 {
	w0, w1, w2 := observes[0], observes[1], observes[2]
	return rowShare(nb.Graph.Neighbours(i), nb.Defected, w0, w1, w2, uint32(nb.Base[1]), uint32(nb.Base[2]), w0 == w1 && w1 == w2)
}

// rowShare is the weighted defected share of the neighbours in row, read
// from bits: the kernel's form of Share, with the row already sliced.
func rowShare(row []uint32, bits []uint64, w0, w1, w2 float64, b1, b2 uint32, uniform bool) float64 {
	if uniform {
		if len(row) == 0 || w0 == 0 {
			return 0
		}
		d := uint64(0)
		for _, j := range row {
			d += bits[j>>6] >> (j & 63) & 1
		}
		return float64(d) / float64(len(row))
	}
	// Rows are sorted and roles occupy consecutive node ranges, so the row
	// splits into one run per role: count each run's defected neighbours
	// with integer adds, then weight the three counts.
	var c0, c1, c2 uint64
	k := 0
	for ; k < len(row) && row[k] < b1; k++ {
		j := row[k]
		c0 += bits[j>>6] >> (j & 63) & 1
	}
	k1 := k
	for ; k < len(row) && row[k] < b2; k++ {
		j := row[k]
		c1 += bits[j>>6] >> (j & 63) & 1
	}
	k2 := k
	for ; k < len(row); k++ {
		j := row[k]
		c2 += bits[j>>6] >> (j & 63) & 1
	}
	den := float64(w0*float64(k1)) + float64(w1*float64(k2-k1)) + float64(w2*float64(len(row)-k2))
	if den == 0 {
		return 0
	}
	num := float64(w0*float64(c0)) + float64(w1*float64(c1)) + float64(w2*float64(c2))
	return num / den
}
