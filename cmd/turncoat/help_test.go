package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHelpEveryCommand: `turncoat help CMD` and `CMD --help` print the
// command's own usage on stdout and succeed, for every command of the table.
func TestHelpEveryCommand(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := runCLI(t, "help", c.name)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(out, "usage: turncoat "+c.name), "help %s starts with its usage line:\n%s", c.name, out)
			if c.flags {
				assert.Contains(t, out, "\nFlags:\n")
			}
			if c.name == "help" || c.name == "version" {
				return
			}
			assert.Contains(t, out, "Examples:")
			out2, _, err := runCLI(t, c.name, "--help")
			require.NoError(t, err)
			assert.Equal(t, out, out2, "%s --help equals help %s", c.name, c.name)
			assert.Equal(t, exitOK, exitCode(context.Background(), err))
		})
	}
	out, _, err := runCLI(t, "help")
	require.NoError(t, err)
	for _, c := range commands {
		assert.Contains(t, out, "turncoat "+c.name)
	}
	assert.Contains(t, out, "130 interrupted")
}

func TestVersion(t *testing.T) {
	out, _, err := runCLI(t, "version")
	require.NoError(t, err)
	assert.Regexp(t, `^turncoat \S+ revision \S+.* go1\.`, out)
}

// TestExitCodes covers the documented exit statuses: 0 ok, 1 failure,
// 2 usage (flag errors included), 130 interrupted.
func TestExitCodes(t *testing.T) {
	tmp := t.TempDir()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		args []string
		code int
	}{
		{"help", context.Background(), []string{"help"}, exitOK},
		{"version", context.Background(), []string{"version"}, exitOK},
		{"plot --help", context.Background(), []string{"plot", "--help"}, exitOK},
		{"show", context.Background(), []string{"show", "kuran"}, exitOK},
		{"no command", context.Background(), nil, exitUsage},
		{"unknown command", context.Background(), []string{"rnu"}, exitUsage},
		{"unknown flag", context.Background(), []string{"run", "kuran", "--bogus"}, exitUsage},
		{"bad flag value", context.Background(), []string{"run", "kuran", "--seed", "x"}, exitUsage},
		{"ticks 0", context.Background(), []string{"run", "kuran", "--ticks", "0"}, exitUsage},
		{"unknown flag of plot", context.Background(), []string{"plot", tmp, "--fromat", "png"}, exitUsage},
		{"help of unknown command", context.Background(), []string{"help", "zzz"}, exitUsage},
		{"unknown scenario", context.Background(), []string{"run", "atlantis"}, exitFailure},
		{"bad field", context.Background(), []string{"show", "soviet1991", "--set", "regime.x=1"}, exitFailure},
		{"interrupted", cancelled, []string{"run", "soviet1991", "--out", filepath.Join(tmp, "r")}, exitInterrupted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.ctx, tc.args, &strings.Builder{}, &strings.Builder{})
			assert.Equal(t, tc.code, exitCode(tc.ctx, err), "error: %v", err)
		})
	}
}

// TestDidYouMean: every name lookup suggests the closest known name.
func TestDidYouMean(t *testing.T) {
	dir := t.TempDir()
	sweepFile := func(name, param, output string) string {
		p := filepath.Join(dir, name+".yaml")
		src := "name: t\nscenario: kuran\nsampler: grid\nreplicates: 2\nparameters:\n  - name: " + param + "\n    values: [0.1, 0.2]\noutputs: [" + output + "]\n"
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
		return p
	}
	good := sweepFile("good", "regime.repression", "collapsed")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"command", []string{"sweeep"}, `did you mean "sweep"?`},
		{"help command", []string{"help", "valdate"}, `did you mean "validate"?`},
		{"scenario", []string{"run", "sovet1991"}, `did you mean "soviet1991"?`},
		{"epstein scenario", []string{"run", "epstien-paper"}, `did you mean "epstein-paper"?`},
		{"show epstein scenario", []string{"show", "epstein-mesaa"}, `did you mean "epstein-mesa"?`},
		{"pack", []string{"run", "arabspring2012"}, `did you mean "arabspring2011"?`},
		{"sweep parameter", []string{"sweep", sweepFile("param", "regime.repressoin", "collapsed"), "--out", filepath.Join(dir, "o1")}, `did you mean "repression"?`},
		{"sweep output", []string{"sweep", sweepFile("output", "regime.repression", "colapsed"), "--out", filepath.Join(dir, "o2")}, `did you mean "collapsed"?`},
		{"sweep --set of a scenario field", []string{"sweep", good, "--set", "regime.surveillance=0.5", "--out", filepath.Join(dir, "o3")}, "use --set set.regime.surveillance=0.5"},
		{"scenario field", []string{"show", "soviet1991", "--set", "regime.repressoin=0.3"}, `did you mean "repression"?`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runCLI(t, tc.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error()+stderr, tc.want)
		})
	}
	// the unknown-scenario error lists the epstein-* variants too
	_, _, err := runCLI(t, "run", "atlantis")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "epstein-mesa")
}

func TestShowEpstein(t *testing.T) {
	out, _, err := runCLI(t, "show", "epstein-mesa")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(out, "name: epstein-mesa"))
}

// TestRunJSONNoDirectory: run --json without --out prints the summary and
// writes no run directory.
func TestRunJSONNoDirectory(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.Chdir(dir))
	defer os.Chdir(wd)
	out, _, err := runCLI(t, "run", "kuran", "--json")
	require.NoError(t, err)
	assert.Contains(t, out, `"scenario": "kuran"`)
	_, err = os.Stat(filepath.Join(dir, "runs"))
	assert.True(t, errors.Is(err, os.ErrNotExist), "no runs/ directory")
}

// TestRunInterpretation: the run output explains the error's sign, lists
// the shocks that fired and what they changed, states soviet1991's driver
// and gives the no-shock counterfactual command, which indeed has no exit.
func TestRunInterpretation(t *testing.T) {
	dir := t.TempDir()
	var small []string // under -race a smaller population keeps the test short
	if raceEnabled {
		small = []string{"--set", "scale=0.1"}
	}
	out, _, err := runCLI(t, append([]string{"run", "soviet1991", "--out", filepath.Join(dir, "a")}, small...)...)
	require.NoError(t, err)
	assert.Contains(t, out, "negative = the region left earlier than in history")
	assert.Contains(t, out, "August coup, 1991-08-19, for 1 tick: fired")
	assert.Contains(t, out, "regime.repression = 0.9")
	assert.Contains(t, out, "What drives it: the cascade is triggered by the scheduled August 1991 coup")
	assert.Contains(t, out, "turncoat run soviet1991 --seed 1 --set 'shocks=[]'")
	if !raceEnabled { // the stated counterfactual, at the scenario's scale
		out, _, err = runCLI(t, "run", "soviet1991", "--set", "shocks=[]", "--json")
		require.NoError(t, err)
		assert.Contains(t, out, `"collapsed": false`)
		assert.Contains(t, out, `"exits": []`)
	}
	out, _, err = runCLI(t, append([]string{"run", "soviet1991", "--set", "history.exits={}", "--out", filepath.Join(dir, "c")}, small...)...)
	require.NoError(t, err)
	assert.Regexp(t, `region\s+week\s+simulated\n`, out, "no empty historical column without history")
	assert.NotContains(t, out, "error (weeks) =")
	_, _, err = runCLI(t, "run", "soviet1991", "--ticks", "10", "--out", filepath.Join(dir, "b"))
	assert.ErrorContains(t, err, "--set 'shocks=[]'")
}

// TestBenchOnly: --only matching nothing is a usage error with a hint; the
// Epstein cases are listed.
func TestBenchOnly(t *testing.T) {
	_, _, err := runCLI(t, "bench", "--only", "zzz")
	require.Error(t, err)
	assert.Equal(t, exitUsage, exitCode(context.Background(), err))
	assert.Contains(t, err.Error(), "epstein mesa, 40x40")
	_, _, err = runCLI(t, "bench", "--only", "epstien")
	assert.ErrorContains(t, err, `did you mean "epstein"?`)
}
