package main

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/sweep"
)

var sweepFiles = []string{sweep.RunsFile, sweep.RunsJSONFile, sweep.PointsFile, sweep.ManifestFile, sweep.SpecFile, sweep.ScenarioFile}

func sameDirs(t *testing.T, a, b string, names ...string) {
	t.Helper()
	for _, f := range names {
		x, err := os.ReadFile(filepath.Join(a, f))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, f))
		require.NoError(t, err)
		assert.True(t, string(x) == string(y), "%s differs", f)
	}
}

const gridSweep = "../../sweep/testdata/grid.yaml"

func TestSweepCommandAndMerge(t *testing.T) {
	tmp := t.TempDir()
	full := filepath.Join(tmp, "full")
	out, _, err := runCLI(t, "sweep", gridSweep, "--out", full, "--quiet", "--workers", "2")
	require.NoError(t, err)
	assert.Contains(t, out, "24 runs (6 points × 4 replicates)")
	var shards []string
	for _, s := range []string{"0/2", "1/2"} {
		d := filepath.Join(tmp, "shard"+s[:1])
		_, _, err := runCLI(t, "sweep", gridSweep, "--shard", s, "--out", d, "--quiet")
		require.NoError(t, err)
		shards = append(shards, d)
	}
	merged := filepath.Join(tmp, "merged")
	_, _, err = runCLI(t, append([]string{"merge", "--out", merged}, shards...)...)
	require.NoError(t, err)
	sameDirs(t, full, merged, sweepFiles...)

	_, _, err = runCLI(t, "sweep", gridSweep, "--out", full, "--quiet")
	assert.ErrorContains(t, err, "use --resume")
	_, _, err = runCLI(t, "sweep", gridSweep, "--out", full, "--resume", "--quiet", "--set", "replicates=9")
	assert.ErrorContains(t, err, "changed since it started")
	_, _, err = runCLI(t, "sweep", gridSweep, "--shard", "3/2")
	assert.ErrorContains(t, err, "shard must be i/n")
}

// TestSweepKilledAndResumed kills the sweep process with SIGKILL at random
// moments, resumes it each time, and checks the final files against an
// uninterrupted sweep, byte for byte.
func TestSweepKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly")
	}
	tmp := t.TempDir()
	bin := buildBinary(t, tmp)

	args := []string{"sweep", gridSweep, "--quiet", "--set", "replicates=1500", "--set", "seed=11"}
	ref := filepath.Join(tmp, "ref")
	require.NoError(t, exec.Command(bin, append(args, "--out", ref)...).Run())

	dir := filepath.Join(tmp, "killed")
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 5))
	started, kills := false, 0
	for attempt := 0; attempt < 8 && kills < 4; attempt++ {
		a := append(append([]string{}, args...), "--out", dir, "--workers", "2")
		if started {
			a = append(a, "--resume")
		}
		cmd := exec.Command(bin, a...)
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(20+r.IntN(250)) * time.Millisecond)
		_ = cmd.Process.Kill() // SIGKILL: no chance to flush or clean up
		err := cmd.Wait()
		if _, statErr := os.Stat(filepath.Join(dir, sweep.ManifestFile)); statErr == nil {
			started = true
		}
		if err != nil {
			kills++
		}
		if m, err := sweep.ReadManifest(dir); err == nil && m.Complete {
			break
		}
	}
	t.Logf("killed %d times", kills)
	if !started {
		require.NoError(t, exec.Command(bin, append(args, "--out", dir)...).Run())
	}
	// Under heavy load every kill can come before the first rows are
	// flushed: then the resume has nothing to skip.
	runs, _ := os.ReadFile(filepath.Join(dir, sweep.RunsFile))
	finished := strings.Count(string(runs), "\n") > 1 // complete rows after the header
	outb, err := exec.Command(bin, append(args, "--out", dir, "--resume")...).CombinedOutput()
	require.NoError(t, err, string(outb))
	sameDirs(t, ref, dir, sweepFiles...)
	assert.True(t, strings.Contains(string(outb), "already done") || kills == 0 || !finished)
}

func TestSweepInterruptMessage(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "s")
	var o, e strings.Builder
	err := run(ctx, []string{"sweep", gridSweep, "--out", dir, "--quiet"}, &o, &e)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--resume")
}

// buildBinary builds the turncoat binary into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "turncoat")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	return bin
}
