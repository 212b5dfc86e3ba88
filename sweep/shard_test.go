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

func TestShardDir(t *testing.T) {
	assert.Equal(t, filepath.Join("out", "shard-3-of-4"), sweep.ShardDir("out", sweep.Shard{I: 3, N: 4}))
	assert.Equal(t, filepath.Join("out", "shard-003-of-1000"), sweep.ShardDir("out", sweep.Shard{I: 3, N: 1000}))
	assert.Equal(t, filepath.Join("out", "shard-09-of-11"), sweep.ShardDir("out", sweep.Shard{I: 9, N: 11}))
}

// runShards runs every shard of n into parent with RunShard.
func runShards(t *testing.T, name, parent string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		res, err := sweep.RunShard(context.Background(), load(t, name), parent, sweep.Options{Shard: sweep.Shard{I: i, N: n}})
		require.NoError(t, err)
		assert.False(t, res.AlreadyComplete)
		assert.Equal(t, sweep.ShardDir(parent, sweep.Shard{I: i, N: n}), res.Dir)
	}
}

func TestRunShardIsAtomicAndIdempotent(t *testing.T) {
	ref := run(t, load(t, "grid.yaml"), sweep.Options{})
	parent := filepath.Join(t.TempDir(), "out")
	sh := sweep.Shard{I: 1, N: 4}

	// Killed (here: cancelled) part way: only the .partial directory exists.
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := sweep.RunShard(ctx, load(t, "grid.yaml"), parent, sweep.Options{Shard: sh, OnRow: func(sweep.Row) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	}})
	require.ErrorIs(t, err, context.Canceled)
	_, err = os.Stat(sweep.ShardDir(parent, sh))
	assert.True(t, os.IsNotExist(err), "no final directory before the shard completes")
	_, err = os.Stat(sweep.ShardDir(parent, sh) + sweep.PartialSuffix)
	require.NoError(t, err)

	// Requeued: resumes, then renames.
	res, err := sweep.RunShard(context.Background(), load(t, "grid.yaml"), parent, sweep.Options{Shard: sh})
	require.NoError(t, err)
	assert.Positive(t, res.Skipped, "the requeued shard kept the rows of the first attempt")
	assert.Equal(t, res.Manifest.ShardRuns, res.Done+res.Skipped)
	_, err = os.Stat(sweep.ShardDir(parent, sh) + sweep.PartialSuffix)
	assert.True(t, os.IsNotExist(err))
	m, err := sweep.ReadManifest(res.Dir)
	require.NoError(t, err)
	assert.True(t, m.Complete)
	assert.Equal(t, "1/4", m.Shard)
	assert.Equal(t, 2, m.ShardPoints) // grid.yaml: 6 points (1 and 5 here), 4 replicates
	assert.Equal(t, 8, m.ShardRuns)
	assert.Equal(t, [2]int{4, 23}, [2]int{m.FirstRun, m.LastRun})
	assert.Len(t, m.SHA256, 5)
	before, err := os.ReadFile(filepath.Join(res.Dir, sweep.RunsFile))
	require.NoError(t, err)

	// Requeued again after it finished: nothing to do, nothing written.
	res, err = sweep.RunShard(context.Background(), load(t, "grid.yaml"), parent, sweep.Options{Shard: sh})
	require.NoError(t, err)
	assert.True(t, res.AlreadyComplete)
	assert.Equal(t, 0, res.Done)
	after, _ := os.ReadFile(filepath.Join(res.Dir, sweep.RunsFile))
	assert.Equal(t, string(before), string(after))

	// Another sweep into the same directory is refused.
	_, err = sweep.RunShard(context.Background(), load(t, "grid.yaml", "replicates=5"), parent, sweep.Options{Shard: sh})
	assert.ErrorContains(t, err, "of a different sweep")

	// A damaged finished shard is not silently accepted.
	require.NoError(t, os.WriteFile(filepath.Join(res.Dir, sweep.PointsFile), []byte("x\n"), 0o644))
	_, err = sweep.RunShard(context.Background(), load(t, "grid.yaml"), parent, sweep.Options{Shard: sh})
	assert.ErrorContains(t, err, "points.csv does not match the checksum")

	// The other shards, then the merge of the parent directory.
	require.NoError(t, os.WriteFile(filepath.Join(res.Dir, sweep.PointsFile), nil, 0o644))
	require.NoError(t, os.RemoveAll(res.Dir))
	runShards(t, "grid.yaml", parent, 4)
	out := filepath.Join(t.TempDir(), "merged")
	require.NoError(t, sweep.Merge(context.Background(), []string{parent}, out))
	sameFiles(t, ref, out, files...)
}

func TestRunShardBusy(t *testing.T) {
	parent := t.TempDir()
	sh := sweep.Shard{I: 0, N: 2}
	started := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		n := 0
		_, err := sweep.RunShard(context.Background(), load(t, "grid.yaml"), parent, sweep.Options{Shard: sh, OnRow: func(sweep.Row) error {
			if n++; n == 1 {
				close(started)
				<-release
			}
			return nil
		}})
		done <- err
	}()
	<-started
	_, err := sweep.RunShard(context.Background(), load(t, "grid.yaml"), parent, sweep.Options{Shard: sh})
	assert.ErrorIs(t, err, sweep.ErrShardBusy)
	close(release)
	require.NoError(t, <-done)
}

func TestMergeRefusesNamingTheShards(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "out")
	runShards(t, "grid.yaml", parent, 6)
	shard := func(i int) string { return sweep.ShardDir(parent, sweep.Shard{I: i, N: 6}) }
	merge := func(args ...string) error {
		return sweep.Merge(context.Background(), args, filepath.Join(t.TempDir(), "merged"))
	}

	err := merge(shard(0), shard(2), shard(3), shard(5))
	assert.ErrorContains(t, err, "shards 1/6, 4/6 are missing")

	err = merge(shard(0), shard(1), shard(1), shard(2), shard(3), shard(4), shard(5))
	assert.ErrorContains(t, err, "shard 1/6 given twice")

	other := filepath.Join(t.TempDir(), "other")
	_, err = sweep.RunShard(context.Background(), load(t, "grid.yaml", "seed=99"), other, sweep.Options{Shard: sweep.Shard{I: 4, N: 6}})
	require.NoError(t, err)
	err = merge(shard(0), shard(1), shard(2), shard(3), sweep.ShardDir(other, sweep.Shard{I: 4, N: 6}), shard(5))
	assert.ErrorContains(t, err, "come from different sweeps")

	// An unfinished shard in the parent directory is named.
	require.NoError(t, os.Rename(shard(2), shard(2)+sweep.PartialSuffix))
	err = merge(parent)
	assert.ErrorContains(t, err, "shard-2-of-6.partial is unfinished")
	assert.ErrorContains(t, err, "shard 2/6 is missing")
	require.NoError(t, os.Rename(shard(2)+sweep.PartialSuffix, shard(2)))
	require.NoError(t, merge(parent))

	// A row edited after the shard finished: the checksum catches it.
	path := filepath.Join(shard(3), sweep.RunsFile)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	edited := strings.Replace(string(b), ",0.5,", ",0.25,", 1)
	require.NotEqual(t, string(b), edited)
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o644))
	err = merge(parent)
	assert.ErrorContains(t, err, "shard-3-of-6/runs.csv does not match the checksum")

	// A row appended twice (a shard that wrote a row again): refused with
	// the file and line.
	lines := strings.SplitAfter(string(b), "\n")
	dup := strings.Join(append(lines[:3:3], lines[2:]...), "")
	require.NoError(t, os.WriteFile(path, []byte(dup), 0o644))
	err = merge(parent)
	assert.ErrorContains(t, err, "shard-3-of-6/runs.csv line 4 holds run")
}

// TestMoreShardsThanPoints: shards without points are empty but valid, and
// the merge still reproduces the unsharded sweep.
func TestMoreShardsThanPoints(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "out")
	runShards(t, "grid.yaml", parent, 8) // 6 points
	m, err := sweep.ReadManifest(sweep.ShardDir(parent, sweep.Shard{I: 7, N: 8}))
	require.NoError(t, err)
	assert.Equal(t, 0, m.ShardRuns)
	assert.Equal(t, [2]int{-1, -1}, [2]int{m.FirstRun, m.LastRun})
	out := filepath.Join(t.TempDir(), "merged")
	require.NoError(t, sweep.Merge(context.Background(), []string{parent}, out))
	sameFiles(t, run(t, load(t, "grid.yaml"), sweep.Options{}), out, files...)
}
