package agents

import (
	"math"
	"math/rand/v2"

	"github.com/turncoat-abm/turncoat/internal/seed"
)

// MaxGroups is the largest number of groups (ethnic or social) a
// population can distinguish.
const MaxGroups = 16

// BlockSize is the number of agents that share one random stream within a
// tick. Streams are keyed by (run key, tick, role, region, block), so a tick's
// draws do not depend on how blocks are shared among goroutines.
const BlockSize = 4096

// Population holds the agents of one role as struct-of-arrays columns,
// grouped by region: agents Offset[g] to Offset[g+1]-1 live in region g.
//
// Align is the ideological alignment with the regime a ∈ [0,1]; Econ is the
// economic hardship h ∈ [0,1] (citizens) or the outside option o > 0
// (soldiers, elites); Risk is risk aversion ρ ∈ [0,1]; Thresh is the personal
// threshold θ. Group is the agent's group (< MaxGroups). Timer counts the
// ticks left in jail or purge.
type Population struct {
	Role   Role
	Offset []int
	Group  []uint8
	Align  []float32
	Econ   []float32
	Risk   []float32
	Thresh []float32
	State  []State
	Timer  []uint16
	// Strategy is each agent's repeated-game strategy (a Strategy), only
	// for populations under the game rule (nil otherwise; see
	// InitStrategies).
	Strategy []uint8

	stream *Stream // for StepRegion
}

// Stream is a reseedable random stream for stepping blocks: one per
// goroutine. The zero value is not usable; call NewStream.
type Stream struct {
	pcg rand.PCG
	r   *rand.Rand
}

// NewStream returns a Stream.
func NewStream() *Stream {
	s := &Stream{}
	s.r = rand.New(&s.pcg)
	return s
}

// NewPopulation allocates a population of role with count[g] agents in
// region g, all loyal with zero attributes.
func NewPopulation(role Role, count []int) *Population {
	p := &Population{Role: role, Offset: make([]int, len(count)+1)}
	for g, c := range count {
		p.Offset[g+1] = p.Offset[g] + c
	}
	n := p.Offset[len(count)]
	p.Group = make([]uint8, n)
	p.Align = make([]float32, n)
	p.Econ = make([]float32, n)
	p.Risk = make([]float32, n)
	p.Thresh = make([]float32, n)
	p.State = make([]State, n)
	p.Timer = make([]uint16, n)
	p.stream = NewStream()
	return p
}

// Len returns the number of agents.
func (p *Population) Len() int { return len(p.State) }

// Regions returns the number of regions.
func (p *Population) Regions() int { return len(p.Offset) - 1 }

// Reset puts every agent back to loyal with no jail term.
func (p *Population) Reset() {
	clear(p.State)
	clear(p.Timer)
}

// Terms are the per-tick, per-region quantities an agent of one role combines
// with its own attributes. With a the agent's alignment, ρ its risk aversion
// and e its economic term, the net utility of defecting is
//
//	U = Ideo·(1−a) + e + Social + GroupSocial[group] − Coerce·ρ
//
// where e = Econ·h for citizens (Pay == false) and
// e = Econ·clamp((o − Paid)/o, 0, 1) for soldiers and elites (Pay == true).
type Terms struct {
	Ideo   float64 // wI·(1 − L): weight of the ideological gap
	Econ   float64 // wE, times regional hardship H for citizens
	Pay    bool    // economic term from pay against the outside option
	Paid   float64 // pay actually received this tick (pay roles)
	Social float64 // wS·S: weighted defected share observed last tick
	// GroupSocial adds the part of the social term read from the agent's
	// own group (ethnic or social segmentation of the signal).
	GroupSocial [MaxGroups]float64
	Coerce      float64 // wC·P·severity: expected cost per unit of risk aversion
	Rule        Rule

	// Net, when not nil, adds NetSocial·S_i to each agent's U, where S_i is
	// Net.Share(node of the agent, &NetObserves): the NetObserves-weighted
	// defected share of the agent's network neighbours at the end of the
	// last tick.
	Net         *Neighbourhood
	NetSocial   float64
	NetObserves [NumRoles]float64

	// Game holds the game rule's terms; it must be set when Rule.Kind is
	// "game" (and is ignored otherwise).
	Game *GameTerms

	// Modes, when not nil, lets agents choose among defection modes (voice,
	// exit, switch, shirk: see ModeTerms) instead of the rule's binary
	// choice. It is not combined with the game rule or a Decider.
	Modes *ModeTerms

	// Decider, when not nil, replaces the threshold or logit choice with a
	// user-defined rule (Rule.Hysteresis and Rule.Absorbing still apply;
	// see Decider). It is ignored under the game rule and when Modes is
	// set (regime.Model.SetDecider refuses both).
	Decider Decider

	Arrest     float64 // probability that a defector is jailed/purged this tick
	PurgeLoyal float64 // probability that a loyal agent is purged (false positive)
	TermMin    int     // shortest jail/purge term, ticks (>= 1)
	TermMax    int     // longest jail/purge term, ticks (>= TermMin)
}

// Tally counts the outcome of one region's step.
type Tally struct {
	Loyal, Defected, Jailed int
	NewDefections           int // loyal (or released) agents who defected this tick
	Returns                 int // defected agents who returned to loyalty
	Arrests                 int // agents jailed or purged this tick
	// DefectedBy counts the defected agents of each group.
	DefectedBy [MaxGroups]int
	// Under defection modes (Terms.Modes): Switched and Shirked count the
	// agents in those states, Emigrated the agents who have left (a stock,
	// this tick's departures included), Departed this tick's departures
	// and Fled those of them who fled (rather than leave with an exit visa).
	Switched, Shirked, Emigrated, Departed, Fled int
}

// Add accumulates o into t.
func (t *Tally) Add(o Tally) {
	t.Loyal += o.Loyal
	t.Defected += o.Defected
	t.Jailed += o.Jailed
	t.NewDefections += o.NewDefections
	t.Returns += o.Returns
	t.Arrests += o.Arrests
	for g := range t.DefectedBy {
		t.DefectedBy[g] += o.DefectedBy[g]
	}
	t.Switched += o.Switched
	t.Shirked += o.Shirked
	t.Emigrated += o.Emigrated
	t.Departed += o.Departed
	t.Fled += o.Fled
}

// StepRegion advances the agents of region g by one tick under k and returns
// their tally: StepBlock for each of the region's blocks, in order. It
// allocates nothing. It uses the population's own stream, so it is not safe
// for concurrent use; parallel steppers call StepBlock with a Stream each.
func (p *Population) StepRegion(g int, k *Terms, key uint64, tick int) Tally {
	var tl Tally
	for b := 0; b < p.Blocks(g); b++ {
		tl.Add(p.StepBlock(g, b, k, key, tick, p.stream))
	}
	return tl
}

// Blocks returns the number of blocks of region g (BlockSize agents each,
// the last one shorter).
func (p *Population) Blocks(g int) int {
	return (p.Offset[g+1] - p.Offset[g] + BlockSize - 1) / BlockSize
}

// StepBlock advances block b of region g by one tick under k and returns
// its tally. Its draws come from s reseeded with (key, tick, role, g, b), so
// the result does not depend on which goroutine steps which block. Blocks
// are disjoint: different blocks may be stepped concurrently, each with its
// own Stream. Under the game rule (k.Rule.Kind "game") k.Game must be set
// and the population must have a strategy column (InitStrategies):
// StepBlock panics otherwise.
func (p *Population) StepBlock(g, b int, k *Terms, key uint64, tick int, s *Stream) Tally {
	var tl Tally
	lo := p.Offset[g] + b*BlockSize
	hi := min(lo+BlockSize, p.Offset[g+1])
	s.pcg.Seed(seed.PCG(seed.Mix(seed.Mix3(key, uint64(tick), uint64(p.Role)<<32|uint64(g)), uint64(b))))
	if k.Rule.Kind == "game" {
		p.stepBlockGame(lo, hi, k, &tl, s.r)
		return tl
	}
	if k.Modes != nil {
		p.stepBlockModes(lo, hi, k, &tl, s.r)
		return tl
	}
	if k.Decider != nil {
		p.stepBlockDecider(lo, hi, k, &tl, s.r)
		return tl
	}
	p.stepBlock(lo, hi, k, &tl, s.r)
	return tl
}

func (p *Population) stepBlock(lo, hi int, k *Terms, tl *Tally, r *rand.Rand) {
	align, econ, risk, thresh := p.Align[lo:hi], p.Econ[lo:hi], p.Risk[lo:hi], p.Thresh[lo:hi]
	state, timer, group := p.State[lo:hi], p.Timer[lo:hi], p.Group[lo:hi]
	logit, absorbing := k.Rule.logit(), k.Rule.Absorbing
	invTau := 0.0
	if logit {
		invTau = 1 / k.Rule.Tau
	}
	hyst := k.Rule.Hysteresis
	span := k.TermMax - k.TermMin + 1
	net := k.Net
	nb := p.blockNetOf(k, lo, len(state))
	for i := range state {
		st := state[i]
		if st == Jailed {
			timer[i]--
			if timer[i] > 0 {
				tl.Jailed++
				continue
			}
			if absorbing {
				state[i] = Defected
				tl.Defected++
				tl.DefectedBy[group[i]&(MaxGroups-1)]++
			} else {
				state[i] = Loyal
				tl.Loyal++
			}
			continue
		}
		// Each product is converted explicitly so that no platform fuses it
		// into a multiply-add: results are bit-identical across
		// architectures (the Go spec allows fusion otherwise).
		e := k.econTerm(econ[i])
		gi := group[i] & (MaxGroups - 1)
		// Sums run left to right in a fixed order (also for bit-identical
		// results): ideology, economy, social, group, network, coercion.
		u := float64(k.Ideo*(1-float64(align[i]))) + e + k.Social + k.GroupSocial[gi]
		if net != nil {
			u += float64(k.NetSocial * rowShare(nb.adj[nb.offs[i]:nb.offs[i+1]], nb.bits, nb.w0, nb.w1, nb.w2, nb.b1, nb.b2, nb.uniform))
		}
		u -= float64(k.Coerce * float64(risk[i]))
		th := float64(thresh[i])
		defect := false
		switch {
		case st == Defected && absorbing:
			defect = true
		case logit:
			if st == Defected {
				th -= hyst
			}
			defect = r.Float64()*(1+math.Exp(-(u-th)*invTau)) < 1
		default:
			if st == Defected {
				th -= hyst
			}
			defect = u > th
		}
		// Defectors are detected with probability Arrest; loyal agents are
		// purged by mistake with probability PurgeLoyal. (stepBlockGame ends
		// its agents' ticks the same way; a shared helper is too large for
		// the compiler to inline, and the call per agent cost this kernel
		// 23% of its speed, 73 → 114 instructions per update.)
		jail := k.PurgeLoyal
		if defect {
			jail = k.Arrest
			if st != Defected {
				tl.NewDefections++
			}
		} else if st == Defected {
			tl.Returns++
		}
		switch {
		case jail > 0 && r.Float64() < jail:
			state[i] = Jailed
			timer[i] = uint16(k.TermMin + r.IntN(span))
			tl.Jailed++
			tl.Arrests++
		case defect:
			state[i] = Defected
			tl.Defected++
			tl.DefectedBy[gi]++
		default:
			state[i] = Loyal
			tl.Loyal++
		}
	}
}

// SetRegion puts every agent of region g into state s (for example when a
// region leaves and its agents go with it) and clears their jail terms.
// Emigrated agents have left the population and keep their state.
func (p *Population) SetRegion(g int, s State) {
	lo, hi := p.Offset[g], p.Offset[g+1]
	for i := lo; i < hi; i++ {
		if p.State[i] == Emigrated {
			continue
		}
		p.State[i] = s
		p.Timer[i] = 0
	}
}

// CountGroups counts the agents of region g by group.
func (p *Population) CountGroups(g int) (c [MaxGroups]int) {
	for _, k := range p.Group[p.Offset[g]:p.Offset[g+1]] {
		c[k&(MaxGroups-1)]++
	}
	return c
}

// econTerm returns the economic term e of an agent whose economic
// attribute is x (see Terms): Econ·clamp((x − Paid)/x, 0, 1) for a pay role
// (an outside option x <= 0, which validation prevents, counts as full
// grievance), Econ·x otherwise. The clamp avoids math.Min/Max's NaN and
// signed-zero handling (a −0 gap gives a −0 term, which adds and compares
// like +0), and the product is converted explicitly so that no platform
// fuses it into a multiply-add: results are bit-identical across
// architectures. Every kernel reads e through it.
func (k *Terms) econTerm(x float32) float64 {
	if !k.Pay {
		return float64(k.Econ * float64(x))
	}
	o := float64(x)
	gap := 1.0
	if o > 0 {
		gap = (o - k.Paid) / o
		if gap < 0 {
			gap = 0
		}
		if gap > 1 {
			gap = 1
		}
	}
	return float64(k.Econ * gap)
}

// blockNet is one block's view of the social network: the block's agents
// are consecutive nodes, so their row offsets are one slice and agent i's
// row is adj[offs[i]:offs[i+1]]; w and b are the observed roles' weights
// and node bases for rowShare.
type blockNet struct {
	offs       []int
	adj        []uint32
	bits       []uint64
	w0, w1, w2 float64
	b1, b2     uint32
	uniform    bool
}

// blockNetOf returns the network view of agents lo..lo+n−1 of p (the zero
// value without a network).
func (p *Population) blockNetOf(k *Terms, lo, n int) blockNet {
	net := k.Net
	if net == nil {
		return blockNet{}
	}
	node := net.Base[p.Role] + lo
	w0, w1, w2 := k.NetObserves[0], k.NetObserves[1], k.NetObserves[2]
	return blockNet{offs: net.Graph.Off[node : node+n+1], adj: net.Graph.Adj, bits: net.Defected,
		w0: w0, w1: w1, w2: w2, b1: uint32(net.Base[1]), b2: uint32(net.Base[2]), uniform: w0 == w1 && w1 == w2}
}
