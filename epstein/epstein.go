// Package epstein is Epstein's (2002) model of civil violence ("Rebellion")
// on a 2-D torus: citizens with hardship H and risk aversion R, grievance
// G = H(1 − L), who turn active when G − R·P > T, P being the estimated
// arrest probability from the cops and active citizens they see; cops who
// arrest a random active citizen in sight; jail terms. It is the special
// case of turncoat's model with citizens and enforcers that never defect,
// on a grid instead of regions.
//
// Published implementations differ in small rules that change the
// dynamics, so three named variants follow their sources exactly:
//
//   - paper: Epstein (2002) as written: vision along the four lattice
//     directions (a cross), P = 1 − exp(−k·C/A) with A counting the agent
//     itself, jail terms uniform on 0..J, phased activation (all move, all
//     decide, cops arrest), each phase in random order.
//   - netlogo: the NetLogo Models Library's Rebellion: vision a Euclidean
//     disc, P = 1 − exp(−k·floor(C/A)), jail terms 0..J−1, phased
//     activation; jailed citizens neither block cells nor act.
//   - mesa: Mesa 3.3's EpsteinCivilViolence example: vision a von Neumann
//     (Manhattan) diamond, P = 1 − exp(−k·round(C/(A'+1))) rounding half
//     to even with A' the active citizens in sight, random-order sequential
//     activation of every agent each step (citizens decide then move, cops
//     arrest then move), arrested citizens stay on and block their cell,
//     jail terms uniform on 0..J inclusive, counted down in the arrest's
//     step when the citizen's turn is still to come (free on that turn
//     with a term of 0); each cell's occupant drawn independently, so
//     the numbers of citizens and cops vary from seed to seed.
//
// Activation: paper and netlogo are phased (all move, then all decide, then
// the cops arrest, each phase in the tick's random order); mesa is
// random-order sequential, as Mesa's shuffle_do: each agent in turn acts
// completely (docs/PERFORMANCE.md).
//
// # Determinism
//
// All draws come from the run's stream; a run is a pure function of its
// Config and seed.
package epstein

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// Variant names a published implementation.
type Variant string

// The variants.
const (
	Paper   Variant = "paper"
	NetLogo Variant = "netlogo"
	Mesa    Variant = "mesa"
)

// Variants lists the variants.
var Variants = []Variant{Paper, NetLogo, Mesa}

// Config is one Epstein setting.
type Config struct {
	Variant        Variant
	Width, Height  int
	CitizenDensity float64 // share of cells holding a citizen
	CopDensity     float64 // share of cells holding a cop
	Legitimacy     float64 // L
	Threshold      float64 // T
	Vision         int     // cells
	MaxJail        int     // J, ticks
	K              float64 // 2.3
}

// Defaults returns the defaults of NetLogo's Rebellion and Mesa's example
// app: 40×40, citizen density 0.7, cop density 0.04, L = 0.82, T = 0.1,
// vision 7, J = 30, k = 2.3.
func Defaults(v Variant) Config {
	return Config{Variant: v, Width: 40, Height: 40, CitizenDensity: 0.7, CopDensity: 0.04, Legitimacy: 0.82,
		Threshold: 0.1, Vision: 7, MaxJail: 30, K: 2.3}
}

// MesaModelDefaults returns the defaults of Mesa's model class: cop
// density 0.074, L = 0.8, J = 1000 (otherwise as Defaults).
func MesaModelDefaults() Config {
	c := Defaults(Mesa)
	c.CopDensity, c.Legitimacy, c.MaxJail = 0.074, 0.8, 1000
	return c
}

// Validate reports an invalid setting.
func (c Config) Validate() error {
	var errs []error
	switch c.Variant {
	case Paper, NetLogo, Mesa:
	default:
		errs = append(errs, fmt.Errorf("epstein: variant must be paper, netlogo or mesa, got %q", c.Variant))
	}
	if c.Width < 3 || c.Height < 3 {
		errs = append(errs, fmt.Errorf("epstein: the grid must be at least 3×3, got %d×%d", c.Width, c.Height))
	}
	if !(c.CitizenDensity >= 0 && c.CopDensity >= 0 && c.CitizenDensity+c.CopDensity <= 1) {
		errs = append(errs, fmt.Errorf("epstein: densities must be >= 0 and sum to at most 1, got %g + %g", c.CitizenDensity, c.CopDensity))
	}
	if !(c.Legitimacy >= 0 && c.Legitimacy <= 1) {
		errs = append(errs, fmt.Errorf("epstein: legitimacy must be in [0,1], got %g", c.Legitimacy))
	}
	if c.Vision < 1 || c.MaxJail < 1 || !(c.K >= 0) {
		errs = append(errs, fmt.Errorf("epstein: vision and max jail must be >= 1 and k >= 0"))
	}
	return errors.Join(errs...)
}

const (
	quiet = iota
	active
	jailed
)

// agent is one citizen or cop, the fields a tick touches kept together (16
// bytes, four to a cache line).
type agent struct {
	pos   int32 // cell
	next  int32 // the next agent on the same cell (-1 ends)
	prev  int32 // the previous one (-1: the first)
	state uint8 // quiet, active or jailed
	cop   bool  // a cop (agents nc and up)
	calm  bool  // a citizen whose grievance does not exceed the threshold
}

// bitset is a set of agents or cells.
type bitset []uint64

func newBitset(n int) bitset      { return make(bitset, (n+63)/64) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(i&63)) != 0 }
func (b bitset) add(i int32)      { b[i>>6] |= 1 << (i & 63) }
func (b bitset) remove(i int32)   { b[i>>6] &^= 1 << (i & 63) }
func (b bitset) count() (n int) {
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// traits are a citizen's hardship and risk aversion.
type traits struct{ hard, risk float64 }

// The counts in sight of a cell (the cops and active citizens in sight of an
// agent standing on it, not counting the cell itself unless the sight wraps
// onto it) are packed in one word: cops in the high half, active citizens
// in the low half. Both stay non-negative, so adding a packed signed change
// never carries from one into the other.
const (
	oneCop = 1 << 32
	oneAct = 1
)

func copsOf(v uint64) int { return int(v >> 32) }
func actsOf(v uint64) int { return int(uint32(v)) }

// span is the part of row dy (relative) in sight: dx from lo to hi; off is
// its first cell's offset in the row-major grid when it does not wrap
// across the torus's left or right edge, len its length, mask len bits.
type span struct {
	dy, lo, hi, off, len int
	mask                 uint64
}

// Model is an Epstein grid. It implements abm.Model and abm.Observer.
//
// The first implementation scanned every cell in sight of every agent at
// every activation. This one keeps, for every cell, the counts an agent
// standing there would see (vis): in the mesa variant they are updated
// whenever a cop or an active citizen moves, turns or is arrested; in the
// phased variants, where nobody looks during the move phase, they are
// rebuilt once after it (recount) and then updated on turns and arrests. The
// random empty cell in sight is drawn from a bitset of the empty cells with
// popcounts, the arrested citizen found from per-cell active counts and
// per-cell lists of agents. Bitsets of jailed, active and never-deciding
// agents let each phase skip the agents it has nothing to do for. The
// draws, and the order in which cells and agents are enumerated when
// drawing, are those of the first implementation, so the trajectories are
// identical (TestFingerprints pins them).
type Model struct {
	cfg  Config
	n    int // cells
	nc   int // citizens: agents 0..nc-1 are citizens, the rest cops
	ag   []agent
	tr   []traits
	jail []int32   // per agent: ticks left in jail
	jb   bitset    // jailed citizens
	ab   bitset    // active citizens
	fb   bitset    // cops and calm citizens: agents that never decide anything
	mb   bitset    // agents relocated this tick
	done bitset    // mesa: agents whose turn of this step has come
	pend bitset    // mesa: citizens arrested before their turn with a sentence of 0, who act in it
	head []int32   // per cell: the first agent on it (-1: none); a cell is blocked iff it has one
	free []uint64  // bit q: cell q is empty (cells row-major, rows not word-aligned)
	vis  []uint64  // per cell: cops and active citizens in sight from it, packed
	actN []int32   // per cell: active citizens on it
	cnt  []uint64  // scratch: cops and active citizens on each cell, packed
	sp   []span    // the vision shape as row segments, in sight order
	spc  []int     // scratch: empty cells per span
	spq  []int     // scratch: first cell of each span
	spw  []uint64  // scratch: empty cells of each span, a bit each
	left int       // the agents on columns left..rght-1 see no span wrap across the
	rght int       // left or right edge, and spans fit a word (left = width: none)
	wmod uint64    // ⌈2⁶⁴/width⌉, for interior
	cand []int32   // scratch: active citizens on one cell
	pTab []float64 // 1 − exp(−k·r) for integer ratios r (netlogo, mesa)
	fast bool      // vision <= width and height: one correction wraps a coordinate
	ord  []int32   // activation order
	sub  []int32   // scratch: the agents of one phase, in activation order
	mesa bool
	sink int32 // loads issued ahead of use land here

	Arrests int // arrests in the last tick
}

// New validates cfg and allocates a model.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, n: cfg.Width * cfg.Height, mesa: cfg.Variant == Mesa}
	v := cfg.Vision
	m.fast = v <= cfg.Width && v <= cfg.Height
	sight := 0
	for dy := -v; dy <= v; dy++ {
		for dx := -v; dx <= v; dx++ {
			if dx == 0 && dy == 0 {
				continue
			}
			var in bool
			switch cfg.Variant {
			case Paper:
				in = dx == 0 || dy == 0
			case NetLogo:
				in = dx*dx+dy*dy <= v*v
			case Mesa:
				in = abs(dx)+abs(dy) <= v
			}
			if !in {
				continue
			}
			sight++
			if k := len(m.sp); k > 0 && m.sp[k-1].dy == dy && m.sp[k-1].hi+1 == dx {
				m.sp[k-1].hi = dx
			} else {
				m.sp = append(m.sp, span{dy: dy, lo: dx, hi: dx})
			}
		}
	}
	m.spc = make([]int, len(m.sp))
	m.spq = make([]int, len(m.sp))
	m.spw = make([]uint64, len(m.sp))
	short, maxLo, maxHi := true, 0, 0
	for k := range m.sp {
		sp := &m.sp[k]
		sp.off, sp.len = sp.dy*cfg.Width+sp.lo, sp.hi-sp.lo+1
		if sp.len > 64 {
			short = false
		} else {
			sp.mask = ^uint64(0) >> (64 - sp.len)
		}
		maxLo, maxHi = max(maxLo, -sp.lo), max(maxHi, sp.hi)
	}
	m.left, m.rght = maxLo, cfg.Width-maxHi
	if !m.fast || !short || m.n > math.MaxUint32 {
		m.left, m.rght = cfg.Width, 0
	}
	m.wmod = ^uint64(0)/uint64(cfg.Width) + 1
	if cfg.Variant != Paper {
		// Integer ratios; in sight there are at most sight·(cops a cell
		// holds) cops, and larger ratios are computed as needed.
		m.pTab = make([]float64, 2*sight+2)
		for k := range m.pTab {
			ratio := float64(k)
			m.pTab[k] = 1 - math.Exp(-m.cfg.K*ratio)
		}
	}
	return m, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// Reset places citizens and cops on random distinct cells: in the paper
// and netlogo variants round(density × cells) of each; in the mesa variant
// each cell's occupant is drawn independently (a citizen with probability
// CitizenDensity, a cop with CopDensity, else empty), as Mesa's example
// does, so the counts vary from seed to seed.
func (m *Model) Reset(r *rand.Rand) error {
	c := m.cfg
	nc := int(math.Round(c.CitizenDensity * float64(m.n)))
	nk := int(math.Round(c.CopDensity * float64(m.n)))
	var cells []int
	if m.mesa {
		var cit, cop []int
		for q := 0; q < m.n; q++ {
			switch u := r.Float64(); {
			case u < c.CitizenDensity:
				cit = append(cit, q)
			case u < c.CitizenDensity+c.CopDensity:
				cop = append(cop, q)
			}
		}
		nc, nk = len(cit), len(cop)
		cells = append(cit, cop...)
	}
	total := nc + nk
	m.nc = nc
	m.ag = make([]agent, total)
	m.tr = make([]traits, total)
	m.ord = make([]int32, total)
	m.head = make([]int32, m.n)
	m.free = make([]uint64, (m.n+63)/64+1) // a spare word for window
	m.vis = make([]uint64, m.n+1)          // a spare cell for recount's marks
	m.actN = make([]int32, m.n)
	m.cnt = make([]uint64, m.n)
	m.jail = make([]int32, total)
	m.jb, m.ab, m.fb, m.mb = newBitset(total), newBitset(total), newBitset(total), newBitset(total)
	m.done, m.pend = newBitset(total), newBitset(total)
	m.sub = make([]int32, 0, total)
	m.cand = make([]int32, 0, 8)
	m.Arrests = 0
	for q := range m.head {
		m.head[q] = -1
		m.free[q>>6] |= 1 << (q & 63)
	}
	if !m.mesa {
		cells = r.Perm(m.n)
	}
	for i := 0; i < total; i++ {
		m.ag[i] = agent{cop: i >= nc}
		m.link(int32(i), cells[i])
		m.ord[i] = int32(i)
		if !m.ag[i].cop {
			m.tr[i].hard, m.tr[i].risk = r.Float64(), r.Float64()
			// G − R·P <= G for P, R >= 0 (so in floating point too): if G
			// <= T the citizen never turns active, and deciding changes
			// nothing and draws nothing.
			m.ag[i].calm = !(m.tr[i].hard*(1-m.cfg.Legitimacy) > m.cfg.Threshold)
		}
		if m.ag[i].cop || m.ag[i].calm {
			m.fb.add(int32(i))
		}
	}
	m.recount()
	return nil
}

// wrapX and wrapY wrap a coordinate onto the torus.
func (m *Model) wrapX(x int) int { return wrap(x, m.cfg.Width, m.fast) }
func (m *Model) wrapY(y int) int { return wrap(y, m.cfg.Height, m.fast) }

func wrap(x, n int, fast bool) int {
	if fast {
		if x < 0 {
			x += n
		} else if x >= n {
			x -= n
		}
		return x
	}
	x %= n
	if x < 0 {
		x += n
	}
	return x
}

// freeIn counts the empty cells lo..hi (inclusive, lo <= hi).
func (m *Model) freeIn(lo, hi int) int {
	f := m.free
	wl, wh := lo>>6, hi>>6
	if wl == wh {
		return bits.OnesCount64(f[wl] >> (lo & 63) & (^uint64(0) >> (63 - (hi - lo))))
	}
	c := bits.OnesCount64(f[wl] >> (lo & 63))
	for k := wl + 1; k < wh; k++ {
		c += bits.OnesCount64(f[k])
	}
	return c + bits.OnesCount64(f[wh]<<(63-hi&63))
}

// nthFree returns the k-th (from 0) empty cell of lo..hi.
func (m *Model) nthFree(lo, hi, k int) int {
	f := m.free
	for wi := lo >> 6; ; wi++ {
		word := f[wi]
		if wi == lo>>6 {
			word &= ^uint64(0) << (lo & 63)
		}
		if wi == hi>>6 {
			word &= ^uint64(0) >> (63 - hi&63)
		}
		c := bits.OnesCount64(word)
		if k < c {
			for ; k > 0; k-- {
				word &= word - 1
			}
			return wi<<6 + bits.TrailingZeros64(word)
		}
		k -= c
	}
}

// window returns the bits of free from bit lo on (64 of them, zeros past
// the end).
func (m *Model) window(lo int) uint64 {
	wi, sh := lo>>6, uint(lo&63)
	return m.free[wi]>>sh | m.free[wi+1]<<(64-sh)
}

// interior reports whether no span in sight of cell p wraps across the
// left or right edge (nor is longer than a word), and then the first cells
// of the spans are p + off, wrapped once vertically.
func (m *Model) interior(p int) bool {
	// x = p mod width by two multiplications (Lemire, Kaser and Kurz
	// 2019), exact for 32-bit p and width.
	x, _ := bits.Mul64(m.wmod*uint64(uint32(p)), uint64(m.cfg.Width))
	return int(x) >= m.left && int(x) < m.rght
}

// spanAt returns the first cell of span sp in sight of cell p (interior).
func (m *Model) spanAt(p int, sp *span) int {
	q := p + sp.off
	if q < 0 {
		q += m.n
	} else if q >= m.n {
		q -= m.n
	}
	return q
}

// pick draws a random empty cell in sight of cell p, in the reference's
// sight order (rows from the top, cells left to right, as the vision shape
// lists them); -1 (and no draw) if there is none. The cell p is never
// empty: the agent on it blocks it.
func (m *Model) pick(p int, r *rand.Rand) int {
	if m.interior(p) {
		sp, free, n := m.sp, m.free, m.n
		spw, spq := m.spw[:len(sp)], m.spq[:len(sp)]
		total := 0
		for s := range sp {
			q := p + sp[s].off
			if q < 0 {
				q += n
			} else if q >= n {
				q -= n
			}
			wi, sh := uint(q)>>6, uint(q)&63
			word := (free[wi]>>sh | free[wi+1]<<(64-sh)) & sp[s].mask
			spw[s], spq[s] = word, q
			total += bits.OnesCount64(word)
		}
		if total == 0 {
			return -1
		}
		k := r.IntN(total)
		for s, word := range spw {
			if c := bits.OnesCount64(word); k >= c {
				k -= c
				continue
			}
			for ; k > 0; k-- {
				word &= word - 1
			}
			return spq[s] + bits.TrailingZeros64(word)
		}
	}
	w := m.cfg.Width
	x0, y0 := p%w, p/w
	total := 0
	for s, sp := range m.sp {
		base := m.wrapY(y0+sp.dy) * w
		a, l, c := m.wrapX(x0+sp.lo), sp.hi-sp.lo+1, 0
		for l > 0 { // the span's stretches between wraps
			b := min(a+l-1, w-1)
			c += m.freeIn(base+a, base+b)
			l -= b - a + 1
			a = 0
		}
		m.spc[s] = c
		total += c
	}
	if total == 0 {
		return -1
	}
	k := r.IntN(total)
	for s, sp := range m.sp {
		if k >= m.spc[s] {
			k -= m.spc[s]
			continue
		}
		base := m.wrapY(y0+sp.dy) * w
		a, l := m.wrapX(x0+sp.lo), sp.hi-sp.lo+1
		for {
			b := min(a+l-1, w-1)
			if c := m.freeIn(base+a, base+b); k >= c {
				k -= c
			} else {
				return m.nthFree(base+a, base+b, k)
			}
			l -= b - a + 1
			a = 0
		}
	}
	panic("epstein: empty cell count out of step")
}

// see adds d (packed, e.g. -oneAct) to the counts of every cell from which
// cell p is in sight (the shape is symmetric, so these are the cells in
// sight of p).
func (m *Model) see(p int, d int64) {
	if m.interior(p) {
		for s := range m.sp {
			q := m.spanAt(p, &m.sp[s])
			seg := m.vis[q : q+m.sp[s].len]
			for k := range seg {
				seg[k] += uint64(d)
			}
		}
		return
	}
	w := m.cfg.Width
	x0, y0 := p%w, p/w
	for _, sp := range m.sp {
		base := m.wrapY(y0+sp.dy) * w
		a, l := m.wrapX(x0+sp.lo), sp.hi-sp.lo+1
		for l > 0 {
			b := min(a+l-1, w-1)
			seg := m.vis[base+a : base+b+1]
			for k := range seg {
				seg[k] += uint64(d)
			}
			l -= b - a + 1
			a = 0
		}
	}
}

// mark adds d at the first cell of every stretch of cells in sight of
// cell p (as see would) and subtracts it after the last one: a running sum
// of the marks over the row-major grid then gives the counts in sight.
func (m *Model) mark(p int, d uint64) {
	vis := m.vis
	if m.interior(p) {
		for s := range m.sp {
			q := m.spanAt(p, &m.sp[s])
			vis[q] += d
			vis[q+m.sp[s].len] -= d
		}
		return
	}
	w := m.cfg.Width
	x0, y0 := p%w, p/w
	for _, sp := range m.sp {
		base := m.wrapY(y0+sp.dy) * w
		a, l := m.wrapX(x0+sp.lo), sp.hi-sp.lo+1
		for l > 0 {
			b := min(a+l-1, w-1)
			vis[base+a] += d
			vis[base+b+1] -= d
			l -= b - a + 1
			a = 0
		}
	}
}

// recount rebuilds vis and actN from the agents in sight: the cops and
// active citizens are counted per cell, their stretches in sight marked in
// row-major order (so that the rows written stay in cache), and the marks
// summed. Sums are taken modulo 2⁶⁴, so the packed counts come out exact.
func (m *Model) recount() {
	cnt := m.cnt // all zero between recounts
	for i := m.nc; i < len(m.ag); i++ {
		cnt[m.ag[i].pos] += oneCop
	}
	for wi, w := range m.ab {
		for ; w != 0; w &= w - 1 {
			cnt[m.ag[wi<<6+bits.TrailingZeros64(w)].pos] += oneAct
		}
	}
	clear(m.vis)
	for q, c := range cnt {
		m.actN[q] = int32(actsOf(c))
		if c != 0 {
			m.mark(q, c)
			cnt[q] = 0
		}
	}
	var run uint64
	for q, d := range m.vis[:m.n] {
		run += d
		m.vis[q] = run
	}
	m.vis[m.n] = 0
}

// link puts agent i on cell q, first in q's list.
func (m *Model) link(i int32, q int) {
	a := &m.ag[i]
	h := m.head[q]
	if h < 0 {
		m.free[q>>6] &^= 1 << (q & 63)
	} else {
		m.ag[h].prev = i
	}
	a.next, a.prev, a.pos = h, -1, int32(q)
	m.head[q] = i
}

// linkEmpty puts agent i on the empty cell q (without reading q's list).
func (m *Model) linkEmpty(i int32, q int) {
	m.free[q>>6] &^= 1 << (q & 63)
	a := &m.ag[i]
	a.next, a.prev, a.pos = -1, -1, int32(q)
	m.head[q] = i
}

// unlink takes agent i off its cell's list.
func (m *Model) unlink(i int32) {
	a := &m.ag[i]
	q := int(a.pos)
	if a.prev < 0 {
		m.head[q] = a.next
		if a.next < 0 {
			m.free[q>>6] |= 1 << (q & 63)
		}
	} else {
		m.ag[a.prev].next = a.next
	}
	if a.next >= 0 {
		m.ag[a.next].prev = a.prev
	}
}

// relocate moves agent i to cell q. Counts follow in the mesa variant (the
// phased ones recount after the move phase).
func (m *Model) relocate(i int32, q int) {
	m.track(i, q)
	m.unlink(i)
	m.link(i, q)
	m.mb.add(i)
}

// moveTo moves agent i to the empty cell q.
func (m *Model) moveTo(i int32, q int) {
	m.track(i, q)
	m.unlink(i)
	m.linkEmpty(i, q)
	m.mb.add(i)
}

// track moves agent i's part of the counts to cell q, in the mesa variant.
func (m *Model) track(i int32, q int) {
	if !m.mesa {
		return
	}
	a := &m.ag[i]
	p := int(a.pos)
	if a.cop {
		m.see(p, -oneCop)
		m.see(q, oneCop)
	} else if a.state == active {
		m.see(p, -oneAct)
		m.see(q, oneAct)
		m.actN[p]--
		m.actN[q]++
	}
}

// arrestProb is the estimated arrest probability from c cops and a active
// citizens in sight (not counting the agent).
func (m *Model) arrestProb(c, a int) float64 {
	var ratio float64
	switch m.cfg.Variant {
	case Paper:
		ratio = float64(c) / float64(a+1)
		return 1 - math.Exp(-m.cfg.K*ratio)
	case NetLogo:
		ratio = math.Floor(float64(c) / float64(a+1))
	case Mesa:
		ratio = math.RoundToEven(float64(c) / float64(a+1))
	}
	if k := int(ratio); k < len(m.pTab) {
		return m.pTab[k]
	}
	return 1 - math.Exp(-m.cfg.K*ratio)
}

// decide sets citizen i's state.
func (m *Model) decide(i int32) {
	ag := &m.ag[i]
	if ag.calm {
		return
	}
	p := int(ag.pos)
	v := m.vis[p]
	c, a := copsOf(v), actsOf(v)
	was := ag.state
	if m.cfg.Variant == NetLogo && was == active {
		a++ // NetLogo's neighbourhood holds the agent's own patch, and so the agent
	}
	tr := &m.tr[i]
	if tr.hard*(1-m.cfg.Legitimacy)-tr.risk*m.arrestProb(c, a) > m.cfg.Threshold {
		ag.state = active
	} else {
		ag.state = quiet
	}
	if was == active && ag.state != active {
		m.see(p, -oneAct)
		m.actN[p]--
		m.ab.remove(i)
	} else if was != active && ag.state == active {
		m.see(p, oneAct)
		m.actN[p]++
		m.ab.add(i)
	}
}

// enforce lets cop i arrest a random active citizen in sight: the k-th of
// the active citizens listed cell by cell in sight order, each cell's in the
// order of its list in the reference.
func (m *Model) enforce(i int32, r *rand.Rand) {
	p := int(m.ag[i].pos)
	total := actsOf(m.vis[p])
	if total == 0 {
		return
	}
	q, k := m.nthActive(p, r.IntN(total))
	s := m.activeOn(q, k)
	m.see(q, -oneAct)
	m.actN[q]--
	m.ag[s].state = jailed
	m.ab.remove(s)
	m.jb.add(s)
	m.Arrests++
	switch m.cfg.Variant {
	case Paper:
		m.jail[s] = int32(r.IntN(m.cfg.MaxJail + 1))
	case NetLogo:
		m.jail[s] = int32(r.IntN(m.cfg.MaxJail))
	case Mesa:
		j := int32(r.IntN(m.cfg.MaxJail + 1))
		if !m.done.has(s) {
			// The citizen's turn of this step is still to come: in Mesa
			// it then counts its sentence down (Citizen.step), or acts
			// when the sentence is 0.
			if j > 0 {
				j--
			} else {
				m.pend.add(s)
			}
		}
		m.jail[s] = j
	}
	if !m.mesa {
		// The cop takes the arrested citizen's cell; the jailed citizen
		// leaves sight and stops blocking it.
		m.unlink(s)
		m.relocate(i, q)
	}
}

// nthActive returns the cell in sight of cell p holding the k-th active
// citizen in sight order, and that citizen's rank on the cell.
func (m *Model) nthActive(p, k int) (q, rank int) {
	if m.interior(p) {
		for s := range m.sp {
			q := m.spanAt(p, &m.sp[s])
			for j, n := range m.actN[q : q+m.sp[s].len] {
				if k < int(n) {
					return q + j, k
				}
				k -= int(n)
			}
		}
	}
	w := m.cfg.Width
	x0, y0 := p%w, p/w
	for _, sp := range m.sp {
		base := m.wrapY(y0+sp.dy) * w
		a, l := m.wrapX(x0+sp.lo), sp.hi-sp.lo+1
		for l > 0 {
			b := min(a+l-1, w-1)
			for x := base + a; x <= base+b; x++ {
				if n := int(m.actN[x]); k < n {
					return x, k
				} else {
					k -= n
				}
			}
			l -= b - a + 1
			a = 0
		}
	}
	panic("epstein: active count out of step")
}

// activeOn returns the k-th active citizen on cell q in the order of the
// reference's cell lists, which it rebuilt at the start of every tick: first
// the agents that moved onto q during the tick, the latest first, then the
// others by decreasing index. Here a cell's list holds the agents that moved
// onto it this tick first, the latest first (they were put at its head),
// then the others in no particular order, which are sorted.
func (m *Model) activeOn(q, k int) int32 {
	cand := m.cand[:0]
	for j := m.head[q]; j >= 0; j = m.ag[j].next {
		if !m.ag[j].cop && m.ag[j].state == active && m.mb.has(j) {
			cand = append(cand, j)
		}
	}
	moved := len(cand)
	if k >= moved {
		for j := m.head[q]; j >= 0; j = m.ag[j].next {
			if !m.ag[j].cop && m.ag[j].state == active && !m.mb.has(j) {
				cand = append(cand, j)
			}
		}
		for a := moved + 1; a < len(cand); a++ { // insertion sort: a handful at most
			for b := a; b > moved && cand[b] > cand[b-1]; b-- {
				cand[b], cand[b-1] = cand[b-1], cand[b]
			}
		}
	}
	m.cand = cand
	return cand[k]
}

// Step advances one tick.
func (m *Model) Step(ctx context.Context, t int, r *rand.Rand) error {
	m.Arrests = 0
	clear(m.mb)
	if m.mesa {
		clear(m.done)
	}
	// Release citizens whose term ended (they return quiet, in place).
	for wi, w := range m.jb {
		for ; w != 0; w &= w - 1 {
			i := int32(wi<<6 + bits.TrailingZeros64(w))
			if m.jail[i] > 0 {
				m.jail[i]--
				continue
			}
			m.jb.remove(i)
			a := &m.ag[i]
			a.state = quiet
			if !m.mesa {
				m.link(i, int(a.pos))
			}
		}
	}
	// Random order: math/rand/v2's Shuffle, without the closure.
	ord := m.ord
	for k := len(ord) - 1; k > 0; k-- {
		j := int(r.Uint64N(uint64(k + 1)))
		ord[k], ord[j] = ord[j], ord[k]
	}
	if m.mesa {
		// Random-order sequential activation: citizens decide then move,
		// cops arrest then move. (Records loaded ahead as below.)
		n := len(ord)
		m.warm(ord[:min(block, n)])
		m.warm(ord[min(block, n):min(2*block, n)])
		m.warmCell(ord[:min(block, n)])
		for k0 := 0; k0 < n; k0 += block {
			k1 := min(k0+block, n)
			m.warm(ord[min(k1+block, n):min(k1+2*block, n)])
			m.warmCell(ord[k1:min(k1+block, n)])
			for _, i := range ord[k0:k1] {
				a := &m.ag[i]
				m.done.add(i)
				if a.state == jailed {
					if !m.pend.has(i) {
						continue
					}
					// arrested earlier this step with a sentence of 0:
					// free on its turn, as in Mesa
					m.pend.remove(i)
					m.jb.remove(i)
					a.state = quiet
				}
				if a.cop {
					m.enforce(i, r)
				} else {
					m.decide(i)
				}
				if q := m.pick(int(a.pos), r); q >= 0 {
					m.moveTo(i, q)
				}
			}
		}
		return nil
	}
	// Phased activation, each phase in the tick's random order, restricted
	// (with the bitsets, without touching the records) to the agents for
	// which the phase does anything. On large grids the agents' records and
	// cells are cache misses in random order; each block of agents has its
	// data loaded ahead (warm), so that the misses overlap instead of
	// stalling one by one.
	sub := m.sub[:0]
	for _, i := range ord {
		if !m.jb.has(i) {
			sub = append(sub, i)
		}
	}
	n := len(sub)
	m.warm(sub[:min(2*block, n)])
	for k0 := 0; k0 < n; k0 += block { // move
		k1 := min(k0+block, n)
		m.warm(sub[min(k1+block, n):min(k1+2*block, n)])
		for _, i := range sub[k0:k1] {
			if q := m.pick(int(m.ag[i].pos), r); q >= 0 {
				m.moveTo(i, q)
			}
		}
	}
	m.recount()
	sub = sub[:0]
	for _, i := range ord {
		if !m.fb.has(i) && !m.jb.has(i) {
			sub = append(sub, i)
		}
	}
	m.decideAll(sub)
	sub = sub[:0]
	nc := int32(m.nc)
	for _, i := range ord {
		if i >= nc {
			sub = append(sub, i)
		}
	}
	m.enforceAll(sub, r)
	m.sub = sub
	return nil
}

// decideAll lets citizens ids decide, in order, their data loaded ahead.
func (m *Model) decideAll(ids []int32) {
	n := len(ids)
	m.warm(ids[:min(block, n)])
	m.warm(ids[min(block, n):min(2*block, n)])
	m.warmCell(ids[:min(block, n)])
	for k0 := 0; k0 < n; k0 += block {
		k1 := min(k0+block, n)
		m.warm(ids[min(k1+block, n):min(k1+2*block, n)])
		m.warmCell(ids[k1:min(k1+block, n)])
		for _, i := range ids[k0:k1] {
			m.decide(i)
		}
	}
}

// enforceAll lets cops ids arrest, in order, their data loaded ahead.
func (m *Model) enforceAll(ids []int32, r *rand.Rand) {
	n := len(ids)
	m.warm(ids[:min(block, n)])
	m.warm(ids[min(block, n):min(2*block, n)])
	m.warmCell(ids[:min(block, n)])
	for k0 := 0; k0 < n; k0 += block {
		k1 := min(k0+block, n)
		m.warm(ids[min(k1+block, n):min(k1+2*block, n)])
		m.warmCell(ids[k1:min(k1+block, n)])
		for _, i := range ids[k0:k1] {
			m.enforce(i, r)
		}
	}
}

// block is the number of agents whose data is loaded ahead of use.
const block = 32

// warm loads the records of agents ids, all at once.
func (m *Model) warm(ids []int32) {
	var s int32
	for _, i := range ids {
		s += m.ag[i].pos
	}
	m.sink += s
}

// warmCell loads, for agents ids (their records warm), the counts at their
// cells and their traits.
func (m *Model) warmCell(ids []int32) {
	var s uint64
	for _, i := range ids {
		s += m.vis[m.ag[i].pos] + math.Float64bits(m.tr[i].risk)
	}
	m.sink += int32(s)
}

// Counts returns the number of quiet, active and jailed citizens and of
// cops.
func (m *Model) Counts() (q, a, j, cops int) {
	a, j = m.ab.count(), m.jb.count()
	return m.nc - a - j, a, j, len(m.ag) - m.nc
}

// Header implements abm.Observer.
func (m *Model) Header() []string { return []string{"quiet", "active", "jailed", "cops", "arrests"} }

// Observe implements abm.Observer.
func (m *Model) Observe(dst []float64) {
	q, a, j, c := m.Counts()
	dst[0], dst[1], dst[2], dst[3], dst[4] = float64(q), float64(a), float64(j), float64(c), float64(m.Arrests)
}
