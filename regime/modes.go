package regime

import (
	"errors"
	"fmt"
	"math"

	"go.yaml.in/yaml/v3"
)

// Modes lets agents choose among several ways to defect (Hirschman 1970,
// 1993): voice (protest or defect in place, the model's defection without
// modes), exit (flight abroad: the agent leaves the population for good and
// joins the emigrant stock), and for soldiers and elites switching sides
// (joining the opposition or a breakaway region) and shirking (desertion or
// refusing orders without joining anyone). Each tick every free agent
// compares mode-specific utilities with its threshold, the utility of
// staying loyal:
//
//	V_loyal  = θ
//	V_voice  = G − ρ·C
//	V_exit   = P·(G + Exit.Welcome·welcome) − ρ·wC·((1−P)·(repression + lethality) + family_reprisal) − Exit.Cost
//	V_switch = G + Switch.Pull·D − ρ·(Switch.Severity·C + wC·family_reprisal) − Switch.Cost
//	V_shirk  = Shirk.Share·G − ρ·Shirk.Detection·C
//
// where G = wI·I + wE·E + wS·S (the grievance of the model without modes,
// with the emigrant signal added to S), C the expected coercive cost per
// unit of risk aversion ρ, D the region's defected share last tick (the
// opposition's strength) and P the chance that an attempt to leave
// succeeds:
//
//	P = 1 − (1 − exit_visas)·(1 − border_open)·B·T
//	B = border_control·(1 − Exit.Guards·s)   (s: the region's soldiers in voice, switch or shirk last tick)
//	T = 1 − Exit.Travel·(1 − minders)         for elites (travellers), 1 for others
//
// Under Choice "logit" an agent picks mode m with probability
// exp(V_m/τ)/Σ exp(V_k/τ) (a multinomial logit, McFadden 1974, that is the
// binary logit rule when voice is the only mode); under "max" it picks the
// mode of highest utility (a threshold per mode). An agent's current mode
// gets the role's rule.hysteresis as a bonus, and under an absorbing rule
// voice, switch and shirk are kept. A would-be emigrant leaves with
// probability P; otherwise it is stopped and jailed like an arrested
// defector. Voice is arrested with the model's probability, switch with the
// same, shirk with Shirk.Detection of it. See docs/ODD.md, "Defection
// modes", for the sources and the interactions (exit sets off voice
// through Exit.Signal; exit weakens voice by removing the most disaffected;
// emigrants take their share of revenue with them).
//
// DefaultModes returns the documented defaults; a `modes:` block in YAML
// starts from them.
type Modes struct {
	// Choice is "logit" (the default) or "max".
	Choice string `yaml:"choice" json:"choice"`
	// Tau > 0 is the logit's scale τ (default 0.05).
	Tau    float64    `yaml:"tau" json:"tau"`
	Exit   ExitMode   `yaml:"exit" json:"exit"`
	Switch SwitchMode `yaml:"switch" json:"switch"`
	Shirk  ShirkMode  `yaml:"shirk" json:"shirk"`
}

// ExitMode holds the parameters of exit (flight abroad). The instruments
// that the regime and the world abroad set (border_open, border_control,
// border_lethality, exit_visas, minders, welcome, family_reprisal) are
// regime parameters, so shocks can change them.
type ExitMode struct {
	// Enabled lets every role choose exit.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Cost ≥ 0 is the fixed cost of leaving home, in utility (default 0.1).
	Cost float64 `yaml:"cost" json:"cost"`
	// Welcome ≥ 0 weights regime.welcome in the pull of exit (default 0.5).
	Welcome float64 `yaml:"welcome" json:"welcome"`
	// Travel ∈ [0,1] is the chance that an elite who wants to leave can
	// travel abroad (a diplomat, an athlete, a pilot), so the border's
	// control does not stop it; regime.minders cuts it (default 0.3).
	Travel float64 `yaml:"travel" json:"travel"`
	// Signal ≥ 0 weights the share of a region's agents who left last tick
	// in the social term of those who stay: wS·Signal·emigrant share
	// (exit sets off voice; default 10).
	Signal float64 `yaml:"signal" json:"signal"`
	// Guards ∈ [0,1]: border guards are soldiers, and the region's soldiers
	// in voice, switch or shirk weaken its border control by this much per
	// unit of their share (default 1).
	Guards float64 `yaml:"guards" json:"guards"`
}

// SwitchMode holds the parameters of switching sides (soldiers and elites).
type SwitchMode struct {
	// Enabled lets soldiers and elites switch sides.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Pull ≥ 0 weights the region's defected share last tick (the side to
	// join) in the utility of switching (default 0.5).
	Pull float64 `yaml:"pull" json:"pull"`
	// Severity ≥ 0 multiplies the coercive cost of switching against that
	// of voice (default 1.5: a turncoat is punished harder).
	Severity float64 `yaml:"severity" json:"severity"`
	// Cost ≥ 0 is the fixed cost of switching, in utility (default 0.1).
	Cost float64 `yaml:"cost" json:"cost"`
}

// ShirkMode holds the parameters of shirking (soldiers and elites).
type ShirkMode struct {
	// Enabled lets soldiers and elites shirk.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Share ∈ [0,1] is the part of the grievance shirking relieves
	// (default 0.7).
	Share float64 `yaml:"share" json:"share"`
	// Detection ∈ [0,1] is a shirker's chance of detection and coercive
	// cost as a share of a defector's (default 0.5: desertion is less
	// visible than mutiny).
	Detection float64 `yaml:"detection" json:"detection"`
}

// DefaultModes returns the documented defaults of Modes, with every mode
// off (voice only).
func DefaultModes() Modes {
	return Modes{
		Choice: "logit", Tau: 0.05,
		Exit:   ExitMode{Cost: 0.1, Welcome: 0.5, Travel: 0.3, Signal: 10, Guards: 1},
		Switch: SwitchMode{Pull: 0.5, Severity: 1.5, Cost: 0.1},
		Shirk:  ShirkMode{Share: 0.7, Detection: 0.5},
	}
}

// UnmarshalYAML decodes a modes block, starting from DefaultModes so
// omitted fields keep their documented defaults.
func (md *Modes) UnmarshalYAML(n *yaml.Node) error {
	type plain Modes
	p := plain(DefaultModes())
	if err := n.Decode(&p); err != nil {
		return err
	}
	*md = Modes(p)
	return nil
}

func (md *Modes) validate() error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: "modes." + field, Err: fmt.Errorf(format, args...)})
	}
	switch md.Choice {
	case "logit", "max":
	default:
		add("choice", "must be logit or max, got %q", md.Choice)
	}
	if !(md.Tau > 0) || math.IsInf(md.Tau, 0) {
		add("tau", "must be finite and > 0, got %g", md.Tau)
	}
	for _, f := range []struct {
		name string
		v    float64
		unit bool
	}{
		{"exit.cost", md.Exit.Cost, false}, {"exit.welcome", md.Exit.Welcome, false},
		{"exit.travel", md.Exit.Travel, true}, {"exit.signal", md.Exit.Signal, false},
		{"exit.guards", md.Exit.Guards, true},
		{"switch.pull", md.Switch.Pull, false}, {"switch.severity", md.Switch.Severity, false},
		{"switch.cost", md.Switch.Cost, false},
		{"shirk.share", md.Shirk.Share, true}, {"shirk.detection", md.Shirk.Detection, true},
	} {
		switch {
		case f.unit && !(f.v >= 0 && f.v <= 1):
			add(f.name, "must be in [0,1], got %g", f.v)
		case !(f.v >= 0) || math.IsInf(f.v, 0):
			add(f.name, "must be finite and >= 0, got %g", f.v)
		}
	}
	return errors.Join(errs...)
}
