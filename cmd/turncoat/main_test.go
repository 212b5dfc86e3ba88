package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestScenariosCommand(t *testing.T) {
	out, _, err := runCLI(t, "scenarios")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^soviet1991\s+\S`, out)
}

// TestRunJSONContract checks the field names and types of `run --json`,
// which other tools rely on.
func TestRunJSONContract(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, stderr, err := runCLI(t, "run", "--seed", "3", "soviet1991", "--json", "--out", dir)
	require.NoError(t, err)
	assert.Contains(t, stderr, dir)
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	for _, k := range []string{"scenario", "seed", "ticks", "collapsed", "collapse_tick", "exits", "final_share", "spearman_vs_history", "timing_error_weeks"} {
		assert.Contains(t, raw, k)
	}
	assert.Equal(t, "soviet1991", raw["scenario"])
	assert.Equal(t, 3.0, raw["seed"])
	assert.Equal(t, 104.0, raw["ticks"])
	assert.IsType(t, true, raw["collapsed"])
	share := raw["final_share"].(map[string]any)
	for _, k := range []string{"citizen", "soldier", "elite"} {
		assert.IsType(t, 0.0, share[k])
	}
	date := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	last := -1.0
	for _, e := range raw["exits"].([]any) {
		ex := e.(map[string]any)
		assert.IsType(t, "", ex["region"])
		tick := ex["tick"].(float64)
		assert.GreaterOrEqual(t, tick, last, "exits in simulated order")
		last = tick
		assert.Regexp(t, date, ex["date"])
		assert.Regexp(t, date, ex["historical_date"])
	}
	for _, f := range []string{"meta.json", "ticks.csv", "events.csv", "summary.json", "regions.csv", "scenario.yaml"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	// The saved scenario reproduces the run.
	out2, _, err := runCLI(t, "run", filepath.Join(dir, "scenario.yaml"), "--seed", "3", "--json", "--out", filepath.Join(t.TempDir(), "again"))
	require.NoError(t, err)
	assert.JSONEq(t, out, out2)
}

func TestRunHumanOutputAndDefaultDir(t *testing.T) {
	t.Chdir(t.TempDir())
	out, _, err := runCLI(t, "run", "soviet1991")
	require.NoError(t, err)
	for _, want := range []string{"Exits, in simulated order", "historical", "Regime collapse", "Spearman", "Defected share over time", "run directory: runs/soviet1991-seed1-"} {
		assert.Contains(t, out, want)
	}
	entries, err := os.ReadDir("runs")
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}

func TestRunBadInput(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no scenario", []string{"run"}, true, "exactly one scenario"},
		{"unknown scenario", []string{"run", "atlantis"}, false, `unknown scenario "atlantis"`},
		{"bad set value", []string{"run", "soviet1991", "--set", "regime.repression=7"}, false, "--set regime.repression=7: regime.repression: must be in [0,1], got 7"},
		{"bad set key", []string{"run", "soviet1991", "--set", "regime.repress=0.5"}, false, `did you mean "repression"?`},
		{"bad flag", []string{"run", "soviet1991", "--sed", "3"}, true, "flag provided but not defined"},
		{"negative ticks", []string{"run", "soviet1991", "--ticks", "-3"}, true, "--ticks"},
		{"unknown command", []string{"fly"}, true, `unknown command "fly"`},
		{"seed for a pack", []string{"run", "arabspring2011", "--seed", "4"}, true, "--seed and --workers apply to one scenario"},
		{"replicates for one scenario", []string{"run", "soviet1991", "--replicates", "3"}, true, "use turncoat sweep"},
		{"network field out of range without a network", []string{"run", "soviet1991", "--set", "network.degree=1e9"}, false, "network.degree: must be in [0, 1e6]"},
		{"small world below degree 2", []string{"run", "soviet1991", "--set", "network.kind=small_world", "--set", "network.degree=1"}, false, "a small world needs degree >= 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			_, stderr, err := runCLI(t, append(tc.args, "--out", dir)...)
			require.Error(t, err)
			assert.Contains(t, err.Error()+stderr, tc.want)
			assert.Equal(t, tc.usage, errors.Is(err, errUsage), "usage error")
			_, statErr := os.Stat(dir)
			assert.True(t, os.IsNotExist(statErr), "no output directory after an error")
		})
	}
}

func TestShowCommand(t *testing.T) {
	out, _, err := runCLI(t, "show", "soviet1991", "--set", "regime.repression=0.2")
	require.NoError(t, err)
	assert.Contains(t, out, "repression: 0.2")
	assert.True(t, strings.HasPrefix(out, "name: soviet1991"))
}

func TestRunArabSpringPack(t *testing.T) {
	out, _, err := runCLI(t, "run", "arabspring2011", "--replicates", "2", "--out", filepath.Join(t.TempDir(), "p0"))
	require.NoError(t, err)
	for _, want := range []string{"arabspring2011 — 6 scenarios, 2 replicates each", "arabspring2011-egypt", "arabspring2011-yemen", "history", "modal class matches history in"} {
		assert.Contains(t, out, want)
	}
	// a pack behaves like a run: --json prints an object, --out gets a run
	// directory (pack.json, outcomes.csv), --plot the figure
	pdir := filepath.Join(t.TempDir(), "pack")
	out, _, err = runCLI(t, "run", "arabspring2011", "--replicates", "2", "--json", "--out", pdir, "--plot", "png")
	require.NoError(t, err)
	var sum struct {
		Pack       string           `json:"pack"`
		Replicates int              `json:"replicates"`
		Matches    int              `json:"matches"`
		Scenarios  []map[string]any `json:"scenarios"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	require.Len(t, sum.Scenarios, 6)
	assert.Equal(t, "arabspring2011", sum.Pack)
	assert.Equal(t, 2, sum.Replicates)
	assert.Contains(t, sum.Scenarios[0], "classes")
	for _, f := range []string{"pack.json", "outcomes.csv", "figures/outcomes.png"} {
		assert.FileExists(t, filepath.Join(pdir, f))
	}
	saved, err := os.ReadFile(filepath.Join(pdir, "pack.json"))
	require.NoError(t, err)
	assert.JSONEq(t, out, string(saved))

	dir := filepath.Join(t.TempDir(), "run")
	out, _, err = runCLI(t, "run", "arabspring2011-tunisia", "--out", dir)
	require.NoError(t, err)
	assert.Regexp(t, `Outcome: (defected|split|loyal) \(defected = the regime collapsed.*; history: defected`, out)
	out, _, err = runCLI(t, "scenarios")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^arabspring2011-syria\s+Syria 2011`, out)
}
