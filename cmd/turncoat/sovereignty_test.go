package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunPrintsDeclarations: soviet1991-sovereignty has a sovereignty rule, so the
// human output lists the declarations and the JSON summary has the
// additive fields; a scenario without the rule has neither.
func TestRunPrintsDeclarations(t *testing.T) {
	out, _, err := runCLI(t, "run", "soviet1991-sovereignty", "--set", "scale=0.2", "--out", filepath.Join(t.TempDir(), "r"))
	require.NoError(t, err)
	assert.Contains(t, out, "Declarations of sovereignty, in simulated order")
	assert.Contains(t, out, "against history: Spearman")
	js, _, err := runCLI(t, "run", "soviet1991-sovereignty", "--set", "scale=0.2", "--json", "--out", filepath.Join(t.TempDir(), "j"))
	require.NoError(t, err)
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &s))
	for _, k := range []string{"declarations", "spearman_sovereignty", "timing_error_sovereignty_weeks", "exits"} {
		assert.Contains(t, s, k)
	}
	out, _, err = runCLI(t, "run", "kuran", "--out", filepath.Join(t.TempDir(), "k"))
	require.NoError(t, err)
	assert.NotContains(t, out, "Declarations of sovereignty")
}

// TestRunPrintsDeclarationChannels: with the round-5 parts of the assets
// rule the declarations table has a channel column and the JSON summary a
// channel per declaration; without them neither.
func TestRunPrintsDeclarationChannels(t *testing.T) {
	sc := filepath.Join("..", "..", "examples", "calibrate", "scenarios", "soviet1991-assets.yaml")
	out, _, err := runCLI(t, "run", sc, "--set", "scale=0.05", "--set", "assets.last_out=0.1", "--set", "assets.last_out_persist=13",
		"--out", filepath.Join(t.TempDir(), "r"))
	require.NoError(t, err)
	assert.Contains(t, out, "channel")
	assert.Regexp(t, `Russia .* assets\n`, out)
	js, _, err := runCLI(t, "run", sc, "--set", "scale=0.05", "--set", "assets.consequences.conscripts_home=0", "--json")
	require.NoError(t, err)
	var s struct {
		Declarations []struct{ Region, Channel string }
	}
	require.NoError(t, json.Unmarshal([]byte(js), &s))
	require.NotEmpty(t, s.Declarations)
	for _, d := range s.Declarations {
		assert.Contains(t, []string{"assets", "defection"}, d.Channel, d.Region)
	}
	out, _, err = runCLI(t, "run", sc, "--set", "scale=0.05", "--out", filepath.Join(t.TempDir(), "p"))
	require.NoError(t, err)
	assert.NotContains(t, out, "channel")
}
