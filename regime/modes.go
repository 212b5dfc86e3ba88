package regime

import (
	"errors"
	"fmt"
	"math"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/agents"
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
// succeeds (exit is on offer to an agent in a tick with probability
// Exit.Rate):
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
	// Rate ∈ (0,1] is the chance per tick that an agent can act on a wish
	// to leave (arrange the journey, meet the chance): exit is on offer to
	// it that tick. Below 1, departures spread over time instead of all
	// would-be emigrants leaving in the first tick (default 0.1 a tick;
	// scale it with tick_days).
	Rate float64 `yaml:"rate" json:"rate"`
	// Cost ≥ 0 is the fixed cost of leaving home, in utility (default 0.1).
	Cost float64 `yaml:"cost" json:"cost"`
	// Welcome ≥ 0 weights regime.welcome in the pull of exit (default 0.5).
	Welcome float64 `yaml:"welcome" json:"welcome"`
	// Travel ∈ [0,1] is the chance that an elite who wants to leave can
	// travel abroad (a diplomat, an athlete, a pilot), so the border's
	// control does not stop it; regime.minders cuts it (default 0.3).
	Travel float64 `yaml:"travel" json:"travel"`
	// Signal ≥ 0 weights the share of a region's agents who fled last tick
	// (left other than with an exit visa, which the regime grants) in the
	// social term of those who stay: wS·Signal·share
	// (exit sets off voice; default 20: a weekly flight of 1% of the region weighs as a fifth of it in voice).
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
		Exit:   ExitMode{Rate: 0.1, Cost: 0.1, Welcome: 0.5, Travel: 0.3, Signal: 20, Guards: 1},
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
	if !(md.Exit.Rate > 0 && md.Exit.Rate <= 1) {
		add("exit.rate", "must be in (0,1], got %g", md.Exit.Rate)
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

// ModeCounts are one role's agents in one region by the defection modes
// beyond voice (voice is the Defected count): Switched and Shirked now,
// Emigrated the stock of those who have left (this tick's departures
// included), Departed this tick's departures and Fled those of them who
// fled rather than leave with an exit visa.
type ModeCounts struct {
	Switched, Shirked, Emigrated, Departed, Fled int
}

// modeState is the model's state of defection modes.
type modeState struct {
	cfg    *Modes
	terms  [][agents.NumRoles]agents.ModeTerms // per region, this tick
	counts [agents.NumRoles][]ModeCounts       // per role, region (last tick)
	emPrev []float64                           // flights last tick / region's agents
	people []float64                           // people an agent stands for, per region
}

func newModeState(c *Config, nReg int) *modeState {
	if c.Modes == nil {
		return nil
	}
	s := &modeState{cfg: c.Modes, terms: make([][agents.NumRoles]agents.ModeTerms, nReg),
		emPrev: make([]float64, nReg), people: peoplePerAgent(c)}
	for _, r := range agents.Roles {
		s.counts[r] = make([]ModeCounts, nReg)
	}
	return s
}

func (s *modeState) reset() {
	for _, r := range agents.Roles {
		clear(s.counts[r])
	}
	clear(s.emPrev)
}

// modeTerms sets the defection modes' terms of role in region g (after the
// voice terms of k are set) and adds the emigrant signal to k.Social.
func (m *Model) modeTerms(k *agents.Terms, rc *RoleConfig, role agents.Role, g int) {
	// Products are converted explicitly so that no platform fuses them
	// into a multiply-add (bit-identical results, as in the kernels).
	md, eff := m.md.cfg, &m.eff
	mt := &m.md.terms[g][role]
	k.Modes = mt
	*mt = agents.ModeTerms{Logit: md.Choice == "logit", InvTau: 1 / md.Tau}
	wC := rc.Weights.Coercive
	if md.Exit.Enabled && !m.collapsed { // after a collapse there is no regime to flee
		// Exit sets off voice: last tick's flights from the region (not
		// the regime's exit visas) are seen by those who stay.
		k.Social += float64(rc.Weights.Social * md.Exit.Signal * m.md.emPrev[g])
		// Border guards are soldiers: those in voice, switch or shirk let
		// people through.
		ns := m.n[agents.Soldier][g]
		sc := m.md.counts[agents.Soldier][g]
		sdef := float64(m.counts[agents.Soldier][g][agents.Defected]+sc.Switched+sc.Shirked) / float64(ns-sc.Emigrated)
		if ns-sc.Emigrated <= 0 {
			sdef = 1
		}
		block := eff.BorderControl * math.Max(0, 1-float64(md.Exit.Guards*sdef))
		if role == agents.Elite {
			block *= 1 - float64(md.Exit.Travel*(1-eff.Minders))
		}
		pf := 1 - float64((1-eff.BorderOpen)*block)
		p := 1 - float64((1-eff.ExitVisas)*(1-pf))
		mt.Exit, mt.ExitRate = true, md.Exit.Rate
		mt.ExitP, mt.ExitVisa, mt.FlightP = p, eff.ExitVisas, pf
		mt.ExitPull = md.Exit.Welcome * eff.Welcome
		mt.ExitRisk = wC * (float64((1-p)*(m.derived.repression+eff.BorderLethality)) + eff.FamilyReprisal)
		mt.FlightRisk = wC * (float64((1-pf)*(m.derived.repression+eff.BorderLethality)) + eff.FamilyReprisal)
		mt.ExitCost = md.Exit.Cost
	}
	if role == agents.Citizen {
		return
	}
	if md.Switch.Enabled {
		mt.Switch = true
		mt.SwitchPull = md.Switch.Pull * m.defShare[g]
		mt.SwitchRisk = float64(md.Switch.Severity*k.Coerce) + float64(wC*eff.FamilyReprisal)
		mt.SwitchCost = md.Switch.Cost
	}
	if md.Shirk.Enabled {
		mt.Shirk = true
		mt.ShirkShare = md.Shirk.Share
		mt.ShirkRisk = md.Shirk.Detection * k.Coerce
		mt.ShirkArrest = md.Shirk.Detection * k.Arrest
	}
}

// afterStep keeps the share of each region's agents who fled this tick
// for the next tick's signal.
func (s *modeState) afterStep(m *Model) {
	for g := range s.emPrev {
		if m.exited[g] { // left in an earlier tick: nobody departs any more
			s.emPrev[g] = 0
			for _, r := range agents.Roles {
				s.counts[r][g].Departed, s.counts[r][g].Fled = 0, 0
			}
			continue
		}
		d := 0
		for _, r := range agents.Roles {
			d += s.counts[r][g].Fled
		}
		s.emPrev[g] = float64(d) / float64(m.regionTotal[g])
	}
}

// labour returns the share of region g's citizens still in the country.
func (s *modeState) labour(m *Model, g int) float64 {
	return 1 - float64(s.counts[agents.Citizen][g].Emigrated)/float64(m.n[agents.Citizen][g])
}

// record fills the defection modes' fields of this tick's records.
func (s *modeState) record(m *Model, rec *TickRecord, regs []RegionRecord) {
	var sw, sh, em [agents.NumRoles]float64
	total, dep := 0.0, 0.0
	for g := range regs {
		regs[g].Modes = [agents.NumRoles]ModeCounts{s.counts[0][g], s.counts[1][g], s.counts[2][g]}
		d, e := 0, 0
		for _, r := range agents.Roles {
			c := s.counts[r][g]
			sw[r] += float64(c.Switched)
			sh[r] += float64(c.Shirked)
			em[r] += float64(c.Emigrated)
			d += c.Departed
			e += c.Emigrated
		}
		dep += float64(d) * s.people[g]
		total += float64(e) * s.people[g]
	}
	for _, r := range agents.Roles {
		n := float64(m.nTotal[r])
		rec.Voice[r] = rec.Defected[r]
		rec.Exit[r], rec.Switch[r], rec.Shirk[r] = em[r]/n, sw[r]/n, sh[r]/n
	}
	rec.Emigrants, rec.EmigrantsTotal = dep, total
}

// modeColumns is the number of ticks.csv columns under defection modes.
const modeColumns = 4*agents.NumRoles + 2

// appendModesHeader appends the defection modes' ticks.csv columns:
// <role>_voice, <role>_exit, <role>_switch, <role>_shirk (mode-major, like
// <role>_defected and <role>_jailed), emigrants and emigrants_total.
func appendModesHeader(h []string) []string {
	for _, mode := range []string{"voice", "exit", "switch", "shirk"} {
		for _, role := range agents.Roles {
			h = append(h, role.String()+"_"+mode)
		}
	}
	return append(h, "emigrants", "emigrants_total")
}

// modesRow writes the defection modes' columns of t to dst.
func modesRow(dst []float64, t *TickRecord) {
	copy(dst, t.Voice[:])
	copy(dst[3:], t.Exit[:])
	copy(dst[6:], t.Switch[:])
	copy(dst[9:], t.Shirk[:])
	dst[12], dst[13] = t.Emigrants, t.EmigrantsTotal
}

// peoplePerAgent returns how many people an agent of region g stands for:
// the region's population over its agents of all roles.
func peoplePerAgent(c *Config) []float64 {
	counts := c.agentCounts()
	out := make([]float64, len(c.Regions))
	for g := range out {
		n := counts[0][g] + counts[1][g] + counts[2][g]
		out[g] = c.Regions[g].PopulationM * 1e6 / float64(n)
	}
	return out
}

// ModeShare is one role's final shares by defection mode: voice, exit
// (emigrated), switch and shirk, as shares of the role's initial
// population.
type ModeShare struct {
	Voice  float64 `json:"voice"`
	Exit   float64 `json:"exit"`
	Switch float64 `json:"switch"`
	Shirk  float64 `json:"shirk"`
}

// ModeShares are the final shares by defection mode of every role
// (summary.json's "modes").
type ModeShares struct {
	Citizen ModeShare `json:"citizen"`
	Soldier ModeShare `json:"soldier"`
	Elite   ModeShare `json:"elite"`
}

// Get returns role r's shares.
func (s *ModeShares) Get(r agents.Role) *ModeShare {
	switch r {
	case agents.Soldier:
		return &s.Soldier
	case agents.Elite:
		return &s.Elite
	}
	return &s.Citizen
}

// modesSummary sets s.Modes and s.EmigrantsTotal from the last tick.
func modesSummary(s *Summary, ticks []TickRecord) {
	s.Modes, s.EmigrantsTotal = &ModeShares{}, ptr(0.0)
	if len(ticks) == 0 {
		return
	}
	t := &ticks[len(ticks)-1]
	for _, r := range agents.Roles {
		*s.Modes.Get(r) = ModeShare{Voice: t.Voice[r], Exit: t.Exit[r], Switch: t.Switch[r], Shirk: t.Shirk[r]}
	}
	*s.EmigrantsTotal = t.EmigrantsTotal
}
