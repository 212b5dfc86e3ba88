package regime_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
)

// TestNumericEdges runs extreme but valid settings and checks that no NaN
// or Inf reaches any output: invariants, summary JSON and every CSV.
func TestNumericEdges(t *testing.T) {
	tests := []struct {
		name string
		sets []string
	}{
		{"zero enforcers", []string{"roles.soldier.threshold={dist: const, mean: -1}", "regime.parallel_forces=0"}},
		{"legitimacy 0", []string{"regions.0.legitimacy=0", "regime.legitimacy=0"}},
		{"legitimacy 1", []string{"regions.0.legitimacy=1", "regime.legitimacy=1", "regime.defection_erosion=0", "regime.backfire=0"}},
		{"budget zero", []string{"regime.soldier_payroll=0", "regime.elite_payroll=0", "regime.other_spending=0", "regime.repression_cost=0", "regime.reserves=0"}},
		{"no revenue", []string{"regime.economy_decline=1", "regime.reserves=0"}},
		{"one agent per role", []string{"scale=0.000001", "roles.citizen.min_per_region=1", "roles.soldier.min_per_region=1", "roles.elite.min_per_region=1"}},
		{"all weights zero", []string{"roles.citizen.weights={ideological: 0, economic: 0, social: 0, coercive: 0}", "roles.citizen.observes={citizen: 0, soldier: 0, elite: 0}"}},
		{"no surveillance or repression", []string{"regime.surveillance=0", "regime.repression=0"}},
		{"total surveillance and repression", []string{"regime.surveillance=1", "regime.repression=1", "regime.arrest_rate=1", "regime.family_reprisal=10"}},
		{"everyone defects at once, absorbing", []string{"roles.citizen.threshold={dist: const, mean: -5}", "roles.elite.threshold={dist: const, mean: -5}", "roles.citizen.rule.absorbing=true"}},
		{"logit with tiny tau", []string{"roles.citizen.rule={kind: logit, tau: 1e-9}"}},
		{"collapse on the first tick", []string{"collapse.capacity_floor=1", "collapse.stop=true"}},
		{"short ticks", []string{"tick_days=0.01", "ticks=5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := load(t, province, tc.sets...)
			dir := t.TempDir()
			res, err := regime.RunDir(context.Background(), cfg, 1, dir)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, res, tc.name)
			if _, err := json.Marshal(res.Summary); err != nil {
				t.Fatalf("summary does not encode: %v", err)
			}
			for _, f := range regime.RunFiles {
				b, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				for _, bad := range [][]byte{[]byte("NaN"), []byte("Inf")} {
					if bytes.Contains(b, bad) {
						t.Errorf("%s contains %s", f, bad)
					}
				}
			}
		})
	}
}
