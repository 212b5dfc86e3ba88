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
//     jail terms uniform on 0..J inclusive.
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

// cellState counts, on one cell, the agents blocking it (occ) and the
// visible cops and active citizens (kept together: one cache line a cell).
type cellState struct{ occ, cop, act int32 }

// span is the part of row dy (relative) in sight: dx from lo to hi.
type span struct{ dy, lo, hi int }

// Model is an Epstein grid. It implements abm.Model and abm.Observer.
type Model struct {
	cfg     Config
	n       int         // cells
	cells   []cellState // per cell: blocking agents, visible cops and active citizens
	pos     []int       // agent cell
	isCop   []bool
	hard    []float64
	risk    []float64
	state   []uint8
	jail    []int
	sight   []int // offsets (dx, dy pairs) of the vision shape
	order   []int
	scratch []int
	index   []int
	spans   []span // the vision shape as row segments, in sight order

	Arrests int // arrests in the last tick
}

// New validates cfg and allocates a model.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, n: cfg.Width * cfg.Height}
	v := cfg.Vision
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
			if in {
				m.sight = append(m.sight, dx, dy)
			}
		}
	}
	for k := 0; k < len(m.sight); k += 2 {
		dx, dy := m.sight[k], m.sight[k+1]
		if n := len(m.spans); n > 0 && m.spans[n-1].dy == dy && m.spans[n-1].hi+1 == dx {
			m.spans[n-1].hi = dx
		} else if n > 0 && m.spans[n-1].dy == dy && m.spans[n-1].hi == -1 && dx == 1 {
			m.spans[n-1].hi = dx // bridge the agent's own cell, skipped when scanning
		} else {
			m.spans = append(m.spans, span{dy: dy, lo: dx, hi: dx})
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

// Reset places citizens and cops on random distinct cells.
func (m *Model) Reset(r *rand.Rand) error {
	c := m.cfg
	nc := int(math.Round(c.CitizenDensity * float64(m.n)))
	nk := int(math.Round(c.CopDensity * float64(m.n)))
	total := nc + nk
	m.cells = make([]cellState, m.n)
	m.pos = make([]int, total)
	m.isCop = make([]bool, total)
	m.hard = make([]float64, total)
	m.risk = make([]float64, total)
	m.state = make([]uint8, total)
	m.jail = make([]int, total)
	m.order = make([]int, total)
	m.index = make([]int, m.n+total)
	cells := r.Perm(m.n)
	for i := 0; i < total; i++ {
		m.pos[i] = cells[i]
		m.cells[cells[i]].occ++
		m.isCop[i] = i >= nc
		m.order[i] = i
		if !m.isCop[i] {
			m.hard[i], m.risk[i] = r.Float64(), r.Float64()
		}
	}
	return nil
}

// cell returns the cell at offset (dx, dy) from cell p on the torus.
func (m *Model) cell(p, dx, dy int) int {
	w, h := m.cfg.Width, m.cfg.Height
	x, y := (p%w+dx+w)%w, (p/w+dy+h)%h
	return y*w + x
}

// seen counts, in agent i's sight, the cops and the active citizens, and
// collects the empty cells (for moving) into m.scratch, in sight order.
func (m *Model) seen(i int) (cops, actives int) {
	m.scratch = m.scratch[:0]
	w, h := m.cfg.Width, m.cfg.Height
	p := m.pos[i]
	x0, y0 := p%w, p/w
	cells := m.cells
	for _, sp := range m.spans {
		y := ((y0+sp.dy)%h + h) % h
		base := y * w
		x := ((x0+sp.lo)%w + w) % w // wrapped once per row, then stepped
		for dx := sp.lo; dx <= sp.hi; dx++ {
			q := base + x
			if x++; x == w {
				x = 0
			}
			if dx == 0 && sp.dy == 0 {
				continue
			}
			c := &cells[q]
			if c.occ == 0 {
				m.scratch = append(m.scratch, q)
			}
			cops += int(c.cop)
			actives += int(c.act)
		}
	}
	return cops, actives
}

// track adds d to the visible counts of agent i's kind at cell q.
func (m *Model) track(i, q int, d int32) {
	if m.isCop[i] {
		m.cells[q].cop += d
	} else if m.state[i] == active {
		m.cells[q].act += d
	}
}

// buildIndex builds a linked list of the agents on each cell: index[cell] is
// the first agent, index[n+agent] the next one (-1 ends).
func (m *Model) buildIndex() {
	index := m.index
	for i := range index[:m.n] {
		index[i] = -1
	}
	for q := range m.cells {
		m.cells[q].cop, m.cells[q].act = 0, 0
	}
	for i := range m.pos {
		if m.state[i] == jailed && m.cfg.Variant != Mesa {
			continue // jailed agents are out of sight
		}
		index[m.n+i] = index[m.pos[i]]
		index[m.pos[i]] = i
		m.track(i, m.pos[i], 1)
	}
}

// arrestProb is the estimated arrest probability from c cops and a active
// citizens in sight (not counting the agent).
func (m *Model) arrestProb(c, a int) float64 {
	var ratio float64
	switch m.cfg.Variant {
	case Paper:
		ratio = float64(c) / float64(a+1)
	case NetLogo:
		ratio = math.Floor(float64(c) / float64(a+1))
	case Mesa:
		ratio = math.RoundToEven(float64(c) / float64(a+1))
	}
	return 1 - math.Exp(-m.cfg.K*ratio)
}

func (m *Model) grievance(i int) float64 { return m.hard[i] * (1 - m.cfg.Legitimacy) }

// decide sets citizen i's state.
func (m *Model) decide(i int) {
	c, a := m.seen(i)
	if m.cfg.Variant == NetLogo && m.state[i] == active {
		a++ // NetLogo's neighbourhood holds the agent's own patch, and so the agent
	}
	was := m.state[i]
	if m.grievance(i)-m.risk[i]*m.arrestProb(c, a) > m.cfg.Threshold {
		m.state[i] = active
	} else {
		m.state[i] = quiet
	}
	if was == active && m.state[i] != active {
		m.cells[m.pos[i]].act--
	} else if was != active && m.state[i] == active {
		m.cells[m.pos[i]].act++
	}
}

// move moves agent i to a random empty cell in sight (m.scratch must hold
// them, from seen).
func (m *Model) move(i int, r *rand.Rand) {
	if len(m.scratch) == 0 {
		return
	}
	q := m.scratch[r.IntN(len(m.scratch))]
	m.relocate(i, q)
}

func (m *Model) relocate(i, q int) {
	index := m.index
	p := m.pos[i]
	m.cells[p].occ--
	m.cells[q].occ++
	m.track(i, p, -1)
	m.track(i, q, 1)
	// unlink i from p's list, link into q's
	for prev, j := -1, index[p]; j >= 0; prev, j = j, index[m.n+j] {
		if j == i {
			if prev < 0 {
				index[p] = index[m.n+j]
			} else {
				index[m.n+prev] = index[m.n+j]
			}
			break
		}
	}
	index[m.n+i] = index[q]
	index[q] = i
	m.pos[i] = q
}

// enforce lets cop i arrest a random active citizen in sight.
func (m *Model) enforce(i int, r *rand.Rand) {
	index := m.index
	p := m.pos[i]
	var cand []int
	for k := 0; k < len(m.sight); k += 2 {
		q := m.cell(p, m.sight[k], m.sight[k+1])
		for j := index[q]; j >= 0; j = index[m.n+j] {
			if !m.isCop[j] && m.state[j] == active {
				cand = append(cand, j)
			}
		}
	}
	if len(cand) == 0 {
		return
	}
	s := cand[r.IntN(len(cand))]
	m.cells[m.pos[s]].act--
	m.state[s] = jailed
	m.Arrests++
	switch m.cfg.Variant {
	case Paper:
		m.jail[s] = r.IntN(m.cfg.MaxJail + 1)
	case NetLogo:
		m.jail[s] = r.IntN(m.cfg.MaxJail)
	case Mesa:
		m.jail[s] = r.IntN(m.cfg.MaxJail + 1)
	}
	if m.cfg.Variant != Mesa {
		// The cop takes the arrested citizen's cell; the jailed citizen
		// leaves sight and stops blocking it.
		m.cells[m.pos[s]].occ--
		for prev, j := -1, index[m.pos[s]]; j >= 0; prev, j = j, index[m.n+j] {
			if j == s {
				if prev < 0 {
					index[m.pos[s]] = index[m.n+j]
				} else {
					index[m.n+prev] = index[m.n+j]
				}
				break
			}
		}
		m.relocate(i, m.pos[s])
	}
}

// Step advances one tick.
func (m *Model) Step(ctx context.Context, t int, r *rand.Rand) error {
	m.Arrests = 0
	// Release citizens whose term ended (they return quiet, in place).
	for i := range m.pos {
		if m.state[i] == jailed {
			if m.jail[i] > 0 {
				m.jail[i]--
				continue
			}
			m.state[i] = quiet
			if m.cfg.Variant != Mesa {
				m.cells[m.pos[i]].occ++
			}
		}
	}
	m.buildIndex()
	r.Shuffle(len(m.order), func(a, b int) { m.order[a], m.order[b] = m.order[b], m.order[a] })
	if m.cfg.Variant == Mesa {
		for _, i := range m.order {
			if m.state[i] == jailed {
				continue
			}
			if m.isCop[i] {
				m.enforce(i, r)
				m.seen(i)
				m.move(i, r)
				continue
			}
			m.decide(i)
			m.move(i, r)
		}
		return nil
	}
	for _, i := range m.order { // move
		if m.state[i] != jailed {
			m.seen(i)
			m.move(i, r)
		}
	}
	for _, i := range m.order { // decide
		if !m.isCop[i] && m.state[i] != jailed {
			m.decide(i)
		}
	}
	for _, i := range m.order { // enforce
		if m.isCop[i] {
			m.enforce(i, r)
		}
	}
	return nil
}

// Counts returns the number of quiet, active and jailed citizens and of
// cops.
func (m *Model) Counts() (q, a, j, cops int) {
	for i := range m.pos {
		switch {
		case m.isCop[i]:
			cops++
		case m.state[i] == active:
			a++
		case m.state[i] == jailed:
			j++
		default:
			q++
		}
	}
	return
}

// Header implements abm.Observer.
func (m *Model) Header() []string { return []string{"quiet", "active", "jailed", "cops", "arrests"} }

// Observe implements abm.Observer.
func (m *Model) Observe(dst []float64) {
	q, a, j, c := m.Counts()
	dst[0], dst[1], dst[2], dst[3], dst[4] = float64(q), float64(a), float64(j), float64(c), float64(m.Arrests)
}
