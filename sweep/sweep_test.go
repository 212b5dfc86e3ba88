package sweep_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/sweep"
)

var files = []string{sweep.RunsFile, sweep.RunsJSONFile, sweep.PointsFile, sweep.ManifestFile, sweep.SpecFile, sweep.ScenarioFile}

func load(t testing.TB, name string, sets ...string) *sweep.Spec {
	t.Helper()
	s, err := sweep.Load(filepath.Join("testdata", name), sets...)
	require.NoError(t, err)
	return s
}

func run(t testing.TB, s *sweep.Spec, opt sweep.Options) string {
	t.Helper()
	if opt.Dir == "" {
		opt.Dir = filepath.Join(t.TempDir(), "out")
	}
	_, err := sweep.Run(context.Background(), s, opt)
	require.NoError(t, err)
	return opt.Dir
}

func sameFiles(t *testing.T, a, b string, names ...string) {
	t.Helper()
	for _, f := range names {
		x, err := os.ReadFile(filepath.Join(a, f))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, f))
		require.NoError(t, err)
		assert.Equal(t, string(x), string(y), "%s differs between %s and %s", f, a, b)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "scenario: soviet1991\nsampler: grid\nparameter: []\n", `sweep.yaml:3: parameter: unknown field (did you mean "parameters"?)`},
		{"bad sampler", "scenario: soviet1991\nsampler: random\nparameters: [{name: regime.pay, values: [1]}]\n", `sweep.yaml:2: sampler: must be one of grid, lhs, sobol, got "random"`},
		{"lhs without samples", "scenario: soviet1991\nsampler: lhs\nparameters: [{name: regime.pay, range: [0, 1]}]\n", "samples: the lhs sampler needs samples >= 2"},
		{"unknown field path", "scenario: soviet1991\nsampler: grid\nparameters:\n  - {name: regime.pya, values: [1]}\n", `sweep.yaml:4: parameters[0].name: regime: no field "pya"`},
		{"value out of range", "scenario: soviet1991\nsampler: grid\nparameters:\n  - {name: regime.repression, values: [0.5, 1.5]}\n", "sweep.yaml:4: parameters[0]: regime.repression = 1.5 gives an invalid scenario"},
		{"range and values", "scenario: soviet1991\nsampler: grid\nparameters:\n  - {name: regime.pay, values: [1], range: [0, 1]}\n", "parameters[0]: give values or range, not both"},
		{"grid range without steps", "scenario: soviet1991\nsampler: grid\nparameters:\n  - {name: regime.pay, range: [0, 1]}\n", "parameters[0].steps: a grid over a range needs steps >= 2"},
		{"unknown output", "scenario: soviet1991\nsampler: grid\nparameters: [{name: regime.pay, values: [1]}]\noutputs: [collapse]\n", `sweep.yaml:4: outputs[0]: unknown output "collapse"`},
		{"unknown region output", "scenario: soviet1991\nsampler: grid\nparameters: [{name: regime.pay, values: [1]}]\noutputs: [exit_tick.Prussia]\n", `outputs[0]: names no region of soviet1991: "Prussia"`},
		{"unknown scenario", "scenario: atlantis\nsampler: grid\nparameters: [{name: regime.pay, values: [1]}]\n", "sweep.yaml:1: scenario: scenarios: unknown scenario"},
		{"bad set", "scenario: soviet1991\nset: {regime.repression: 3}\nsampler: grid\nparameters: [{name: regime.pay, values: [1]}]\n", "regime.repression: must be in [0,1], got 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sweep.Parse("sweep.yaml", []byte(tc.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	for _, name := range []string{"grid.yaml", "sobol.yaml"} {
		t.Run(name, func(t *testing.T) {
			ref := run(t, load(t, name), sweep.Options{Workers: 1})
			names := files
			if name == "sobol.yaml" {
				names = append(names, sweep.SensitivityFile)
			}
			for _, w := range []int{2, 8} {
				sameFiles(t, ref, run(t, load(t, name), sweep.Options{Workers: w}), names...)
			}
			b, _ := os.ReadFile(filepath.Join(ref, sweep.RunsFile))
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			m, err := sweep.ReadManifest(ref)
			require.NoError(t, err)
			assert.Len(t, lines, m.Runs+1)
			assert.True(t, m.Complete)
		})
	}
}

func TestResumeAfterCancelIsByteIdentical(t *testing.T) {
	ref := run(t, load(t, "grid.yaml"), sweep.Options{Workers: 2})
	for _, stop := range []int{1, 5, 13, 20} {
		dir := filepath.Join(t.TempDir(), "out")
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		// The cancel is seen at row stop whatever the timing: the row
		// callback returns it, so runs finished ahead of the writer cannot
		// complete the sweep first.
		_, err := sweep.Run(ctx, load(t, "grid.yaml"), sweep.Options{Dir: dir, Workers: 3, OnRow: func(sweep.Row) error {
			if n++; n == stop {
				cancel()
				return ctx.Err()
			}
			return nil
		}})
		require.ErrorIs(t, err, context.Canceled)
		m, err := sweep.ReadManifest(dir)
		require.NoError(t, err)
		assert.False(t, m.Complete)
		res, err := sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{Dir: dir, Workers: 2, Resume: true})
		require.NoError(t, err)
		assert.Equal(t, m.Runs, res.Done+res.Skipped, "stop %d", stop)
		sameFiles(t, ref, dir, files...)
	}
}

func TestResumeRefusesChangedSpec(t *testing.T) {
	dir := run(t, load(t, "grid.yaml"), sweep.Options{})
	_, err := sweep.Run(context.Background(), load(t, "grid.yaml", "replicates=5"), sweep.Options{Dir: dir, Resume: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "spec or its scenario changed")
	_, err = sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{Dir: dir})
	assert.True(t, errors.Is(err, sweep.ErrExists))
}

func TestShardsMergeToTheUnshardedSweep(t *testing.T) {
	for _, name := range []string{"grid.yaml", "sobol.yaml"} {
		t.Run(name, func(t *testing.T) {
			ref := run(t, load(t, name), sweep.Options{})
			var dirs []string
			for i := 0; i < 3; i++ {
				dirs = append(dirs, run(t, load(t, name), sweep.Options{Shard: sweep.Shard{I: i, N: 3}}))
			}
			out := filepath.Join(t.TempDir(), "merged")
			require.NoError(t, sweep.Merge(context.Background(), []string{dirs[2], dirs[0], dirs[1]}, out))
			names := files
			if name == "sobol.yaml" {
				names = append(names, sweep.SensitivityFile)
			}
			sameFiles(t, ref, out, names...)
			err := sweep.Merge(context.Background(), dirs[:2], filepath.Join(t.TempDir(), "x"))
			assert.ErrorContains(t, err, "shard 2/3 is missing")
		})
	}
}

func TestStreamingAPI(t *testing.T) {
	var rows []sweep.Row
	var points []sweep.PointStats
	res, err := sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{
		OnRow: func(r sweep.Row) error {
			r.Params = append([]float64(nil), r.Params...)
			rows = append(rows, r)
			return nil
		},
		OnPoint: func(p sweep.PointStats) error { points = append(points, p); return nil },
	})
	require.NoError(t, err)
	assert.Len(t, rows, 24)
	assert.Len(t, points, 6)
	assert.Equal(t, 24, res.Done)
	for i, r := range rows {
		assert.Equal(t, i, r.Run)
	}
	assert.Equal(t, []float64{0.1, 0.8}, rows[0].Params)
	// Higher repression, fewer soldiers defect: compare the first and last
	// repression levels at the same pay.
	assert.Equal(t, 4, points[0].Runs)
}

func TestSobolSensitivityFile(t *testing.T) {
	dir := run(t, load(t, "sobol.yaml"), sweep.Options{})
	b, err := os.ReadFile(filepath.Join(dir, sweep.SensitivityFile))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	assert.Equal(t, "output,parameter,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi", lines[0])
	assert.Len(t, lines, 1+2*3)
	m, _ := sweep.ReadManifest(dir)
	assert.Equal(t, 16*(3+2), m.Points)
}

func TestInvalidCombinationRejectedBeforeStart(t *testing.T) {
	spec, err := sweep.Parse(filepath.Join("testdata", "combo.yaml"), []byte(`
scenario: tiny.yaml
parameters:
  - {name: ticks, values: [20, 5]}
  - {name: exit.persist, values: [1, 15]}
sampler: grid
`))
	require.NoError(t, err, "each parameter alone is fine at its ends")
	dir := filepath.Join(t.TempDir(), "out")
	n := 0
	_, err = sweep.Run(context.Background(), spec, sweep.Options{Dir: dir, OnRow: func(sweep.Row) error { n++; return nil }})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "point 3 (ticks=5, exit.persist=15) gives an invalid scenario")
	assert.Equal(t, 0, n, "no run before the check")
	_, statErr := os.Stat(dir)
	assert.True(t, os.IsNotExist(statErr), "no directory for a sweep that cannot run")
}

func TestPointStatsAreTheCallersToKeep(t *testing.T) {
	var points []sweep.PointStats
	_, err := sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{OnPoint: func(p sweep.PointStats) error {
		points = append(points, p)
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, []float64{0.1, 0.8}, points[0].Params)
	assert.Equal(t, []float64{0.9, 1.2}, points[5].Params)
}

func TestMergeOddDirectoryNamesAndFailures(t *testing.T) {
	base := filepath.Join(t.TempDir(), "a #1", "b: c")
	var dirs []string
	for i := 0; i < 2; i++ {
		d := filepath.Join(base, "shard "+string(rune('0'+i)))
		run(t, load(t, "grid.yaml"), sweep.Options{Dir: d, Shard: sweep.Shard{I: i, N: 2}})
		dirs = append(dirs, d)
	}
	out := filepath.Join(base, "merged")
	require.NoError(t, sweep.Merge(context.Background(), dirs, out))
	sameFiles(t, run(t, load(t, "grid.yaml"), sweep.Options{}), out, sweep.RunsFile, sweep.PointsFile)

	// A corrupted row: the error names the file and line, and no partial
	// output is left.
	b, _ := os.ReadFile(filepath.Join(dirs[1], sweep.RunsFile))
	lines := strings.Split(string(b), "\n")
	lines[3] = "3,x,0"
	require.NoError(t, os.WriteFile(filepath.Join(dirs[1], sweep.RunsFile), []byte(strings.Join(lines, "\n")), 0o644))
	bad := filepath.Join(base, "bad")
	err := sweep.Merge(context.Background(), dirs, bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "runs.csv line 4")
	_, statErr := os.Stat(bad)
	assert.True(t, os.IsNotExist(statErr), "no partial merge left")
}

// TestOutcomeOutputs: outcome.<class> is 1 for exactly one class per run;
// an unknown class is an error before the sweep starts.
func TestOutcomeOutputs(t *testing.T) {
	var rows []sweep.Row
	_, err := sweep.Run(context.Background(), load(t, "outcome.yaml"), sweep.Options{
		OnRow: func(r sweep.Row) error {
			r.Outputs = append([]float64(nil), r.Outputs...)
			rows = append(rows, r)
			return nil
		},
	})
	require.NoError(t, err)
	require.Len(t, rows, 12)
	for _, r := range rows {
		assert.Equal(t, 1.0, r.Outputs[0]+r.Outputs[1]+r.Outputs[2], "run %d: %v", r.Run, r.Outputs)
	}
	_, err = sweep.Load(filepath.Join("testdata", "outcome.yaml"), "outputs=[outcome.toppled]")
	assert.ErrorContains(t, err, "outcome.toppled")
}

// TestModeOutputs: the defection modes' outputs resolve and read the run
// (voice is final_share; the closed border lets nobody out).
func TestModeOutputs(t *testing.T) {
	var rows []sweep.Row
	_, err := sweep.Run(context.Background(), load(t, "modes.yaml"), sweep.Options{
		OnRow: func(r sweep.Row) error {
			r.Outputs = append([]float64(nil), r.Outputs...)
			rows = append(rows, r)
			return nil
		},
	})
	require.NoError(t, err)
	require.Len(t, rows, 4)
	for _, r := range rows {
		assert.Equal(t, r.Outputs[0], r.Outputs[5], "run %d: final_voice.citizen is final_share.citizen", r.Run)
		closed := r.Point == 0
		assert.Equal(t, closed, r.Outputs[4] == 0, "run %d (point %d): emigrants_total %g", r.Run, r.Point, r.Outputs[4])
		assert.Equal(t, closed, r.Outputs[1] == 0, "run %d (point %d): final_exit.citizen %g", r.Run, r.Point, r.Outputs[1])
	}
	_, err = sweep.Load(filepath.Join("testdata", "modes.yaml"), "outputs=[final_exit.nobody]")
	assert.ErrorContains(t, err, "final_exit.nobody")
}

// TestKilledBeforeManifestStartsAgain: a sweep killed after writing its
// spec and scenario files but before its manifest did no run; running it
// again (with or without --resume) starts it afresh instead of refusing
// the directory, and gives the uninterrupted sweep's files.
func TestKilledBeforeManifestStartsAgain(t *testing.T) {
	ref := run(t, load(t, "grid.yaml"), sweep.Options{Workers: 2})
	for _, resume := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "out")
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, sweep.SpecFile), []byte("left over\n"), 0o644))
		if resume {
			require.NoError(t, os.WriteFile(filepath.Join(dir, sweep.ScenarioFile), []byte("left over\n"), 0o644))
		}
		_, err := sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{Dir: dir, Workers: 2, Resume: resume})
		require.NoError(t, err, "resume %v", resume)
		sameFiles(t, ref, dir, files...)
	}
	// Anything else in the directory still makes it a directory to refuse.
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, sweep.SpecFile), []byte("left over\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine\n"), 0o644))
	_, err := sweep.Run(context.Background(), load(t, "grid.yaml"), sweep.Options{Dir: dir})
	assert.ErrorIs(t, err, sweep.ErrExists)
}
