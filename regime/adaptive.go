package regime

import (
	"math"

	"github.com/turncoat-abm/turncoat/agents"
)

// AdaptivePolicy is the built-in adaptive rules of Params
// (repression_response, pay_response, purges) written as a Policy, as a
// starting point for policies of your own: copy it, or wrap it and change
// what it chose. With the corresponding Params zeroed (Disable), a model
// with AdaptivePolicy runs exactly as the built-in rules do, bit for bit,
// unless a shock changes one of the adaptive parameters (shocks reach the
// built-in rules, not this policy's copy of them). The built-in rules stay
// in the tick loop (so scenario outputs are unchanged); this type mirrors
// them.
type AdaptivePolicy struct {
	RepressionResponse, ProtestTolerance, RepressionMax float64
	PayResponse, PayTrigger, PayMax                     float64
	PurgeRate, PurgeTrigger                             float64

	payBonus, rewardBonus float64 // the pay ratchet
}

// NewAdaptivePolicy returns the adaptive rules of p as a Policy.
func NewAdaptivePolicy(p Params) *AdaptivePolicy {
	return &AdaptivePolicy{
		RepressionResponse: p.RepressionResponse, ProtestTolerance: p.ProtestTolerance, RepressionMax: p.RepressionMax,
		PayResponse: p.PayResponse, PayTrigger: p.PayTrigger, PayMax: p.PayMax,
		PurgeRate: p.PurgeRate, PurgeTrigger: p.PurgeTrigger,
	}
}

// DisableAdaptive zeroes the built-in adaptive responses of p
// (repression_response, pay_response, purge_rate), leaving their triggers,
// so that a Policy can take their place.
func DisableAdaptive(p *Params) { p.RepressionResponse, p.PayResponse, p.PurgeRate = 0, 0, 0 }

// Reset clears the pay ratchet.
func (a *AdaptivePolicy) Reset() { a.payBonus, a.rewardBonus = 0, 0 }

// Decide applies the adaptive rules to in, as the tick loop does.
func (a *AdaptivePolicy) Decide(v View, in *Instruments) error {
	protest, soldiers, elites := v.Share(agents.Citizen), v.Share(agents.Soldier), v.Share(agents.Elite)
	// Adaptive pay and rewards: a ratchet while soldiers defect and reserves last.
	if !v.Collapsed() && a.PayResponse > 0 && soldiers > a.PayTrigger && v.Reserves() > 0 {
		a.payBonus = math.Min(a.payBonus+a.PayResponse, math.Max(0, a.PayMax-in.Pay))
		a.rewardBonus = math.Min(a.rewardBonus+a.PayResponse, math.Max(0, a.PayMax-in.ExtraRewards))
	}
	in.Pay += a.payBonus
	in.ExtraRewards += a.rewardBonus
	if a.RepressionResponse > 0 && protest > a.ProtestTolerance {
		in.Repression = math.Max(in.Repression, math.Min(a.RepressionMax, in.Repression+a.RepressionResponse*(protest-a.ProtestTolerance)))
	}
	in.PurgeRate = 0
	if a.PurgeRate > 0 && (soldiers > a.PurgeTrigger || elites > a.PurgeTrigger) {
		in.PurgeRate = a.PurgeRate
	}
	return nil
}
