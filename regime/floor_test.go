package regime_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/regime"
)

// floorScenario is the shipped sovereignty variant at a small scale, up
// to the coup: the damage term drives several republics' legitimacy to 0
// there without a floor.
func floorScenario(t *testing.T, sets ...string) regime.Config {
	return load(t, "soviet1991-sovereignty", append([]string{"scale=0.1"}, sets...)...)
}

func runOne(t *testing.T, cfg regime.Config) *regime.Result {
	t.Helper()
	m, err := regime.New(cfg)
	require.NoError(t, err)
	res, err := m.Run(context.Background(), 3)
	require.NoError(t, err)
	return res
}

// TestLegitimacyFloorOff: the zero value is no floor. A Go struct literal
// without the field validates, and the field stays out of a written
// scenario (omitempty), so every scenario's files are byte-identical; the
// damage does take some region to 0.
func TestLegitimacyFloorOff(t *testing.T) {
	cfg := floorScenario(t)
	assert.Zero(t, cfg.Regime.LegitimacyFloor)
	b, err := yaml.Marshal(cfg)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "legitimacy_floor")
	res := runOne(t, cfg)
	zero := false
	for _, r := range res.Regions {
		zero = zero || (!r.Exited && r.Legitimacy == 0)
	}
	assert.True(t, zero, "without a floor the damage takes some republic's legitimacy to 0")

	bad := floorScenario(t)
	bad.Regime.LegitimacyFloor = 1.5
	_, err = regime.New(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "regime.legitimacy_floor")
}

// TestLegitimacyFloorOne: floor 1 makes the damage inert, the same run as
// with no damage at all (no erosion, no backfire).
func TestLegitimacyFloorOne(t *testing.T) {
	if raceEnabled {
		t.Skip("about 6 s under -race: CI runs it in the non-race step")
	}
	a := runOne(t, floorScenario(t, "regime.legitimacy_floor=1"))
	b := runOne(t, floorScenario(t, "regime.defection_erosion=0", "regime.backfire=0"))
	assert.Equal(t, fingerprint(b), fingerprint(a))
}

// TestLegitimacyFloorMonotone: on a fixed seed a higher floor never
// lowers any region's legitimacy as long as the runs share their state:
// up to the first tick at which some legitimacy differs, every region's
// is at least as high, and at that tick the floor binds for at least one
// region. (After that the agents react and the runs diverge: legitimacy
// is not monotone in the floor along a whole trajectory, nor need it be.)
func TestLegitimacyFloorMonotone(t *testing.T) {
	if raceEnabled {
		t.Skip("about 6 s under -race: CI runs it in the non-race step")
	}
	var prev *regime.Result
	for _, f := range []float64{0, 0.25, 0.5, 0.75, 1} {
		res := runOne(t, floorScenario(t, fmt.Sprintf("regime.legitimacy_floor=%g", f)))
		if prev != nil {
			n := len(res.Config.Regions)
			first := -1
			for i, r := range res.Regions {
				if r.Legitimacy != prev.Regions[i].Legitimacy {
					first = i / n
					break
				}
			}
			require.GreaterOrEqual(t, first, 0, "floor %g binds somewhere", f)
			higher := 0
			for g := range n {
				r, p := res.Regions[first*n+g], prev.Regions[first*n+g]
				assert.GreaterOrEqual(t, r.Legitimacy, p.Legitimacy, "floor %g, tick %d, region %d", f, first, g)
				if r.Legitimacy > p.Legitimacy {
					higher++
				}
			}
			assert.Positive(t, higher, "floor %g", f)
		}
		prev = res
	}
}
