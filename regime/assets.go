package regime

import (
	"errors"
	"fmt"
	"math"
)

// AssetsRule is a second way to reach sovereignty: the declaration of a
// region whose elites are loyal but move to protect what they hold from a
// centre that can no longer protect or pay them (issue 17;
// docs/SOVIET.md §9). Russia and Central Asia declared sovereignty in
// 1990 with their nomenklatura in office: the declarations claimed the
// republic's property, revenue and enterprises before the centre lost
// them to others, a "run on the bank" of the Soviet state (Solnick 1998;
// Treisman 1997 on the larger regions' leverage; Hale 2000; Roeder 2007
// on segment-state elites). The rule needs a SovereigntyRule, whose
// declaration and consequences it shares.
//
// Each tick the centre's capacity to protect the republic elites is
//
//	protection_t = delivery_t × L_t × (1 − Run × s_t)
//
// where delivery_t is the share of the centre's payroll its budget covers,
// L_t the union-wide legitimacy after shocks (regime.legitimacy as scaled
// by the shocks in force, before any regional factor), and s_t the share
// of the regions, by count, already sovereign (the run on the bank). A
// region's stake is what its elites hold locally, its revenue weight
// (population share × revenue_factor, the mapping the budget uses)
// relative to the largest region's, raised to Elasticity:
//
//	stake_g = (w_g / max_h w_h)^Elasticity
//
// The region's elites press for sovereignty when stake_g × (1 −
// protection_t) ≥ Threshold, whatever their defected share; the region
// declares when they have pressed for Persist consecutive ticks (a count
// of its own, beside the sovereignty rule's count of ticks in which the
// defected shares meet that rule). The declaration and its consequences
// are the sovereignty rule's. Elasticity 0 gives every
// region the same stake; 1 makes the stake proportional to the revenue
// base. Nothing per region enters but the revenue weight.
//
// Two optional parts (issue 17 round 5; docs/SOVIET.md §10) make what
// follows depend on who declared:
//
//   - Consequences, when set, are the consequences of a declaration made
//     through this channel (the sovereignty rule's otherwise). A loyal
//     nomenklatura's sovereignty claimed the republic's property and
//     revenue while it kept its conscripts in the union army and union
//     law in force (Solnick 1998; Hale 2000; Roeder 2007; Treisman 1997).
//     A region declared this way whose elites and street later meet the
//     sovereignty rule (its defected shares for its persist ticks)
//     escalates: it takes on the sovereignty rule's consequences from
//     then on (event sovereignty_escalated).
//
//   - LastOut, when positive, is the "last ones out" rule: a region
//     declared through this channel (and not escalated) no longer leaves
//     by the exit rule; it leaves when the union no longer protects its
//     elites (protection_t < 1 − Threshold: the elites of the largest
//     stake would press) and the population still in the union outside
//     the loyal sovereign regions has fallen below LastOut of the whole,
//     both for LastOutPersist consecutive ticks: it leaves a union that
//     has dissolved around it rather than defecting from it (exit event
//     Detail "last_out").
//
// With either part set, the channel of each declaration is recorded (the
// sovereignty event's Detail, the summary's declarations[].channel).
//
// A nil *AssetsRule in Config (the default) leaves the model exactly as
// without it, and a rule without the two parts exactly as before them.
type AssetsRule struct {
	Threshold  float64 `yaml:"threshold" json:"threshold"`
	Elasticity float64 `yaml:"elasticity" json:"elasticity"`
	Run        float64 `yaml:"run" json:"run"`
	Persist    int     `yaml:"persist" json:"persist"`

	Consequences   *Consequences `yaml:"consequences,omitempty" json:"consequences,omitempty"`
	LastOut        float64       `yaml:"last_out,omitempty" json:"last_out,omitempty"`
	LastOutPersist int           `yaml:"last_out_persist,omitempty" json:"last_out_persist,omitempty"`
}

// channels reports whether the declaration channel matters, and so is
// recorded.
func (a *AssetsRule) channels() bool { return a.Consequences != nil || a.LastOut > 0 }

func (a *AssetsRule) validate(c *Config) error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{{"threshold", a.Threshold}, {"elasticity", a.Elasticity}, {"run", a.Run}} {
		if !(f.v >= 0 && f.v <= 1) {
			errs = append(errs, &FieldError{Field: "assets." + f.name, Err: fmt.Errorf("must be in [0,1], got %g", f.v)})
		}
	}
	if a.Persist < 1 {
		errs = append(errs, &FieldError{Field: "assets.persist", Err: fmt.Errorf("must be >= 1, got %d", a.Persist)})
	}
	if a.Consequences != nil {
		errs = append(errs, a.Consequences.validate("assets.consequences."))
	}
	if !(a.LastOut >= 0 && a.LastOut <= 1) {
		errs = append(errs, &FieldError{Field: "assets.last_out", Err: fmt.Errorf("must be in [0,1], got %g", a.LastOut)})
	}
	switch {
	case a.LastOut > 0 && a.LastOutPersist < 1:
		errs = append(errs, &FieldError{Field: "assets.last_out_persist", Err: fmt.Errorf("must be >= 1 with last_out set, got %d", a.LastOutPersist)})
	case a.LastOutPersist < 0:
		errs = append(errs, &FieldError{Field: "assets.last_out_persist", Err: fmt.Errorf("must be >= 0, got %d", a.LastOutPersist)})
	}
	if c.Sovereignty == nil {
		errs = append(errs, &FieldError{Field: "assets", Err: errors.New("needs a sovereignty rule (sovereignty:): the declaration is the sovereignty rule's")})
	}
	return errors.Join(errs...)
}

// assetsProtection returns the centre's capacity to protect the republic
// elites this tick (AssetsRule); sovShare is the share of the regions
// already sovereign.
func assetsProtection(a *AssetsRule, delivery, legitimacy, sovShare float64) float64 {
	return delivery * legitimacy * (1 - a.Run*sovShare)
}

// assetsStake returns a region's stake from its revenue weight w and the
// largest region's wMax.
func assetsStake(a *AssetsRule, w, wMax float64) float64 {
	if wMax <= 0 {
		return 0
	}
	return math.Pow(w/wMax, a.Elasticity)
}

// assetsPress reports, for every region, whether its elites have pressed
// for sovereignty to protect their assets for Persist ticks (nil without a
// rule). Computed once per tick, before this tick's declarations.
func (m *Model) assetsPress() []bool {
	a := m.cfg.Assets
	if a == nil {
		return nil
	}
	if m.assetsPersist == nil {
		m.assetsPersist = make([]int, m.nReg)
		m.assetsOut = make([]bool, m.nReg)
	}
	wMax := 0.0
	for g := range m.cfg.Regions {
		wMax = math.Max(wMax, m.revWeight[g])
	}
	p := assetsProtection(a, m.derived.delivery, m.eff.Legitimacy, float64(m.nSovereign())/float64(m.nReg))
	out := m.assetsOut
	for g := range out {
		if assetsStake(a, m.revWeight[g], wMax)*(1-p) >= a.Threshold {
			m.assetsPersist[g]++
		} else {
			m.assetsPersist[g] = 0
		}
		out[g] = m.assetsPersist[g] >= a.Persist
	}
	return out
}

// lastOutOpen reports whether the last-out rule is on, and whether this
// tick a loyal sovereign region may leave by it (the union no longer
// protects its elites and has dissolved around them).
func (m *Model) lastOutOpen() (on, open bool) {
	a := m.cfg.Assets
	if a == nil || a.LastOut <= 0 {
		return false, false
	}
	rest := 0.0
	for g := range m.cfg.Regions {
		if !m.exited[g] && !m.sovLoyal[g] {
			rest += m.popShare[g]
		}
	}
	p := assetsProtection(a, m.derived.delivery, m.eff.Legitimacy, float64(m.nSovereign())/float64(m.nReg))
	return true, p < 1-a.Threshold && rest < a.LastOut
}
