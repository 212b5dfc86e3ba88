package agents

import (
	"math/rand/v2"
)

// Decision is what a user-defined decision rule (a Decider) sees of one
// agent in one tick. U and Threshold are computed exactly as for the
// built-in rules, so `d.U > d.Threshold` is the threshold rule.
type Decision struct {
	// U is the agent's net utility of defecting,
	// wI·I + wE·E + wS·S (+ group and network terms) − wC·C.
	U float64
	// Threshold is the agent's threshold θ, less Rule.Hysteresis when the
	// agent defected last tick.
	Threshold float64
	// Defected reports whether the agent defected last tick. Jailed agents
	// are not asked, nor defected agents under an absorbing rule.
	Defected bool
	// Group is the agent's group index (Config.Groups order).
	Group int
	// Alignment, Economic and RiskAversion are the agent's attributes:
	// alignment with the regime, hardship or outside option, risk
	// aversion.
	Alignment, Economic, RiskAversion float64
}

// Decider is a user-defined decision rule: Decide returns whether the agent
// described by d defects this tick. r is the stream of the agent's block of
// 4096 agents, seeded from (run seed, tick, role, region, block): draw from
// it, and only from it, for stochastic rules, and the run stays
// reproducible for any worker count. Decide is called for agents of
// different blocks concurrently when the model runs with several workers:
// it must be safe for concurrent use (a rule without mutable state is).
// Jail terms, arrests, purges and the absorbing option stay the model's.
type Decider interface {
	Decide(d Decision, r *rand.Rand) bool
}

// DecideFunc adapts a function to a Decider.
type DecideFunc func(d Decision, r *rand.Rand) bool

// Decide calls f.
func (f DecideFunc) Decide(d Decision, r *rand.Rand) bool { return f(d, r) }

// stepBlockDecider is stepBlock with the threshold/logit choice replaced by
// k.Decider. It is kept apart so the built-in kernel stays specialised.
func (p *Population) stepBlockDecider(lo, hi int, k *Terms, tl *Tally, r *rand.Rand) {
	align, econ, risk, thresh := p.Align[lo:hi], p.Econ[lo:hi], p.Risk[lo:hi], p.Thresh[lo:hi]
	state, timer, group := p.State[lo:hi], p.Timer[lo:hi], p.Group[lo:hi]
	absorbing, dec := k.Rule.Absorbing, k.Decider
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
		// The same terms in the same order as stepBlock (bit-identical U).
		e := k.econTerm(econ[i])
		gi := group[i] & (MaxGroups - 1)
		u := float64(k.Ideo*(1-float64(align[i]))) + e + k.Social + k.GroupSocial[gi]
		if net != nil {
			u += float64(k.NetSocial * rowShare(nb.adj[nb.offs[i]:nb.offs[i+1]], nb.bits, nb.w0, nb.w1, nb.w2, nb.b1, nb.b2, nb.uniform))
		}
		u -= float64(k.Coerce * float64(risk[i]))
		var defect bool
		if st == Defected && absorbing {
			defect = true
		} else {
			th := float64(thresh[i])
			if st == Defected {
				th -= hyst
			}
			defect = dec.Decide(Decision{U: u, Threshold: th, Defected: st == Defected, Group: int(gi),
				Alignment: float64(align[i]), Economic: float64(econ[i]), RiskAversion: float64(risk[i])}, r)
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
