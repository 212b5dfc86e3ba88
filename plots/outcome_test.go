package plots_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/regime"
)

func TestOutcomeFigures(t *testing.T) {
	dists := []regime.OutcomeDist{{Defected: 3, Split: 1}, {Loyal: 4}, {}}
	bars, err := plots.OutcomeBars("bars", "outcomes", []string{"a", "b", "c"}, dists)
	require.NoError(t, err)
	lines, err := plots.Lines("lines", "lines", "x", "y", []float64{0, 0.5, 1}, []string{"one", "two"}, [][]float64{{0, 0.2, 0.4}, {1, 0.5, 0}})
	require.NoError(t, err)
	dir := t.TempDir()
	paths, err := plots.Write([]plots.Figure{bars, lines}, dir, "png")
	require.NoError(t, err)
	require.Equal(t, []string{filepath.Join(dir, "bars.png"), filepath.Join(dir, "lines.png")}, paths)
	for _, p := range paths {
		checkPNG(t, p)
	}
	assert.Panics(t, func() { plots.OutcomeBars("x", "x", []string{"a"}, nil) })
	assert.Panics(t, func() { plots.Lines("x", "x", "x", "y", []float64{1}, []string{"a"}, [][]float64{{1, 2}}) })
}
