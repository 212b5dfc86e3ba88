package scenarios_test

import (
	"os"
	"testing"

	"github.com/turncoat-abm/turncoat/scenarios"
)

// FuzzParse feeds arbitrary YAML and --set overrides to the scenario
// decoder: it must return a config or an error, never panic, and a
// config it returns must validate.
func FuzzParse(f *testing.F) {
	for _, path := range []string{"soviet1991.yaml", "../regime/testdata/province.yaml", "../sweep/testdata/tiny.yaml"} {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b, "regime.repression=0.5")
		}
	}
	f.Add([]byte(good), "regions.0.legitimacy=0.9")
	f.Add([]byte(good+"regime: {repression: 2}\n"), "")
	f.Add([]byte("name: x\nregions: [{name: a, population_m: 1e300, legitimacy: 0.5}]\n"), "scale=1e-300")
	f.Add([]byte("a: &x [*x]\n"), "x.y.z=[1,2]")
	f.Add([]byte("name: t\nshocks: [{name: s, tick: 1, set: {regime.pay: .nan}}]\n"), "shocks.0.scale.regime.pay=-1")
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		cfg, err := scenarios.Parse("fuzz.yaml", data, sets...)
		if err == nil {
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("Parse accepted a config that does not validate: %v", verr)
			}
		}
	})
}
