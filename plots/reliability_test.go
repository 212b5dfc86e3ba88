package plots_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/sweep"
)

// TestEmptyShardDoesNotPanic: issue 20 item 5. A shard with no points
// (shard 170/200 of a 6-point design) completes; plot and report on it
// explain instead of panicking.
func TestEmptyShardDoesNotPanic(t *testing.T) {
	spec, err := sweep.Load("../sweep/testdata/grid.yaml")
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "s")
	_, err = sweep.Run(context.Background(), spec, sweep.Options{Dir: dir, Shard: sweep.Shard{I: 170, N: 200}})
	require.NoError(t, err)
	_, err = plots.SweepFigures(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds no points")
	var b bytes.Buffer
	err = plots.Report(dir, &b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "shard 170/200")
}
