package regime

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestModesConfigDefaultsAndSet(t *testing.T) {
	c := DefaultConfig()
	if c.Modes != nil {
		t.Fatal("DefaultConfig has modes; want nil (voice only)")
	}
	if err := c.Apply("modes.exit.enabled=true", "regime.border_control=0.9", "regime.border_open=0.1"); err != nil {
		t.Fatal(err)
	}
	want := DefaultModes()
	want.Exit.Enabled = true
	if c.Modes == nil || *c.Modes != want {
		t.Fatalf("modes after --set = %+v, want the defaults with exit on %+v", c.Modes, want)
	}
	if c.Regime.BorderControl != 0.9 || c.Regime.BorderOpen != 0.1 {
		t.Fatalf("regime.border_* = %g, %g", c.Regime.BorderControl, c.Regime.BorderOpen)
	}
	// YAML round trip.
	b, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	var d Config
	if err := yaml.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.Modes == nil || *d.Modes != *c.Modes || d.Regime != c.Regime {
		t.Fatalf("round trip: modes %+v regime %+v", d.Modes, d.Regime)
	}
	// Without modes the new parameters do not appear in the YAML (so
	// scenario.yaml and its hash are unchanged).
	e := DefaultConfig()
	b, _ = e.YAML()
	for _, k := range []string{"modes", "border_open", "exit_visas", "minders", "welcome"} {
		if strings.Contains(string(b), k) {
			t.Errorf("default YAML mentions %s", k)
		}
	}
	// Clone is deep.
	f := c.Clone()
	f.Modes.Tau = 9
	if c.Modes.Tau == 9 {
		t.Error("Clone shares Modes")
	}
}

func TestModesConfigValidate(t *testing.T) {
	c := DefaultConfig()
	md := DefaultModes()
	md.Choice = "best"
	md.Tau = 0
	md.Exit.Travel = 2
	md.Shirk.Detection = -1
	md.Switch.Cost = -0.5
	c.Modes = &md
	c.Regime.BorderOpen = 1.5
	c.Regime.ExitVisas = -0.1
	err := c.Validate()
	for _, want := range []string{"modes.choice", "modes.tau", "modes.exit.travel", "modes.shirk.detection",
		"modes.switch.cost", "regime.border_open", "regime.exit_visas"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to name %s", err, want)
		}
	}
	c = DefaultConfig()
	c.Modes = &md
	*c.Modes = DefaultModes()
	c.Roles.Soldier.Rule.Kind = "game"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "game rule") {
		t.Errorf("modes with the game rule: err = %v", err)
	}
}

func TestModesShockable(t *testing.T) {
	for _, name := range []string{"border_open", "border_control", "border_lethality", "exit_visas", "minders", "welcome", "family_reprisal"} {
		if _, err := paramIndex("regime." + name); err != nil {
			t.Errorf("regime.%s is not shockable: %v", name, err)
		}
	}
	c := DefaultConfig()
	tick := 3
	c.Shocks = []Shock{{Name: "hungary", Tick: &tick, Set: map[string]float64{"regime.border_open": 1.2}}}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "shocks[0].set.regime.border_open") {
		t.Errorf("shock setting border_open to 1.2: err = %v", err)
	}
}
