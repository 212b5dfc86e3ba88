package scenarios_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestSovietExitBaselines pins the naive forecasts soviet1991 is judged
// against to the figures quoted in the issues and docs, computed by the
// same scoring code as a run.
func TestSovietExitBaselines(t *testing.T) {
	cfg, err := scenarios.Load("soviet1991")
	require.NoError(t, err)
	bs, err := scenarios.SovietExitBaselines()
	require.NoError(t, err)
	want := map[string][2]float64{ // Spearman, timing error (NaN: order only)
		"august":     {0.5906, 7.7333},
		"referendum": {0.7587, -1},
		"tiers":      {0.7383, 8.8667},
		"median":     {0, 9.7333},
	}
	require.Len(t, bs, len(want))
	for _, b := range bs {
		w, ok := want[b.Name]
		require.True(t, ok, b.Name)
		f := b.Fit(&cfg, cfg.History.Exits)
		assert.Equal(t, 15, f.N, b.Name)
		assert.Empty(t, f.Censored, b.Name)
		if b.Name == "median" {
			assert.True(t, f.Spearman != f.Spearman, "median: a constant forecast has no rank correlation")
		} else {
			assert.InDelta(t, w[0], f.Spearman, 1e-4, "%s Spearman", b.Name)
		}
		if w[1] < 0 {
			assert.True(t, f.TimingErrorWeeks != f.TimingErrorWeeks, "%s: order only", b.Name)
		} else {
			assert.InDelta(t, w[1], f.TimingErrorWeeks, 1e-3, "%s timing", b.Name)
		}
	}
}

// TestSovietRepublicsParse reads the embedded data file.
func TestSovietRepublicsParse(t *testing.T) {
	reps, err := scenarios.SovietRepublics()
	require.NoError(t, err)
	require.Len(t, reps, 15)
	assert.Equal(t, "Russia", reps[0].Name)
	assert.InDelta(t, 0.713, reps[0].ReferendumYes, 1e-12)
	assert.Equal(t, "1990-06-12", reps[0].SovereigntyDeclared.String())
	for _, r := range reps {
		if r.BoycottedReferendum {
			assert.Zero(t, r.ReferendumYes, r.Name)
		}
	}
}
