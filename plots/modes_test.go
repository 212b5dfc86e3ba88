package plots_test

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestModeAndSeriesFigures draws the stacked modes figure and the series
// figures of a gdr1989 run, and checks that a run without modes or
// series gets neither.
func TestModeAndSeriesFigures(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("renders figures (slow under -race); run without -race")
	}
	cfg, err := scenarios.Load("gdr1989", "scale=0.5")
	require.NoError(t, err)
	dir := t.TempDir()
	_, err = regime.RunDir(context.Background(), cfg, 1, dir)
	require.NoError(t, err)
	require.True(t, plots.HasModes(dir))
	figs, err := plots.ModeFigures(dir)
	require.NoError(t, err)
	require.Len(t, figs, 1)
	assert.Equal(t, "modes", figs[0].Name)
	assert.Len(t, figs[0].Tiles, 3, "one panel per role")
	res, err := plots.LoadRun(dir)
	require.NoError(t, err)
	sf, err := plots.SeriesFigures(res)
	require.NoError(t, err)
	require.Len(t, sf, 2)
	assert.Equal(t, "series-leipzig_turnout", sf[0].Name)
	paths, err := plots.Write(append(figs, sf...), filepath.Join(dir, "figures"), "png")
	require.NoError(t, err)
	for _, p := range paths {
		checkPNG(t, p)
	}
	// The stacked bands fill the panels: the top panel's middle is loyal
	// (sky blue) early in the run, not the white background.
	f, err := os.Open(paths[0])
	require.NoError(t, err)
	defer f.Close()
	img, _, err := image.Decode(f)
	require.NoError(t, err)
	b := img.Bounds()
	r, g, bl, _ := img.At(b.Min.X+b.Dx()/5, b.Min.Y+b.Dy()/8).RGBA()
	assert.Equal(t, [3]uint32{86, 180, 233}, [3]uint32{r >> 8, g >> 8, bl >> 8}, "loyal band colour")

	plain, err := scenarios.Load("kuran")
	require.NoError(t, err)
	dir = t.TempDir()
	_, err = regime.RunDir(context.Background(), plain, 1, dir)
	require.NoError(t, err)
	assert.False(t, plots.HasModes(dir))
	figs, err = plots.ModeFigures(dir)
	require.NoError(t, err)
	assert.Empty(t, figs)
	res, err = plots.LoadRun(dir)
	require.NoError(t, err)
	sf, err = plots.SeriesFigures(res)
	require.NoError(t, err)
	assert.Empty(t, sf)
}

// raceOn is set by race_ext_test.go under -race (raceEnabled is the
// internal test package's).
var raceOn bool
