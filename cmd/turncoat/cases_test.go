package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestCasesBuild: `cases build` writes one scenario file per row, the
// same bytes as the built-in pack for the pack's rows; `run FILE.csv#CASE`
// runs a row; `run FILE.csv` runs the table as a pack.
func TestCasesBuild(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runCLI(t, "cases", "build", "uprisings.csv", "--sample", "arabspring2011", "--out", dir)
	require.NoError(t, err)
	assert.Equal(t, 6, strings.Count(out, ".yaml"))
	for _, name := range scenarios.Pack("arabspring2011") {
		got, err := os.ReadFile(filepath.Join(dir, name+".yaml"))
		require.NoError(t, err)
		want, err := scenarios.Source(name)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), name)
	}
	_, _, err = runCLI(t, "cases", "build", "uprisings.csv", "--case", "china1989", "--out", dir)
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(dir, "china1989.yaml"))
	out, _, err = runCLI(t, "run", filepath.Join(dir, "china1989.yaml"), "--json", "--out", filepath.Join(dir, "run"))
	require.NoError(t, err)
	assert.Contains(t, out, `"outcome"`, "a built file runs like any scenario")

	out, _, err = runCLI(t, "run", "uprisings.csv#burma2007", "--json", "--out", filepath.Join(dir, "run2"))
	require.NoError(t, err)
	assert.Contains(t, out, `"scenario": "burma2007"`)

	out, _, err = runCLI(t, "cases", "list", "uprisings.csv")
	require.NoError(t, err)
	assert.Contains(t, out, "iraq1991")

	// a table of one's own as a pack
	data, err := os.ReadFile("../../scenarios/data/uprisings.csv")
	require.NoError(t, err)
	lines := strings.Split(string(data), "\n")
	mine := filepath.Join(dir, "mine.csv")
	require.NoError(t, os.WriteFile(mine, []byte(lines[0]+"\n"+lines[1]+"\n"+lines[3]+"\n"), 0o644))
	out, _, err = runCLI(t, "run", mine, "--replicates", "2", "--out", filepath.Join(dir, "minerun"))
	require.NoError(t, err)
	assert.Contains(t, out, "#arabspring2011-tunisia")
	assert.Contains(t, out, "#arabspring2011-libya")
}

// TestCasesBuildErrors: a bad table writes nothing and names file, line
// and column.
func TestCasesBuildErrors(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../scenarios/data/uprisings.csv")
	require.NoError(t, err)
	bad := strings.Replace(string(data), ",Egypt,arabspring2011,2011-01-25,81.1,", ",Egypt,arabspring2011,2011-01-25,-81.1,", 1)
	require.NotEqual(t, string(data), bad)
	path := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))
	out := filepath.Join(dir, "out")
	_, _, err = runCLI(t, "cases", "build", path, "--out", out)
	assert.ErrorContains(t, err, path+":3: column population_m: -81.1 out of range")
	assert.NoDirExists(t, out, "nothing is written after an error")

	_, _, err = runCLI(t, "cases", "build", "uprisings.csv", "--case", "irann1978", "--out", out)
	assert.ErrorContains(t, err, `did you mean "iran1978"?`)
	_, _, err = runCLI(t, "cases")
	assert.ErrorIs(t, err, errUsage)
	_, _, err = runCLI(t, "cases", "frobnicate")
	assert.ErrorIs(t, err, errUsage)
	_, _, err = runCLI(t, "run", "uprisings.csv#atlantis")
	assert.ErrorContains(t, err, `unknown case "atlantis"`)
}
