package regime

import (
	"fmt"
	"math"

	"github.com/turncoat-abm/turncoat/agents"
)

// extensions are the Go extensions of a model: user decision rules per
// role, a policy and an observer.
type extensions struct {
	deciders [agents.NumRoles]agents.Decider
	policy   Policy
	observer Observer
	instr    Instruments // the policy's argument, kept here so the call does not allocate
	err      error       // the policy's error this tick
}

// View is a read-only view of a running model, given to a Policy and an
// Observer. It reads the model in place (nothing is copied) and is valid
// only during the call; the slice Events returns must not be changed or
// kept.
type View struct{ m *Model }

// Tick returns the current tick: the one about to run for a Policy, the one
// just finished for an Observer.
func (v View) Tick() int { return v.m.tick }

// Date returns the start date of Tick.
func (v View) Date() Date { return v.m.cfg.DateOf(v.m.tick) }

// Share returns the defected share of role among the agents of the regions
// still in the state (the shares the built-in adaptive rules read).
func (v View) Share(role agents.Role) float64 { return v.m.inUnionShare(role) }

// RegionShare returns the defected share of role in region g.
func (v View) RegionShare(role agents.Role, g int) float64 { return v.m.share(role, g) }

// Counts returns the number of loyal, defected and jailed agents of role in
// region g (indexed by agents.Loyal, agents.Defected, agents.Jailed).
func (v View) Counts(role agents.Role, g int) [agents.NumStates]int { return v.m.counts[role][g] }

// Regions returns the number of regions; regions are indexed in
// Config.Regions order.
func (v View) Regions() int { return v.m.nReg }

// RegionName returns the name of region g.
func (v View) RegionName(g int) string { return v.m.cfg.Regions[g].Name }

// Legitimacy returns the regime's current legitimacy in region g.
func (v View) Legitimacy(g int) float64 { return v.m.legit[g] }

// Exited reports whether region g has left the state.
func (v View) Exited(g int) bool { return v.m.exited[g] }

// Reserves returns the regime's reserves, in ticks of initial revenue.
func (v View) Reserves() float64 { return v.m.reserves }

// Delivery returns the share of the payroll paid in the last budget.
func (v View) Delivery() float64 { return v.m.derived.delivery }

// Collapsed reports whether the regime has collapsed.
func (v View) Collapsed() bool { return v.m.collapsed }

// Params returns the effective regime parameters: for a Policy, this tick's
// scheduled values (scenario and shocks); for an Observer, the values the
// tick ran with (policy, adaptive rules and collapse included).
func (v View) Params() Params { return v.m.eff }

// Events returns the events so far (shared: do not change or keep it).
func (v View) Events() []Event { return v.m.events }

// Instruments are the regime's instruments a Policy may set for the next
// tick. Validate bounds them as Params bounds the same fields.
type Instruments struct {
	Repression   float64 // ∈ [0,1]
	Surveillance float64 // ∈ [0,1]
	Pay          float64 // soldiers' pay, ≥ 0
	ElitePay     float64 // elites' pay, ≥ 0
	ExtraRewards float64 // extra-budget rewards to soldiers, ≥ 0
	PurgeRate    float64 // ∈ [0,1]
}

// Validate reports an instrument out of its bounds, naming it as its
// regime parameter.
func (in *Instruments) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
		unit bool
	}{
		{"repression", in.Repression, true}, {"surveillance", in.Surveillance, true},
		{"pay", in.Pay, false}, {"elite_pay", in.ElitePay, false},
		{"extra_rewards", in.ExtraRewards, false}, {"purge_rate", in.PurgeRate, true},
	} {
		if f.unit && !(f.v >= 0 && f.v <= 1) {
			return &FieldError{Field: "regime." + f.name, Err: fmt.Errorf("must be in [0,1], got %g", f.v)}
		}
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			return &FieldError{Field: "regime." + f.name, Err: fmt.Errorf("must be finite and >= 0, got %g", f.v)}
		}
	}
	return nil
}

// Policy is a regime's reactive policy, written in Go. Before every tick,
// after the scheduled shocks and before the built-in adaptive rules
// (repression_response, pay_response, purges, which then act on what the
// policy chose) and the budget, the model calls Decide with a view of the
// state at the end of the last tick and the instruments as scheduled for
// this tick (scenario values plus shocks). Decide may change them; the
// change lasts this tick only (the next call starts again from the
// schedule), so a policy that ratchets keeps its own state. Out-of-bounds
// instruments or an error from Decide stop the run with that error.
//
// A policy that keeps state across ticks should also implement
// interface{ Reset() }: the model calls it at every Reset, so a model
// reused for many seeds starts each run afresh. Decide is called from one
// goroutine, in tick order.
type Policy interface {
	Decide(v View, in *Instruments) error
}

// PolicyFunc adapts a function to a Policy (without state).
type PolicyFunc func(v View, in *Instruments) error

// Decide calls f.
func (f PolicyFunc) Decide(v View, in *Instruments) error { return f(v, in) }

// Observer is called after every tick (after the tick's records), for
// custom metrics or streaming; an error stops the run with that error.
type Observer func(v View) error

// SetDecider makes role decide with d instead of its rule's threshold or
// logit choice (the rule's hysteresis and absorbing options still apply);
// nil restores the built-in rule. The role's rule must not be the game
// rule, and the configuration must have no defection modes (Config.Modes):
// both are refused rather than silently ignored. It takes effect from the
// next tick.
func (m *Model) SetDecider(role agents.Role, d agents.Decider) error {
	if role < 0 || int(role) >= agents.NumRoles {
		return fmt.Errorf("regime: SetDecider: no role %d", role)
	}
	if d != nil && m.cfg.Roles.Get(role).Rule.Kind == "game" {
		return fmt.Errorf("regime: SetDecider: roles.%s.rule.kind is game; a Decider replaces the threshold or logit rule", role)
	}
	if d != nil && m.cfg.Modes != nil {
		// The modes kernel chooses among voice, exit, switch and shirk; a
		// binary Decider has no place in it and would be ignored.
		return fmt.Errorf("regime: SetDecider: modes: is set; every role chooses among the defection modes, and a Decider replaces only the binary threshold or logit choice")
	}
	m.ext.deciders[role] = d
	return nil
}

// SetPolicy sets the regime's reactive policy (nil: none).
func (m *Model) SetPolicy(p Policy) { m.ext.policy = p }

// SetObserver sets the per-tick observer (nil: none).
func (m *Model) SetObserver(o Observer) { m.ext.observer = o }

// resetExtensions resets a stateful policy at the start of a run.
func (m *Model) resetExtensions() {
	m.ext.err = nil
	if r, ok := m.ext.policy.(interface{ Reset() }); ok {
		r.Reset()
	}
}

// runPolicy lets the policy set this tick's instruments in m.eff.
func (m *Model) runPolicy(t int) {
	m.ext.err = nil
	if m.ext.policy == nil {
		return
	}
	m.tick = t
	eff := &m.eff
	in := &m.ext.instr
	*in = Instruments{Repression: eff.Repression, Surveillance: eff.Surveillance, Pay: eff.Pay,
		ElitePay: eff.ElitePay, ExtraRewards: eff.ExtraRewards, PurgeRate: eff.PurgeRate}
	if err := m.ext.policy.Decide(View{m}, in); err != nil {
		m.ext.err = fmt.Errorf("regime: policy at tick %d: %w", t, err)
		return
	}
	if err := in.Validate(); err != nil {
		m.ext.err = fmt.Errorf("regime: policy at tick %d: %w", t, err)
		return
	}
	eff.Repression, eff.Surveillance, eff.Pay = in.Repression, in.Surveillance, in.Pay
	eff.ElitePay, eff.ExtraRewards, eff.PurgeRate = in.ElitePay, in.ExtraRewards, in.PurgeRate
}

// observe calls the observer after tick t.
func (m *Model) observe(t int) error {
	if m.ext.observer == nil {
		return nil
	}
	m.tick = t
	if err := m.ext.observer(View{m}); err != nil {
		return fmt.Errorf("regime: observer at tick %d: %w", t, err)
	}
	return nil
}
