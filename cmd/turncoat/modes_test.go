package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunPrintsModes: a scenario with a modes block prints the table of
// final shares by mode and the emigrants; one without prints neither.
func TestRunPrintsModes(t *testing.T) {
	sc := filepath.Join("..", "..", "regime", "testdata", "exodus.yaml")
	out, _, err := runCLI(t, "run", sc, "--set", "ticks=20", "--out", filepath.Join(t.TempDir(), "m"))
	require.NoError(t, err)
	assert.Contains(t, out, "Defection modes, final shares of each role:")
	assert.Regexp(t, `role\s+loyal\s+voice\s+exit\s+switch\s+shirk\s+jailed`, out)
	assert.Regexp(t, `Emigrants: \d+ people in all; most in one week: \d+ \(week \d+, \d{4}-\d\d-\d\d\)`, out)
	out, _, err = runCLI(t, "run", "kuran", "--out", filepath.Join(t.TempDir(), "k"))
	require.NoError(t, err)
	assert.NotContains(t, out, "Defection modes")
}
