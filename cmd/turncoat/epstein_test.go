package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEpsteinScenarios: the Epstein variants run like any scenario, keep
// grid snapshots, and plot.
func TestEpsteinScenarios(t *testing.T) {
	out, _, err := runCLI(t, "scenarios")
	require.NoError(t, err)
	for _, v := range []string{"epstein-paper", "epstein-netlogo", "epstein-mesa", "epstein-mesa-model"} {
		assert.Contains(t, out, v)
	}
	dir := filepath.Join(t.TempDir(), "ep")
	js, _, err := runCLI(t, "run", "epstein-mesa", "--ticks", "60", "--seed", "3", "--json", "--out", dir, "--set", "snapshots=[0, 59]")
	require.NoError(t, err)
	var sum map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &sum))
	assert.Equal(t, "mesa", sum["variant"])
	assert.Equal(t, 60.0, sum["ticks"])
	for _, f := range []string{"ticks.csv", "grid.csv", "summary.json", "scenario.yaml", "meta.json"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	_, _, err = runCLI(t, "plot", dir)
	require.NoError(t, err)
	for _, f := range []string{"states.png", "grid_0000.png", "grid_0059.png"} {
		assert.FileExists(t, filepath.Join(dir, "figures", f))
	}
	_, _, err = runCLI(t, "report", dir)
	require.NoError(t, err)
	b, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	assert.Contains(t, string(b), "<svg")

	_, _, err = runCLI(t, "run", "epstein-netlogo", "--set", "cop_density=0.5", "--set", "citizen_density=0.7")
	assert.ErrorContains(t, err, "cop_density: must be >= 0 with citizen_density + cop_density <= 1")
	_, _, err = runCLI(t, "run", "epstein-netlogo", "--set", "vison=3")
	assert.ErrorContains(t, err, `did you mean "vision"?`)
}
