package regime_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/regime/regimetest"
)

// small is a short, small soviet1991 for extension tests.
func small(t testing.TB, sets ...string) regime.Config {
	return load(t, "soviet1991", append([]string{"ticks=40", "scale=0.05", "shocks=[]"}, sets...)...)
}

// runJSON runs cfg with setup and seed and returns the run as JSON.
func runJSON(t *testing.T, cfg regime.Config, setup regimetest.Setup, workers int) string {
	t.Helper()
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		if err := setup(m); err != nil {
			t.Fatal(err)
		}
	}
	m.SetWorkers(workers)
	res, err := m.Run(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{res.Summary, res.Ticks, res.Events})
	return string(b)
}

// threshold and logit are the built-in rules written as Deciders.
var threshold = agents.DecideFunc(func(d agents.Decision, _ *rand.Rand) bool { return d.U > d.Threshold })

func logit(tau float64) agents.Decider {
	inv := 1 / tau
	return agents.DecideFunc(func(d agents.Decision, r *rand.Rand) bool {
		return r.Float64()*(1+math.Exp(-(d.U-d.Threshold)*inv)) < 1
	})
}

func allRoles(d agents.Decider) regimetest.Setup {
	return func(m *regime.Model) error {
		for _, r := range agents.Roles {
			if err := m.SetDecider(r, d); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestDeciderReproducesBuiltins: the threshold and logit rules written as
// Deciders give bit-identical runs to the built-in kernels, with 1 and 2
// workers, so a Decider sees exactly the built-in U and θ.
func TestDeciderReproducesBuiltins(t *testing.T) {
	cfg := small(t)
	want := runJSON(t, cfg, nil, 1)
	for _, w := range []int{1, 2} {
		if got := runJSON(t, cfg, allRoles(threshold), w); got != want {
			t.Errorf("threshold Decider with %d workers differs from the built-in rule", w)
		}
	}
	lcfg := small(t, "roles.citizen.rule={kind: logit, tau: 0.05, hysteresis: 0.05}",
		"roles.soldier.rule={kind: logit, tau: 0.05, hysteresis: 0.05}", "roles.elite.rule={kind: logit, tau: 0.05, hysteresis: 0.05}")
	lwant := runJSON(t, lcfg, nil, 1)
	if got := runJSON(t, lcfg, allRoles(logit(0.05)), 2); got != lwant {
		t.Error("logit Decider differs from the built-in logit rule")
	}
	// A different rule for soldiers only changes the run.
	never := agents.DecideFunc(func(agents.Decision, *rand.Rand) bool { return false })
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetDecider(agents.Soldier, never); err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	// (A region that exits takes its agents with it as defected.)
	for _, rr := range res.Regions {
		if !rr.Exited && rr.Counts[agents.Soldier][agents.Defected] != 0 {
			t.Fatalf("tick %d region %d: %d soldiers defected under a rule that never defects", rr.Tick, rr.Region, rr.Counts[agents.Soldier][agents.Defected])
		}
	}
	if res.Summary.PeakShare.Citizen == 0 {
		t.Error("citizens never defect in soviet1991: the test says nothing")
	}
}

func TestDeciderConformance(t *testing.T) {
	cfg := small(t)
	regimetest.Deterministic(t, cfg, allRoles(logit(0.1)))
	regimetest.ZeroAllocs(t, cfg, allRoles(logit(0.1)))
}

func TestSetDeciderGame(t *testing.T) {
	cfg := small(t, "roles.soldier.rule.kind=game")
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetDecider(agents.Soldier, threshold); err == nil || !strings.Contains(err.Error(), "game") {
		t.Errorf("SetDecider on a game role: err = %v", err)
	}
	if err := m.SetDecider(agents.Citizen, threshold); err != nil {
		t.Error(err)
	}
}

func TestSetDeciderModes(t *testing.T) {
	cfg := small(t)
	md := regime.DefaultModes()
	cfg.Modes = &md
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetDecider(agents.Citizen, threshold); err == nil || !strings.Contains(err.Error(), "modes") {
		t.Errorf("SetDecider under modes: err = %v, want a refusal naming modes", err)
	}
	if err := m.SetDecider(agents.Citizen, nil); err != nil {
		t.Errorf("SetDecider(nil) under modes: %v", err)
	}
}

// crackdown raises repression to 1 while citizens protest above a level,
// for a number of ticks (a ratchet with state, reset by Reset).
type crackdown struct {
	level float64
	left  int
}

func (p *crackdown) Reset() { p.left = 0 }

func (p *crackdown) Decide(v regime.View, in *regime.Instruments) error {
	if v.Share(agents.Citizen) > p.level {
		p.left = 8
	}
	if p.left > 0 {
		p.left--
		in.Repression = 1
	}
	return nil
}

func TestPolicy(t *testing.T) {
	cfg := small(t)
	base := runJSON(t, cfg, nil, 1)
	same := runJSON(t, cfg, func(m *regime.Model) error {
		m.SetPolicy(regime.PolicyFunc(func(regime.View, *regime.Instruments) error { return nil }))
		return nil
	}, 1)
	if same != base {
		t.Error("a policy that changes nothing changes the run")
	}
	setup := func(m *regime.Model) error { m.SetPolicy(&crackdown{level: 0.02}); return nil }
	if got := runJSON(t, cfg, setup, 1); got == base {
		t.Error("a crackdown policy changes nothing")
	}
	regimetest.Deterministic(t, cfg, setup)
	regimetest.ZeroAllocs(t, cfg, setup)

	// The policy's repression is what the tick records (no adaptive rule here).
	m, _ := regime.New(cfg)
	m.SetPolicy(regime.PolicyFunc(func(v regime.View, in *regime.Instruments) error {
		in.Repression = 0.9
		return nil
	}))
	res, err := m.Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range res.Ticks {
		if !tk.Collapsed && tk.Repression != 0.9 {
			t.Fatalf("tick %d: repression %g, want 0.9", tk.Tick, tk.Repression)
		}
	}

	// Out of bounds and errors stop the run.
	m.SetPolicy(regime.PolicyFunc(func(v regime.View, in *regime.Instruments) error {
		in.Surveillance = 1.5
		return nil
	}))
	if _, err := m.Run(context.Background(), 1); err == nil || !strings.Contains(err.Error(), "regime.surveillance: must be in [0,1]") {
		t.Errorf("surveillance 1.5: err = %v", err)
	}
	stop := errors.New("stop")
	m.SetPolicy(regime.PolicyFunc(func(v regime.View, in *regime.Instruments) error {
		if v.Tick() == 3 {
			return stop
		}
		return nil
	}))
	if _, err := m.Run(context.Background(), 1); !errors.Is(err, stop) {
		t.Errorf("policy error: err = %v", err)
	}
}

func TestObserver(t *testing.T) {
	cfg := small(t)
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var soldiers []float64
	var exits int
	m.SetObserver(func(v regime.View) error {
		n, d := 0, 0
		for g := range v.Regions() {
			c := v.Counts(agents.Soldier, g)
			n += c[agents.Loyal] + c[agents.Defected] + c[agents.Jailed]
			d += c[agents.Defected]
		}
		soldiers = append(soldiers, float64(d)/float64(n))
		exits = 0
		for _, e := range v.Events() {
			if e.Kind == regime.EventExit {
				exits++
			}
		}
		return nil
	})
	res, err := m.Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(soldiers) != len(res.Ticks) {
		t.Fatalf("observer called %d times for %d ticks", len(soldiers), len(res.Ticks))
	}
	for i, tk := range res.Ticks {
		if math.Abs(soldiers[i]-tk.Defected[agents.Soldier]) > 1e-12 {
			t.Errorf("tick %d: observed %g, recorded %g", i, soldiers[i], tk.Defected[agents.Soldier])
		}
	}
	if exits != len(res.Summary.Exits) {
		t.Errorf("observer saw %d exits, summary %d", exits, len(res.Summary.Exits))
	}
}
