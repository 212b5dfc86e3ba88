package agents

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"go.yaml.in/yaml/v3"
)

// Game holds the parameters of the "game" decision rule: each agent plays
// a repeated cooperate (stay loyal) / defect game with a fixed peer of its
// role and region, following a memory-one Strategy, and may imitate the
// strategies of better-paid peers. The payoffs and the continuation
// probability come from the model's state each tick (package regime);
// the fields below are in units of baseline pay per tick where they are
// payoffs.
//
// A Game whose every field is zero stands for DefaultGame(). When a rule
// is decoded from YAML, the fields its game block omits keep their
// DefaultGame values (so --set roles.elite.rule.kind=game works on its
// own, and --set roles.elite.rule.game.w_max=0.6 changes one field).
type Game struct {
	// Strategies is the initial mix: each agent's strategy is drawn with
	// probabilities proportional to these weights (at least one > 0).
	Strategies Mix `yaml:"strategies" json:"strategies"`
	// Noise ∈ [0,0.5] is ε, the probability that a noisy-* strategy's
	// intended move is flipped (implementation error).
	Noise float64 `yaml:"noise" json:"noise"`
	// Generosity ∈ [0,1] is q, the probability that generous tit-for-tat
	// cooperates after its partner defected (Nowak & Sigmund 1992: 1/3 for
	// Axelrod's payoffs).
	Generosity float64 `yaml:"generosity" json:"generosity"`
	// Imitation ∈ [0,1] is the probability per tick that an agent compares
	// its strategy with a random peer's and may switch to it.
	Imitation float64 `yaml:"imitation" json:"imitation"`
	// WMax ∈ [0,1) is the continuation probability when the regime is at
	// full strength: w = WMax · survival.
	WMax float64 `yaml:"w_max" json:"w_max"`
	// LegitimacyWeight ∈ [0,1] is how much the region's legitimacy L counts
	// in the perceived survival: a factor 1 − LegitimacyWeight·(1 − L).
	LegitimacyWeight float64 `yaml:"legitimacy_weight" json:"legitimacy_weight"`
	// Outside ≥ 0 is the defector's outside option per tick.
	Outside float64 `yaml:"outside" json:"outside"`
	// Premium ≥ 0 is the first-mover premium of a lone defector when the
	// regime falls (survival 0): it gets Premium·(1 − survival).
	Premium float64 `yaml:"premium" json:"premium"`
	// Retribution ≥ 0 is what a loyalist left behind by defecting peers
	// loses when the regime falls: S includes −Retribution·(1 − survival).
	Retribution float64 `yaml:"retribution" json:"retribution"`
}

// UnmarshalYAML decodes a rule starting from the rule already in r, with
// a zero Game replaced by DefaultGame(), so omitted game fields keep their
// defaults; a rule that is not of kind game keeps a zero Game (its YAML
// stays as before the game rule existed) unless the file sets one.
func (r *Rule) UnmarshalYAML(n *yaml.Node) error {
	type plain Rule
	p := plain(*r)
	if p.Game == (Game{}) {
		p.Game = DefaultGame()
	}
	if err := n.Decode(&p); err != nil {
		return err
	}
	if p.Kind != "game" && p.Game == DefaultGame() {
		p.Game = Game{}
	}
	*r = Rule(p)
	return nil
}

// Mix weights the strategies of an initial population (normalised by their
// sum). YAML names are the strategy names with noisy variants as
// noisy_<name>.
type Mix struct {
	AllC        float64 `yaml:"allc" json:"allc"`
	AllD        float64 `yaml:"alld" json:"alld"`
	TFT         float64 `yaml:"tft" json:"tft"`
	Grim        float64 `yaml:"grim" json:"grim"`
	Pavlov      float64 `yaml:"pavlov" json:"pavlov"`
	GTFT        float64 `yaml:"gtft" json:"gtft"`
	NoisyAllC   float64 `yaml:"noisy_allc" json:"noisy_allc"`
	NoisyAllD   float64 `yaml:"noisy_alld" json:"noisy_alld"`
	NoisyTFT    float64 `yaml:"noisy_tft" json:"noisy_tft"`
	NoisyGrim   float64 `yaml:"noisy_grim" json:"noisy_grim"`
	NoisyPavlov float64 `yaml:"noisy_pavlov" json:"noisy_pavlov"`
	NoisyGTFT   float64 `yaml:"noisy_gtft" json:"noisy_gtft"`
}

// UnmarshalYAML decodes a mix from zero: strategies a mix omits have
// weight 0 (not their DefaultGame weight).
func (m *Mix) UnmarshalYAML(n *yaml.Node) error {
	type plain Mix
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*m = Mix(p)
	return nil
}

// Weights returns the mix's weights indexed by Strategy.
func (m Mix) Weights() [NumStrategies]float64 {
	return [NumStrategies]float64{m.AllC, m.AllD, m.TFT, m.Grim, m.Pavlov, m.GTFT,
		m.NoisyAllC, m.NoisyAllD, m.NoisyTFT, m.NoisyGrim, m.NoisyPavlov, m.NoisyGTFT}
}

// MixOf returns the Mix with weights w indexed by Strategy.
func MixOf(w [NumStrategies]float64) Mix {
	return Mix{w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11]}
}

// DefaultGame returns the documented baseline of the game rule: a mix
// dominated by conditional cooperators (tit-for-tat 0.3, grim 0.1, Pavlov
// 0.1, generous tit-for-tat 0.1, their noisy variants 0.05 each with
// ε = 0.02), a few unconditional loyalists (allc 0.1) and unconditional
// defectors (alld 0.05); q = 1/3, imitation 0.05 per tick, w_max = 0.95,
// legitimacy weight 0.5, outside option 1, premium 1, retribution 0.5.
func DefaultGame() Game {
	return Game{
		Strategies: Mix{AllC: 0.1, AllD: 0.05, TFT: 0.3, Grim: 0.1, Pavlov: 0.1, GTFT: 0.1,
			NoisyTFT: 0.05, NoisyGrim: 0.05, NoisyPavlov: 0.05, NoisyGTFT: 0.05, NoisyAllC: 0.025, NoisyAllD: 0.025},
		Noise: 0.02, Generosity: 1.0 / 3, Imitation: 0.05, WMax: 0.95, LegitimacyWeight: 0.5,
		Outside: 1, Premium: 1, Retribution: 0.5,
	}
}

// Resolved returns g, or DefaultGame() when g is all zero.
func (g Game) Resolved() Game {
	if g == (Game{}) {
		return DefaultGame()
	}
	return g
}

// Validate reports invalid game parameters (as resolved).
func (g Game) Validate() error {
	g = g.Resolved()
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	sum := 0.0
	for i, w := range g.Strategies.Weights() {
		if !(w >= 0) || math.IsInf(w, 0) {
			add("strategies."+mixName(Strategy(i)), "must be finite and >= 0, got %g", w)
			continue
		}
		sum += w
	}
	if !(sum > 0) {
		add("strategies", "needs at least one weight > 0")
	}
	if !(g.Noise >= 0 && g.Noise <= 0.5) {
		add("noise", "must be in [0,0.5], got %g", g.Noise)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"generosity", g.Generosity}, {"imitation", g.Imitation}, {"legitimacy_weight", g.LegitimacyWeight}} {
		if !(f.v >= 0 && f.v <= 1) {
			add(f.name, "must be in [0,1], got %g", f.v)
		}
	}
	if !(g.WMax >= 0 && g.WMax < 1) {
		add("w_max", "must be in [0,1) (a continuation probability), got %g", g.WMax)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"outside", g.Outside}, {"premium", g.Premium}, {"retribution", g.Retribution}} {
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			add(f.name, "must be finite and >= 0, got %g", f.v)
		}
	}
	return errors.Join(errs...)
}

// mixName is the YAML name of s in a Mix.
func mixName(s Strategy) string {
	if s.IsNoisy() {
		return "noisy_" + strategyNames[s.Base()]
	}
	return s.String()
}

// GameTerms are the per-tick, per-region quantities of the game rule,
// computed by the model (Terms.Game points to them).
type GameTerms struct {
	// Coop[s][StateIndex(own, partner)] is strategy s's probability of
	// cooperating (noise included).
	Coop [NumStrategies][4]float64
	// MeanFieldD is the probability that a stand-in partner (for an agent
	// whose peer is jailed, or an odd one out) defected last tick: the
	// defected share of the region's role.
	MeanFieldD float64
	// Imitation is the probability per tick of revising one's strategy.
	Imitation float64
	// Cum is the cumulative distribution of strategies among the region's
	// role last tick (Cum[NumStrategies−1] = 1); a revising agent draws its
	// model from it.
	Cum [NumStrategies]float64
	// Value[s] is strategy s's expected payoff per round against the
	// region's mix; a revising agent switches from s to s' with
	// probability max(0, Value[s'] − Value[s]) / Spread.
	Value [NumStrategies]float64
	// Spread > 0 is the largest payoff difference, max − min of T, R, P, S.
	Spread float64
}

// InitStrategies gives the population a strategy column (if it has none)
// and draws every agent's strategy from weights w (any non-negative
// weights, not all zero) with r, in agent order.
func (p *Population) InitStrategies(w [NumStrategies]float64, r *rand.Rand) {
	if p.Strategy == nil {
		p.Strategy = make([]uint8, p.Len())
	}
	var cum [NumStrategies]float64
	sum := 0.0
	for i, x := range w {
		sum += x
		cum[i] = sum
	}
	for i := range p.Strategy {
		u := r.Float64() * sum
		s := NumStrategies - 1
		for k, c := range cum {
			if u < c {
				s = k
				break
			}
		}
		for w[s] == 0 && s > 0 { // never pick a zero-weight strategy through rounding
			s--
		}
		p.Strategy[i] = uint8(s)
	}
}

// CountStrategies counts the agents of region g by strategy (all zero for
// a population without a strategy column).
func (p *Population) CountStrategies(g int) (c [NumStrategies]int) {
	if p.Strategy == nil {
		return c
	}
	for _, s := range p.Strategy[p.Offset[g]:p.Offset[g+1]] {
		c[s%NumStrategies]++
	}
	return c
}

// stepBlockGame is stepBlock for the game rule. Agents are paired with a
// fixed peer: the region's agents 2j and 2j+1 (blocks start at even offsets
// within a region, so pairs never straddle blocks). Both see each other's
// state at the end of last tick (Loyal = cooperated, Defected = defected);
// an agent whose peer is jailed, and the odd one out of a region, see a
// stand-in partner who defected with probability MeanFieldD. Then each
// agent may imitate (GameTerms), moves by its strategy's table, and is
// arrested or purged as under the other rules.
//
// Revising agents are found by geometric skips over the block (a Bernoulli
// process with probability Imitation over the agents, jailed ones passed
// over): one uniform per revising agent instead of one per agent.
func (p *Population) stepBlockGame(lo, hi int, k *Terms, tl *Tally, r *rand.Rand) {
	state, timer, strat, group := p.State[lo:hi], p.Timer[lo:hi], p.Strategy[lo:hi], p.Group[lo:hi]
	gt := k.Game
	absorbing := k.Rule.Absorbing
	span := k.TermMax - k.TermMin + 1
	n := len(state)
	logKeep := math.Log1p(-gt.Imitation) // ln(1 − imitation): −Inf at 1, 0 at 0 (nobody revises)
	revise := n
	if gt.Imitation > 0 {
		revise = skip(r, logKeep, n)
	}
	for j := 0; j < n; j += 2 {
		var partner [2]Move // what each member saw its peer do last tick
		m := 2
		if j+1 < n {
			partner[0] = lastMove(state[j+1], gt.MeanFieldD, r)
			partner[1] = lastMove(state[j], gt.MeanFieldD, r)
		} else {
			m = 1
			partner[0] = lastMove(Jailed, gt.MeanFieldD, r)
		}
		for h := 0; h < m; h++ {
			i := j + h
			st := state[i]
			s := strat[i] % NumStrategies
			gi := group[i] & (MaxGroups - 1)
			if i == revise {
				revise = i + 1 + skip(r, logKeep, n)
				if st != Jailed {
					// Imitation (replicator-style): compare with a random
					// peer's strategy, drawn from last tick's mix, and switch
					// with probability proportional to the payoff advantage.
					u := r.Float64()
					model := uint8(NumStrategies - 1)
					for c, x := range gt.Cum {
						if u < x {
							model = uint8(c)
							break
						}
					}
					if gain := gt.Value[model] - gt.Value[s]; gain > 0 && r.Float64()*gt.Spread < gain {
						s = model
						strat[i] = model
					}
				}
			}
			if st == Jailed {
				timer[i]--
				if timer[i] > 0 {
					tl.Jailed++
					continue
				}
				if absorbing {
					state[i] = Defected
					tl.Defected++
					tl.DefectedBy[gi]++
				} else {
					state[i] = Loyal
					tl.Loyal++
				}
				continue
			}
			defect := true
			if st != Defected || !absorbing {
				own := 0
				if st == Defected {
					own = 2
				}
				c := gt.Coop[s][own|int(partner[h])]
				switch {
				case c >= 1:
					defect = false
				case c <= 0:
				default:
					defect = r.Float64() >= c
				}
			}
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
}

// skip returns the number of agents passed over before the next revising
// one: ⌊ln U / ln(1 − imitation)⌋ with U uniform on (0,1] (one draw),
// capped at n.
func skip(r *rand.Rand, logKeep float64, n int) int {
	g := math.Log(1-r.Float64()) / logKeep
	if !(g < float64(n)) { // also NaN (imitation 0 has no revisions)
		return n
	}
	return int(g)
}

// lastMove returns the move of a peer in state s: Loyal cooperated,
// Defected defected; a jailed (absent) peer is replaced by a stand-in who
// defected with probability d (one draw).
func lastMove(s State, d float64, r *rand.Rand) Move {
	switch s {
	case Loyal:
		return Cooperate
	case Defected:
		return Defect
	}
	if r.Float64() < d {
		return Defect
	}
	return Cooperate
}
