package sweep_test

import (
	"context"
	"os"
	"path/filepath"
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
