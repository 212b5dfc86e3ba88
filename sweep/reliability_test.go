package sweep_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/sweep"
)

// TestMergeNeverDeletesTheUsersFile: issue 20 item 1. A failed merge
// removes only what it created: a regular file named by --out (even the
// sweep file itself) and a non-empty directory survive unchanged.
func TestMergeNeverDeletesTheUsersFile(t *testing.T) {
	base := t.TempDir()
	var dirs []string
	for i := 0; i < 2; i++ {
		d := filepath.Join(base, "s"+string(rune('0'+i)))
		run(t, load(t, "grid.yaml"), sweep.Options{Dir: d, Shard: sweep.Shard{I: i, N: 2}})
		dirs = append(dirs, d)
	}
	precious := filepath.Join(base, "precious.txt")
	require.NoError(t, os.WriteFile(precious, []byte("keep me"), 0o644))
	err := sweep.Merge(context.Background(), dirs, precious)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a directory")
	b, rerr := os.ReadFile(precious)
	require.NoError(t, rerr, "merge deleted the user's file")
	assert.Equal(t, "keep me", string(b))

	// --out naming a shard's own sweep.yaml.
	spec := filepath.Join(dirs[0], sweep.SpecFile)
	before, _ := os.ReadFile(spec)
	require.Error(t, sweep.Merge(context.Background(), dirs, spec))
	after, rerr := os.ReadFile(spec)
	require.NoError(t, rerr)
	assert.Equal(t, before, after)

	// A symlink to a directory is not followed or removed.
	link := filepath.Join(base, "link")
	require.NoError(t, os.Symlink(base, link))
	require.Error(t, sweep.Merge(context.Background(), dirs, link))
	_, lerr := os.Lstat(link)
	assert.NoError(t, lerr)

	// An existing empty directory is used, and kept when merge fails.
	empty := filepath.Join(base, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	require.Error(t, sweep.Merge(context.Background(), dirs[:1], empty))
	_, serr := os.Stat(empty)
	assert.NoError(t, serr, "merge removed a directory it did not create")
}

// TestSecondSweepDoesNotBreakARunningOne: issue 20 item 2. A second
// sweep, --force or --resume on a directory a sweep is writing is refused
// before it touches anything (temporary files included), and the first
// sweep completes.
func TestSecondSweepDoesNotBreakARunningOne(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	started := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		n := 0
		_, err := sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{Dir: dir, Workers: 1, OnRow: func(sweep.Row) error {
			if n++; n == 1 {
				close(started)
				<-release
			}
			return nil
		}})
		done <- err
	}()
	<-started
	temps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	require.NotEmpty(t, temps, "the running sweep has its points.csv open under a temporary name")
	for _, opt := range []sweep.Options{{Dir: dir}, {Dir: dir, Force: true}, {Dir: dir, Resume: true}} {
		_, err := sweep.Run(context.Background(), load(t, "grid.yaml"), opt)
		assert.ErrorIs(t, err, sweep.ErrDirBusy)
	}
	require.Error(t, sweep.Merge(context.Background(), []string{dir}, dir))
	after, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	assert.Equal(t, temps, after, "the refused commands removed the running sweep's temporary files")
	close(release)
	require.NoError(t, <-done)
	m, err := sweep.ReadManifest(dir)
	require.NoError(t, err)
	assert.True(t, m.Complete)
	require.NoError(t, sweep.VerifyDir(dir))
}

// TestDesignBoundedBeforeBuilding: issue 20 item 3. Oversized designs and
// bootstrap counts are refused by Parse, before any design is built, with
// a message naming the field; no panic and no memory growth.
func TestDesignBoundedBeforeBuilding(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"sobol samples 2^63-1", "scenario: tiny.yaml\nsampler: sobol\nsamples: 9223372036854775807\nparameters: [{name: regime.pay, range: [0.5, 1]}]\n", "more than 10000000 points"},
		{"grid steps 2^32", "scenario: tiny.yaml\nsampler: grid\nparameters: [{name: regime.pay, range: [0.5, 1], steps: 4294967296}]\n", "more than 10000000 points"},
		{"grid product overflows", "scenario: tiny.yaml\nsampler: grid\nparameters:\n  - {name: regime.pay, range: [0.5, 1], steps: 4294967296}\n  - {name: regime.repression, range: [0.1, 0.9], steps: 4294967296}\n", "more than 10000000 points"},
		{"steps 1e9", "scenario: tiny.yaml\nsampler: grid\nparameters: [{name: regime.pay, range: [0.5, 1], steps: 1000000000}]\n", "more than 10000000 points"},
		{"bootstrap 1e9", "scenario: tiny.yaml\nsampler: sobol\nsamples: 4\nbootstrap: 1000000000\nparameters: [{name: regime.pay, range: [0.5, 1]}]\n", "bootstrap: must be at most 100000"},
		{"runs", "scenario: tiny.yaml\nsampler: lhs\nsamples: 1000000\nreplicates: 1000\nparameters: [{name: regime.pay, range: [0.5, 1]}]\n", "more than 100000000 runs"},
		{"missing sampler", "scenario: tiny.yaml\nparameters: [{name: regime.pay, range: [0.5, 1]}]\n", "sampler: must be set: one of grid, lhs, sobol"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sweep.Parse(filepath.Join("testdata", "sweep.yaml"), []byte(tc.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "the  sampler")
		})
	}
	// The Go API refuses the same designs.
	s := load(t, "grid.yaml")
	s.Parameters[0].Steps = 1 << 40
	_, err := s.Design()
	assert.Error(t, err)
}

// TestDuplicateTargetsAndOutputs: issue 20 item 4. Two parameters that
// set one field (by index and by name) and an output listed twice are
// refused instead of reporting values that were never applied.
func TestDuplicateTargetsAndOutputs(t *testing.T) {
	_, err := sweep.Parse(filepath.Join("testdata", "sweep.yaml"), []byte("scenario: tiny.yaml\nsampler: grid\nparameters:\n  - {name: regions.0.legitimacy, values: [0.4, 0.6]}\n  - {name: regions.province.legitimacy, values: [0.5, 0.7]}\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `parameters[1].name: "regions.province.legitimacy" sets the same field as parameters[0]`)
	_, err = sweep.Parse(filepath.Join("testdata", "sweep.yaml"), []byte("scenario: tiny.yaml\nsampler: grid\nparameters: [{name: regime.pay, values: [1]}]\noutputs: [collapsed, collapsed]\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `outputs[1]: output "collapsed" appears twice`)
	// Distinct fields of one region are fine.
	_, err = sweep.Parse(filepath.Join("testdata", "sweep.yaml"), []byte("scenario: tiny.yaml\nsampler: grid\nparameters:\n  - {name: regions.0.legitimacy, values: [0.4, 0.6]}\n  - {name: regions.province.population_m, values: [1, 2]}\n"))
	assert.NoError(t, err)
}

// TestEveryDesignPointValidated: issue 20 item 3. Designs above 200 000
// points used to be checked on an evenly spaced subset; here the invalid
// combination (ticks=5 with exit.persist=15) sits only at points ≡ 1 mod 4
// of 800 000, which that subset never looked at. Every point is checked
// now, before the first run.
func TestEveryDesignPointValidated(t *testing.T) {
	spec, err := sweep.Parse(filepath.Join("testdata", "big.yaml"), []byte(`
scenario: tiny.yaml
parameters:
  - {name: regime.pay, range: [0.5, 1], steps: 200000}
  - {name: ticks, values: [5, 20]}
  - {name: exit.persist, values: [1, 15]}
sampler: grid
`))
	require.NoError(t, err)
	n := 0
	_, err = sweep.Run(context.Background(), spec, sweep.Options{Dir: filepath.Join(t.TempDir(), "out"), OnRow: func(sweep.Row) error { n++; return nil }})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "point 1 (regime.pay=0.5, ticks=5, exit.persist=15) gives an invalid scenario")
	assert.Equal(t, 0, n)
}

// TestResumeIsAsStrictAsMerge: issue 20 item 4. --resume refuses a
// corrupted header and a misnumbered, edited or duplicated row (which merge
// also rejects) instead of marking the directory complete with fresh
// checksums; an intact prefix still resumes to identical files.
func TestResumeIsAsStrictAsMerge(t *testing.T) {
	ref := run(t, load(t, "grid.yaml"), sweep.Options{})
	refCSV, err := os.ReadFile(filepath.Join(ref, sweep.RunsFile))
	require.NoError(t, err)
	refJSON, err := os.ReadFile(filepath.Join(ref, sweep.RunsJSONFile))
	require.NoError(t, err)
	lines := strings.SplitAfter(string(refCSV), "\n")
	jlines := strings.SplitAfter(string(refJSON), "\n")
	// A directory cut after 5 rows, with runs.csv edited by mutate.
	prepare := func(mutate func(csv []string) []string) string {
		dir := filepath.Join(t.TempDir(), "out")
		require.NoError(t, os.MkdirAll(dir, 0o755))
		for _, f := range []string{sweep.ManifestFile, sweep.SpecFile, sweep.ScenarioFile} {
			b, err := os.ReadFile(filepath.Join(ref, f))
			require.NoError(t, err)
			if f == sweep.ManifestFile {
				b = []byte(strings.Replace(string(b), `"complete": true`, `"complete": false`, 1))
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
		}
		csv := mutate(append([]string(nil), lines[:6]...))
		require.NoError(t, os.WriteFile(filepath.Join(dir, sweep.RunsFile), []byte(strings.Join(csv, "")), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, sweep.RunsJSONFile), []byte(strings.Join(jlines[:5], "")), 0o644))
		return dir
	}
	bad := map[string]func([]string) []string{
		"header":      func(c []string) []string { c[0] = strings.Replace(c[0], "seed", "sead", 1); return c },
		"misnumbered": func(c []string) []string { c[3] = "7" + c[3][1:]; return c },
		"duplicate":   func(c []string) []string { c[3] = c[2]; return c },
		"edited output": func(c []string) []string {
			f := strings.Split(strings.TrimSuffix(c[2], "\n"), ",")
			f[len(f)-1] = "12345"
			c[2] = strings.Join(f, ",") + "\n"
			return c
		},
		"edited parameter": func(c []string) []string {
			f := strings.Split(c[4], ",")
			f[4] = "0.77"
			c[4] = strings.Join(f, ",")
			return c
		},
	}
	for name, mutate := range bad {
		t.Run(name, func(t *testing.T) {
			dir := prepare(mutate)
			_, err := sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{Dir: dir, Resume: true})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "cannot resume")
			assert.Contains(t, err.Error(), sweep.RunsFile+" line")
			m, _ := sweep.ReadManifest(dir)
			assert.False(t, m.Complete, "a refused resume must not mark the directory complete")
		})
	}
	dir := prepare(func(c []string) []string { return c })
	_, err = sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{Dir: dir, Resume: true})
	require.NoError(t, err)
	sameFiles(t, ref, dir, sweep.RunsFile, sweep.RunsJSONFile, sweep.PointsFile)
}

// TestDiskEstimate: issue 20 item 10. The disk estimate a sweep checks
// before starting covers its files and is not wildly above them.
func TestDiskEstimate(t *testing.T) {
	dir := run(t, load(t, "grid.yaml"), sweep.Options{})
	m, err := sweep.ReadManifest(dir)
	require.NoError(t, err)
	var used int64
	for _, f := range []string{sweep.RunsFile, sweep.RunsJSONFile, sweep.PointsFile} {
		fi, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err)
		used += fi.Size()
	}
	est := sweep.DiskEstimate(m)
	assert.GreaterOrEqual(t, est, uint64(used))
	assert.Less(t, est, uint64(used)*4+1<<16+1)
	m.ShardRuns = 1_000_000_000
	assert.Greater(t, sweep.DiskEstimate(m), uint64(300e9), "a 10^9-run sweep of this shape needs hundreds of GB")
}
