package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunPrintsSeriesAndPlotsModes: `turncoat run gdr1989` prints each
// history series beside the model with the fit and the baselines, and
// `turncoat plot` draws the stacked modes figure and one figure a series.
func TestRunPrintsSeriesAndPlotsModes(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("renders figures (slow under -race); run without -race")
	}
	dir := filepath.Join(t.TempDir(), "run")
	out, _, err := runCLI(t, "run", "gdr1989", "--set", "scale=0.3", "--out", dir)
	require.NoError(t, err)
	for _, want := range []string{
		`History series "leipzig_turnout" against citizen_voice in Leipzig (at, 16 points, break 1989-09-11):`,
		"1989-10-09   70,000", "fit on the shape", "constant  persistence",
		"log correlation (higher is better)", "after/before break (history 148)",
		`History series "emigration" against emigrants_total (at, 2 points):`,
	} {
		assert.Contains(t, out, want)
	}
	out, _, err = runCLI(t, "plot", dir)
	require.NoError(t, err)
	for _, f := range []string{"modes.png", "series-leipzig_turnout.png", "series-emigration.png"} {
		assert.Contains(t, out, filepath.Join(dir, "figures", f))
	}
	// A run without modes or series prints and draws neither.
	dir = filepath.Join(t.TempDir(), "plain")
	out, _, err = runCLI(t, "run", "kuran", "--out", dir)
	require.NoError(t, err)
	assert.NotContains(t, out, "History series")
	out, _, err = runCLI(t, "plot", dir)
	require.NoError(t, err)
	assert.False(t, strings.Contains(out, "modes.png") || strings.Contains(out, "series-"), out)
}
