package agents

import (
	"math"
	"math/rand/v2"
)

// The defection modes, in the order of the choice: an agent stays loyal,
// or defects by voice, exit, switching sides or shirking.
const (
	ModeLoyal = iota
	ModeVoice
	ModeExit
	ModeSwitch
	ModeShirk
	NumModes
)

// ModeTerms are the per-tick, per-region terms of the choice among
// defection modes (Hirschman's exit and voice, and for soldiers and elites
// switching sides and shirking). With G = Ideo·(1−a) + e + Social +
// GroupSocial[group] (+ the network term) the grievance of Terms and ρ the
// agent's risk aversion, the utilities are
//
//	V_loyal  = θ
//	V_voice  = G − Coerce·ρ
//	V_exit   = ExitP·(G + ExitPull) − ExitRisk·ρ − ExitCost
//	V_switch = G + SwitchPull − SwitchRisk·ρ − SwitchCost
//	V_shirk  = ShirkShare·G − ShirkRisk·ρ
//
// (a disabled mode is not on offer, and exit is on offer to an agent in a
// tick with probability ExitRate: one draw when ExitRate < 1, so that
// departures spread over time), plus Rule.Hysteresis for the defection mode
// the agent is in (as the threshold rule lowers a defector's threshold). Under Logit the agent picks mode m with probability
// exp(V_m·InvTau)/Σ exp(V_k·InvTau) (one draw); otherwise the mode of
// highest utility (ties go to the earlier mode in the order loyal, voice,
// exit, switch, shirk). Under an absorbing rule voice, switch and shirk are
// kept. An agent who picks exit applies for an exit visa and leaves
// (state Emigrated, for good) with probability ExitVisa; refused, it flees
// if flight alone is worth it, FlightP·(G + ExitPull) − FlightRisk·ρ −
// ExitCost > θ, and else stays loyal this tick. A flight succeeds
// (Tally.Fled) with probability FlightP and is otherwise stopped and
// jailed; voice and switch
// are jailed with probability Arrest, shirk with ShirkArrest, and a loyal
// agent is purged with PurgeLoyal, as without modes.
type ModeTerms struct {
	Logit  bool    // multinomial logit (true) or highest utility
	InvTau float64 // 1/τ of the logit

	Exit       bool
	ExitRate   float64 // chance that exit is on offer to an agent this tick, (0,1]
	ExitP      float64 // chance that an attempt to leave succeeds, [0,1]
	ExitVisa   float64 // chance of an exit visa (<= ExitP)
	ExitPull   float64 // pull of exit (welcome abroad)
	ExitRisk   float64 // expected cost of exit per unit of risk aversion
	ExitCost   float64 // fixed cost of leaving
	FlightP    float64 // chance that a flight succeeds, [0,1]
	FlightRisk float64 // expected cost of flight per unit of risk aversion

	Switch     bool
	SwitchPull float64 // pull of the other side
	SwitchRisk float64 // expected cost of switching per unit of risk aversion
	SwitchCost float64 // fixed cost of switching

	Shirk       bool
	ShirkShare  float64 // share of the grievance shirking relieves
	ShirkRisk   float64 // expected cost of shirking per unit of risk aversion
	ShirkArrest float64 // probability that a shirker is jailed/purged
}

// modeState maps a mode to the state it leads to.
var modeState = [NumModes]State{Loyal, Defected, Emigrated, Switched, Shirked}

// stateMode maps a state to the mode it is in (jailed and emigrated agents
// are not asked, so their entries do not matter).
var stateMode = [NumModeStates]int{ModeLoyal, ModeVoice, ModeLoyal, ModeExit, ModeSwitch, ModeShirk}

// stepBlockModes is stepBlock with the choice among defection modes
// (k.Modes). It is kept apart so the voice-only kernels stay as they were.
func (p *Population) stepBlockModes(lo, hi int, k *Terms, tl *Tally, r *rand.Rand) {
	align, econ, risk, thresh := p.Align[lo:hi], p.Econ[lo:hi], p.Risk[lo:hi], p.Thresh[lo:hi]
	state, timer, group := p.State[lo:hi], p.Timer[lo:hi], p.Group[lo:hi]
	md := k.Modes
	absorbing, hyst := k.Rule.Absorbing, k.Rule.Hysteresis
	span := k.TermMax - k.TermMin + 1
	var on [NumModes]bool
	on[ModeLoyal], on[ModeVoice], on[ModeExit], on[ModeSwitch], on[ModeShirk] = true, true, md.Exit, md.Switch, md.Shirk
	net := k.Net
	nb := p.blockNetOf(k, lo, len(state))
	var v, w [NumModes]float64
	for i := range state {
		st := state[i]
		switch st {
		case Emigrated:
			tl.Emigrated++
			continue
		case Jailed:
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
		e := k.econTerm(econ[i])
		gi := group[i] & (MaxGroups - 1)
		g := float64(k.Ideo*(1-float64(align[i]))) + e + k.Social + k.GroupSocial[gi]
		if net != nil {
			g += float64(k.NetSocial * rowShare(nb.adj[nb.offs[i]:nb.offs[i+1]], nb.bits, nb.w0, nb.w1, nb.w2, nb.b1, nb.b2, nb.uniform))
		}
		rho := float64(risk[i])
		if md.Exit && md.ExitRate < 1 {
			on[ModeExit] = r.Float64() < md.ExitRate
		}
		cur := stateMode[st]
		mode := ModeLoyal
		if absorbing && st != Loyal {
			mode = cur
		} else {
			v[ModeLoyal] = float64(thresh[i])
			v[ModeVoice] = g - float64(k.Coerce*rho)
			v[ModeExit] = float64(md.ExitP*(g+md.ExitPull)) - float64(md.ExitRisk*rho) - md.ExitCost
			v[ModeSwitch] = g + md.SwitchPull - float64(md.SwitchRisk*rho) - md.SwitchCost
			v[ModeShirk] = float64(md.ShirkShare*g) - float64(md.ShirkRisk*rho)
			if cur != ModeLoyal { // as θ − hysteresis for a defector without modes
				v[cur] += hyst
			}
			best := ModeLoyal
			for m := ModeVoice; m < NumModes; m++ {
				if on[m] && v[m] > v[best] {
					best = m
				}
			}
			mode = best
			if md.Logit {
				// Weights relative to the best mode (no overflow); a mode
				// more than 30τ below the best has weight < 1e-13 and is
				// left out (deterministically: the same for every run).
				sum := 0.0
				for m := range v {
					w[m] = 0
					switch x := (v[m] - v[best]) * md.InvTau; {
					case m == best:
						w[m] = 1
					case on[m] && x > -30:
						w[m] = math.Exp(x)
					}
					sum += w[m]
				}
				u := r.Float64() * sum
				mode = NumModes - 1
				for m := range w {
					if u < w[m] {
						mode = m
						break
					}
					u -= w[m]
				}
				for !on[mode] { // rounding at the top end: the last mode on offer
					mode--
				}
			}
		}
		jail := k.PurgeLoyal
		switch mode {
		case ModeVoice:
			jail = k.Arrest
			if st != Defected {
				tl.NewDefections++
			}
		case ModeSwitch:
			jail = k.Arrest
		case ModeShirk:
			jail = md.ShirkArrest
		case ModeExit:
			// An exit visa, or if refused a flight if it is worth it.
			out := md.ExitVisa > 0 && r.Float64() < md.ExitVisa
			if !out {
				if float64(md.FlightP*(g+md.ExitPull))-float64(md.FlightRisk*rho)-md.ExitCost <= float64(thresh[i]) {
					mode = ModeLoyal // waits for a visa
					jail = k.PurgeLoyal
					break
				}
				out = r.Float64() < md.FlightP
				jail = 1 // stopped at the border
				if out {
					tl.Fled++
				}
			}
			if out {
				state[i] = Emigrated
				timer[i] = 0
				tl.Emigrated++
				tl.Departed++
				continue
			}
		}
		if mode != ModeVoice && st == Defected {
			tl.Returns++
		}
		switch {
		case jail > 0 && (jail >= 1 || r.Float64() < jail):
			state[i] = Jailed
			timer[i] = uint16(k.TermMin + r.IntN(span))
			tl.Jailed++
			tl.Arrests++
		default:
			state[i] = modeState[mode]
			switch mode {
			case ModeVoice:
				tl.Defected++
				tl.DefectedBy[gi]++
			case ModeSwitch:
				tl.Switched++
			case ModeShirk:
				tl.Shirked++
			default:
				tl.Loyal++
			}
		}
	}
}
