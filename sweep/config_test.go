package sweep_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
	"github.com/turncoat-abm/turncoat/sweep"
)

// rowsOf runs spec and returns its rows as text.
func rowsOf(t *testing.T, spec *sweep.Spec) ([]string, string) {
	t.Helper()
	var rows []string
	res, err := sweep.Run(context.Background(), spec, sweep.Options{Workers: 2, OnRow: func(r sweep.Row) error {
		rows = append(rows, fmt.Sprint(r))
		return nil
	}})
	require.NoError(t, err)
	return rows, res.Manifest.SpecHash
}

// TestSpecConfig checks that a sweep over a regime.Config built in Go gives
// the same rows and the same hash as the same scenario named in the spec.
func TestSpecConfig(t *testing.T) {
	named := &sweep.Spec{
		Scenario:   "soviet1991",
		Set:        map[string]string{"ticks": "20", "scale": "0.05", "shocks": "[]"},
		Parameters: []sweep.Parameter{{Name: "regime.repression", Values: []float64{0.2, 0.8}}},
		Sampler:    "grid", Replicates: 2, Seed: 7,
	}
	require.NoError(t, named.Validate())
	cfg, err := scenarios.Load("soviet1991")
	require.NoError(t, err)
	inGo := *named
	inGo.Scenario, inGo.Config = "", &cfg
	require.NoError(t, inGo.Validate())
	want, wantHash := rowsOf(t, named)
	got, gotHash := rowsOf(t, &inGo)
	require.Len(t, want, 4)
	require.Equal(t, want, got)
	require.Equal(t, wantHash, gotHash)
	// The sweep does not change the caller's config.
	before, _ := cfg.YAML()
	_, _ = rowsOf(t, &inGo)
	after, _ := cfg.YAML()
	require.Equal(t, string(before), string(after))

	bad := inGo
	bad.Set = map[string]string{"regime.repression": "2"}
	require.ErrorContains(t, bad.Validate(), "regime.repression")
	none := inGo
	none.Config = nil
	require.ErrorContains(t, none.Validate(), "scenario")
}

// TestOptionsSetup runs a sweep whose models get a Go decision rule: the
// rows change, and stay the same for any worker count.
func TestOptionsSetup(t *testing.T) {
	cfg, err := scenarios.Load("soviet1991")
	require.NoError(t, err)
	spec := &sweep.Spec{
		Config:     &cfg,
		Set:        map[string]string{"ticks": "30", "scale": "0.05", "shocks": "[]", "regime.repression": "0.05"},
		Parameters: []sweep.Parameter{{Name: "regime.pay", Values: []float64{0.5, 1}}},
		Sampler:    "grid", Replicates: 2, Seed: 3,
		Outputs: []string{"final_share.soldier", "final_share.citizen"},
	}
	require.NoError(t, spec.Validate())
	eager := agents.DecideFunc(func(d agents.Decision, _ *rand.Rand) bool { return d.U > d.Threshold-0.3 })
	rows := func(workers int, setup func(int, *regime.Model) error) []string {
		var out []string
		_, err := sweep.Run(context.Background(), spec, sweep.Options{Workers: workers, Setup: setup, OnRow: func(r sweep.Row) error {
			out = append(out, fmt.Sprint(r))
			return nil
		}})
		require.NoError(t, err)
		return out
	}
	setup := func(_ int, m *regime.Model) error { return m.SetDecider(agents.Soldier, eager) }
	plain, one, two := rows(1, nil), rows(1, setup), rows(2, setup)
	require.Equal(t, one, two)
	require.NotEqual(t, plain, one)
	bad := func(int, *regime.Model) error { return fmt.Errorf("no") }
	_, err = sweep.Run(context.Background(), spec, sweep.Options{Setup: bad})
	require.ErrorContains(t, err, "setup: no")
}
