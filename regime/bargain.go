package regime

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// BargainRule is the union-treaty bargaining stage between a sovereign
// region and the centre (issue 17; docs/SOVIET.md §8). A region that has
// declared sovereignty stays in the union while the centre's offer beats
// its elites' outside option; it exits only when its elites reject the
// bargain. The rule needs a SovereigntyRule.
//
// Each tick the centre's effective offer to every sovereign region is
//
//	offer_t = Offer × delivery_t × credibility_t
//
// where delivery_t is the share of the centre's payroll its budget covers
// this tick (the offer is limited by the budget: a centre in arrears cannot
// buy loyalty) and credibility_t is 1 until the shock named Breaker
// starts (a failed central act, such as the August 1991 coup), then
// 1 − Breach, permanently. Four consequences:
//
//   - sovereignty first: a region that is not sovereign and meets the exit
//     rule declares sovereignty instead of leaving (every Soviet republic
//     declared before it left), and then bargains;
//
//   - appeasement: the elites of a sovereign region receive Rents × offer_t
//     on top of their pay (the fiscal concessions that bought off the most
//     threatening regions, Treisman 1997; the "ethnofederal bargain" of
//     autonomy for loyalty, Hale 2000);
//
//   - the exit rule's elite threshold of a sovereign region rises from
//     exit.elite to exit.elite + offer_t × (1 − exit.elite): exit needs a
//     larger majority of the nomenklatura, one that rejects the bargain;
//
//   - tide: the sovereignty rule's thresholds for a region that has not
//     declared are multiplied by 1 − Tide × (share of the regions that are
//     sovereign, by count): each declaration makes the next one cheaper,
//     for every republic alike (Beissinger 2002's tide of nationalism,
//     Solnick 1998's run on the centre's assets).
//
// Hold (issue 17 round 5, off when 0; docs/SOVIET.md §10) keeps the
// union's residual pull on a sovereign region's elites when the offer
// fails, rather than letting it drop to zero with the budget or the
// breaker: in the exit threshold the offer is at least Hold × (1 − X_t),
// X_t the share of the population that has already left. The union
// treaty did not die with the coup: the Novo-Ogarevo talks went on
// through the autumn of 1991 among the republics still in, and each
// departure weakened what was left to stay in (Plokhy 2014; Beissinger
// 2002, ch. 9). Hold does not change the rents.
//
// A nil *BargainRule in Config (the default) leaves the model exactly as
// without it.
type BargainRule struct {
	Offer   float64 `yaml:"offer" json:"offer"`
	Rents   float64 `yaml:"rents" json:"rents"`
	Tide    float64 `yaml:"tide" json:"tide"`
	Breaker string  `yaml:"breaker,omitempty" json:"breaker,omitempty"`
	Breach  float64 `yaml:"breach" json:"breach"`
	Hold    float64 `yaml:"hold,omitempty" json:"hold,omitempty"`
}

// EventBargainBroken is the tick the centre's offer loses its credibility
// (Detail: the breaking shock; Value: the credibility left).
const EventBargainBroken EventKind = "bargain_broken"

func (b *BargainRule) validate(c *Config) error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{{"offer", b.Offer}, {"tide", b.Tide}, {"breach", b.Breach}, {"hold", b.Hold}} {
		if !(f.v >= 0 && f.v <= 1) {
			errs = append(errs, &FieldError{Field: "bargain." + f.name, Err: fmt.Errorf("must be in [0,1], got %g", f.v)})
		}
	}
	if !(b.Rents >= 0) || math.IsInf(b.Rents, 0) {
		errs = append(errs, &FieldError{Field: "bargain.rents", Err: fmt.Errorf("must be finite and >= 0, got %g", b.Rents)})
	}
	if c.Sovereignty == nil {
		errs = append(errs, &FieldError{Field: "bargain", Err: errors.New("needs a sovereignty rule (sovereignty:): only sovereign regions bargain")})
	}
	if b.Breaker != "" && !slices.ContainsFunc(c.Shocks, func(s Shock) bool { return s.Name == b.Breaker }) {
		errs = append(errs, &FieldError{Field: "bargain.breaker", Err: fmt.Errorf("names no shock: %q", b.Breaker)})
	}
	return errors.Join(errs...)
}

// bargainOn reports whether region g is in a bargain with the centre.
func (m *Model) bargainOn(g int) bool {
	return m.cfg.Bargain != nil && m.sov[g] && !m.exited[g]
}

// bargainOffer returns this tick's effective offer (0 without a rule).
func (m *Model) bargainOffer() float64 {
	b := m.cfg.Bargain
	if b == nil {
		return 0
	}
	return b.Offer * m.derived.delivery * m.bargainCred
}

// bargainRents returns the appeasement paid to region g's elites.
func (m *Model) bargainRents(g int) float64 {
	if !m.bargainOn(g) {
		return 0
	}
	return m.cfg.Bargain.Rents * m.bargainOffer()
}

// exitElite returns the exit rule's elite threshold for region g.
func (m *Model) exitElite(g int) float64 {
	e := m.cfg.Exit.Elite
	if !m.bargainOn(g) {
		return e
	}
	return e + bargainPull(m.bargainOffer(), m.cfg.Bargain.Hold, m.derived.exitedPop)*(1-e)
}

// bargainPull returns the offer that holds a sovereign region's elites
// in the exit threshold: the effective offer, at least hold × (1 −
// exited), exited being the share of the population already out.
func bargainPull(offer, hold, exited float64) float64 {
	return math.Max(offer, hold*(1-exited))
}

// sovThreshold returns the factor on the sovereignty thresholds (the
// tide), 1 without a bargain rule.
func (m *Model) sovThreshold() float64 {
	b := m.cfg.Bargain
	if b == nil || b.Tide == 0 {
		return 1
	}
	return 1 - b.Tide*float64(m.nSovereign())/float64(m.nReg)
}

// bargainTick breaks the bargain's credibility when its breaker starts.
func (m *Model) bargainTick(t int) {
	b := m.cfg.Bargain
	if b == nil || b.Breaker == "" || m.bargainCred < 1 {
		return
	}
	for _, s := range m.shocks {
		if s.name == b.Breaker && t == s.start {
			m.bargainCred = 1 - b.Breach
			m.event(t, EventBargainBroken, -1, 0, m.bargainCred, s.name)
			return
		}
	}
}
