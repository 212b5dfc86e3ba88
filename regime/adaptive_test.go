package regime_test

import (
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestAdaptivePolicyMatchesBuiltin: on every built-in scenario whose shocks
// leave the adaptive parameters alone, the built-in adaptive rules and
// AdaptivePolicy (with the built-in rules disabled) give identical runs,
// also with the rules switched on by --set where a scenario has them off.
func TestAdaptivePolicyMatchesBuiltin(t *testing.T) {
	adaptive := map[string]bool{"regime.repression_response": true, "regime.pay_response": true, "regime.purge_rate": true,
		"regime.protest_tolerance": true, "regime.repression_max": true, "regime.pay_trigger": true, "regime.pay_max": true, "regime.purge_trigger": true}
	checked := 0
	for _, info := range scenarios.List() {
		cfg := load(t, info.Name, "scale=0.05", "regime.pay_response=0.05", "regime.purge_rate=0.1")
		touched := false
		for _, s := range cfg.Shocks {
			for k := range s.Set {
				touched = touched || adaptive[k]
			}
			for k := range s.Scale {
				touched = touched || adaptive[k]
			}
		}
		if touched || cfg.Regime.RepressionResponse == 0 {
			continue
		}
		checked++
		want := runJSON(t, cfg, nil, 1)
		off := cfg.Clone()
		regime.DisableAdaptive(&off.Regime)
		if runJSON(t, off, nil, 1) == want {
			t.Fatalf("%s: disabling the adaptive rules changes nothing", info.Name)
		}
		got := runJSON(t, off, func(m *regime.Model) error {
			m.SetPolicy(regime.NewAdaptivePolicy(cfg.Regime))
			return nil
		}, 1)
		if got != want {
			t.Errorf("%s: AdaptivePolicy differs from the built-in adaptive rules", info.Name)
		}
	}
	t.Logf("%d scenarios checked", checked)
	if checked < 3 {
		t.Fatalf("only %d scenarios checked", checked)
	}
}
