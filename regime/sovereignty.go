package regime

import (
	"errors"
	"fmt"

	"github.com/turncoat-abm/turncoat/agents"
)

// SovereigntyRule is the rule by which a region declares sovereignty, a
// state between loyal and exited: the republic's laws now stand above the
// union's, but it still sits in the union's budget, army and collapse
// rule. A region declares when its elite defected share is at least Elite
// and its citizen defected share at least Citizen for Persist consecutive
// ticks (a republic parliament voting with its nomenklatura and its
// street). A declaration is permanent and has four consequences, each
// drawn from the history of the 1988–90 "parade of sovereignties"
// (Beissinger 2002; Suny 1993; Hale 2000; see docs/SOVIET.md):
//
//   - RevenueWithheld of the region's revenue no longer reaches the centre
//     (the "war of budgets": republics kept tax transfers);
//   - ConscriptsHome of the region's soldiers stop counting as the union's
//     enforcers in the region (conscripts kept on home territory, union
//     laws no longer enforced by republican organs);
//   - LegitimacyLoss multiplies the union's legitimacy in the region by
//     1 − LegitimacyLoss (the "war of laws");
//   - Demonstration adds a demonstration effect on the other regions,
//     weighted by similarity like an exit's (the parade spreads).
//
// A nil *SovereigntyRule in Config (the default) leaves the model exactly
// as without it.
type SovereigntyRule struct {
	Elite           float64 `yaml:"elite" json:"elite"`
	Citizen         float64 `yaml:"citizen" json:"citizen"`
	Persist         int     `yaml:"persist" json:"persist"`
	RevenueWithheld float64 `yaml:"revenue_withheld" json:"revenue_withheld"`
	ConscriptsHome  float64 `yaml:"conscripts_home" json:"conscripts_home"`
	LegitimacyLoss  float64 `yaml:"legitimacy_loss" json:"legitimacy_loss"`
	Demonstration   float64 `yaml:"demonstration" json:"demonstration"`
}

// EventSovereignty is a region's declaration of sovereignty (Value: its
// elite defected share; Detail: its channel, ChannelDefection or
// ChannelAssets, when AssetsRule records channels, else empty).
const EventSovereignty EventKind = "sovereignty"

func (s *SovereigntyRule) validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{{"elite", s.Elite}, {"citizen", s.Citizen}} {
		if !(f.v >= 0 && f.v <= 1) {
			errs = append(errs, &FieldError{Field: "sovereignty." + f.name, Err: fmt.Errorf("must be in [0,1], got %g", f.v)})
		}
	}
	c := s.consequences()
	errs = append(errs, c.validate("sovereignty."))
	if s.Persist < 1 {
		errs = append(errs, &FieldError{Field: "sovereignty.persist", Err: fmt.Errorf("must be >= 1, got %d", s.Persist)})
	}
	return errors.Join(errs...)
}

// Consequences are the four consequences of a declaration of sovereignty
// (the fields of SovereigntyRule of the same names). AssetsRule.
// Consequences gives the loyal elites' declarations their own.
type Consequences struct {
	RevenueWithheld float64 `yaml:"revenue_withheld" json:"revenue_withheld"`
	ConscriptsHome  float64 `yaml:"conscripts_home" json:"conscripts_home"`
	LegitimacyLoss  float64 `yaml:"legitimacy_loss" json:"legitimacy_loss"`
	Demonstration   float64 `yaml:"demonstration" json:"demonstration"`
}

// consequences returns the sovereignty rule's consequences.
func (s *SovereigntyRule) consequences() Consequences {
	return Consequences{RevenueWithheld: s.RevenueWithheld, ConscriptsHome: s.ConscriptsHome,
		LegitimacyLoss: s.LegitimacyLoss, Demonstration: s.Demonstration}
}

func (c *Consequences) validate(prefix string) error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{{"revenue_withheld", c.RevenueWithheld}, {"conscripts_home", c.ConscriptsHome},
		{"legitimacy_loss", c.LegitimacyLoss}, {"demonstration", c.Demonstration}} {
		if !(f.v >= 0 && f.v <= 1) {
			errs = append(errs, &FieldError{Field: prefix + f.name, Err: fmt.Errorf("must be in [0,1], got %g", f.v)})
		}
	}
	return errors.Join(errs...)
}

// Declaration channels, the Detail of a sovereignty event when the
// channel is recorded (AssetsRule.channels).
const (
	ChannelDefection = "defection" // the sovereignty rule: defected elites and street (or the bargain's "sovereignty first")
	ChannelAssets    = "assets"    // the assets rule: loyal elites protecting their assets
)

// EventSovereigntyEscalated is a region declared through the assets
// channel whose elites then meet the sovereignty rule: it takes on the
// sovereignty rule's consequences (Detail: "defection"; Value: its elite
// defected share). Only when the channel is recorded.
const EventSovereigntyEscalated EventKind = "sovereignty_escalated"

// nSovereign returns the number of regions that have declared
// sovereignty.
func (m *Model) nSovereign() int {
	n := 0
	for _, s := range m.sov {
		if s {
			n++
		}
	}
	return n
}

// channels reports whether declarations record their channel
// (AssetsRule.channels).
func (m *Model) channels() bool { return m.cfg.Assets != nil && m.cfg.Assets.channels() }

// cons returns the consequences in force in region g (nil unless g has
// declared sovereignty).
func (m *Model) cons(g int) *Consequences {
	if m.sov == nil || !m.sov[g] {
		return nil
	}
	if m.sovLoyal[g] && m.cfg.Assets.Consequences != nil {
		return m.cfg.Assets.Consequences
	}
	return &m.sovCons
}

// sovFactor returns the multiplier of the union's legitimacy in region g
// (1 unless g has declared sovereignty).
func (m *Model) sovFactor(g int) float64 {
	k := m.cons(g)
	if k == nil {
		return 1
	}
	return 1 - k.LegitimacyLoss
}

// sovRevenue returns the share of region g's revenue that reaches the
// centre.
func (m *Model) sovRevenue(g int) float64 {
	k := m.cons(g)
	if k == nil {
		return 1
	}
	return 1 - k.RevenueWithheld
}

// sovEnforcers returns the share of region g's soldiers that enforce the
// union's laws there.
func (m *Model) sovEnforcers(g int) float64 {
	k := m.cons(g)
	if k == nil {
		return 1
	}
	return 1 - k.ConscriptsHome
}

// applySovereignty records the declarations of this tick.
func (m *Model) applySovereignty(t int) {
	s := m.cfg.Sovereignty
	if s == nil {
		return
	}
	f := m.sovThreshold() // computed once: this tick's declarations count from the next
	press := m.assetsPress()
	escalate := m.channels()
	for g := range m.cfg.Regions {
		if m.exited[g] || (m.sov[g] && !(escalate && m.sovLoyal[g])) {
			continue
		}
		k := f
		if m.sov[g] {
			k = 1 // the tide lowers the thresholds of regions that have not declared only
		}
		if m.share(agents.Elite, g) >= s.Elite*k && m.share(agents.Citizen, g) >= s.Citizen*k {
			m.sovPersist[g]++
		} else {
			m.sovPersist[g] = 0
		}
		if m.sov[g] { // declared through the assets channel
			if m.sovPersist[g] >= s.Persist {
				m.escalate(t, g)
			}
			continue
		}
		switch {
		case m.sovPersist[g] >= s.Persist:
			m.declare(t, g, ChannelDefection)
		case press != nil && press[g]:
			m.declare(t, g, ChannelAssets)
		}
	}
}

// declare records region g's declaration of sovereignty at tick t through
// channel (ChannelDefection or ChannelAssets).
func (m *Model) declare(t, g int, channel string) {
	m.sov[g] = true
	m.sovLoyal[g] = channel == ChannelAssets
	detail := ""
	if m.channels() {
		detail = channel
	}
	m.event(t, EventSovereignty, g, 0, m.share(agents.Elite, g), detail)
	m.sovDemonstration(g, m.cons(g).Demonstration)
}

// escalate moves region g, declared through the assets channel, to the
// sovereignty rule's consequences: its elites and street now meet that
// rule. The demonstration effect it did not have as a loyal declaration
// (the sovereignty rule's less the assets channel's, if positive) is
// added now.
func (m *Model) escalate(t, g int) {
	loyal := m.cons(g).Demonstration
	m.sovLoyal[g] = false
	m.event(t, EventSovereigntyEscalated, g, 0, m.share(agents.Elite, g), ChannelDefection)
	m.sovDemonstration(g, m.sovCons.Demonstration-loyal)
}

// sovDemonstration adds a declaration's demonstration effect d on the
// regions still in the union, weighted by their similarity to g.
func (m *Model) sovDemonstration(g int, d float64) {
	if d <= 0 {
		return
	}
	for h := range m.cfg.Regions {
		if h != g && !m.exited[h] {
			m.demo[h] += d * m.similarity(g, h) * (1 - m.demo[h])
		}
	}
}
