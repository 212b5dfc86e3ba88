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
// A nil *AssetsRule in Config (the default) leaves the model exactly as
// without it.
type AssetsRule struct {
	Threshold  float64 `yaml:"threshold" json:"threshold"`
	Elasticity float64 `yaml:"elasticity" json:"elasticity"`
	Run        float64 `yaml:"run" json:"run"`
	Persist    int     `yaml:"persist" json:"persist"`
}

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
	n, wMax := 0, 0.0
	for g := range m.cfg.Regions {
		if m.sov[g] {
			n++
		}
		wMax = math.Max(wMax, m.revWeight[g])
	}
	p := assetsProtection(a, m.derived.delivery, m.eff.Legitimacy, float64(n)/float64(m.nReg))
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
