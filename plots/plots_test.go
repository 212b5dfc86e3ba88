package plots_test

import (
	"context"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
	"github.com/turncoat-abm/turncoat/sweep"
)

// checkPNG decodes a figure and checks its size and that it is not blank
// (the pixel values vary).
func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, _, err := image.Decode(f)
	require.NoError(t, err, path)
	b := img.Bounds()
	assert.GreaterOrEqual(t, b.Dx(), 500, path)
	assert.GreaterOrEqual(t, b.Dy(), 300, path)
	assert.Greater(t, pixelVariance(img), 0.002, "%s looks blank", path)
}

// pixelVariance is the variance of the grey level over a grid of pixels:
// near 0 for a blank image.
func pixelVariance(img image.Image) float64 {
	b := img.Bounds()
	var sum, sum2, n float64
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			v := float64(r+g+bl) / 3 / 65535
			sum, sum2, n = sum+v, sum2+v*v, n+1
		}
	}
	mean := sum / n
	return sum2/n - mean*mean
}

// runFigures runs a scenario (seed 1) into a directory and returns the
// run figures drawn from what it reads back.
func runFigures(t *testing.T, name string, sets ...string) (figs []plots.Figure, res *regime.Result, dir string) {
	t.Helper()
	cfg, err := scenarios.Load(name, sets...)
	require.NoError(t, err)
	dir = t.TempDir()
	_, err = regime.RunDir(context.Background(), cfg, 1, dir)
	require.NoError(t, err)
	res, err = plots.LoadRun(dir)
	require.NoError(t, err)
	figs, err = plots.RunFigures(res)
	require.NoError(t, err)
	return figs, res, dir
}

func TestRunFigures(t *testing.T) {
	figs, _, dir := runFigures(t, "soviet1991")
	names := map[string]bool{}
	for _, f := range figs {
		names[f.Name] = true
		assert.NotEmpty(t, f.Plot.Title.Text)
	}
	assert.True(t, names["shares"] && names["regime"] && names["exits"], "figures: %v", names)
	assert.False(t, names["declarations"], "no sovereignty rule, no declarations figure")
	// Axes and legends name what they show.
	assert.Equal(t, "defected share", figs[0].Plot.Y.Label.Text)
	assert.Equal(t, "date", figs[0].Plot.X.Label.Text)
	paths, err := plots.Write(figs, filepath.Join(dir, "figures"), "png")
	require.NoError(t, err)
	for _, p := range paths {
		checkPNG(t, p)
	}
	svg, err := plots.Write(figs[:1], filepath.Join(dir, "svg"), "svg")
	require.NoError(t, err)
	b, _ := os.ReadFile(svg[0])
	for _, want := range []string{"<svg", "citizens", "soldiers", "elites", "August coup"} {
		assert.Contains(t, string(b), want)
	}
}

func TestSweepFigures(t *testing.T) {
	spec, err := sweep.Load("../sweep/testdata/sobol.yaml")
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "s")
	_, err = sweep.Run(context.Background(), spec, sweep.Options{Dir: dir})
	require.NoError(t, err)
	figs, err := plots.SweepFigures(dir)
	require.NoError(t, err)
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	all := strings.Join(names, " ")
	for _, want := range []string{"heatmap_final_share_citizen", "lines_final_share_citizen", "sobol_final_share_citizen", "hist_final_share_citizen"} {
		assert.Contains(t, all, want)
	}
	paths, err := plots.Write(figs, filepath.Join(dir, "figures"), "png")
	require.NoError(t, err)
	for _, p := range paths {
		checkPNG(t, p)
	}
}

// TestRunFiguresDeclarations: a run with a sovereignty rule has a
// declarations figure beside the exits, read back from its directory.
func TestRunFiguresDeclarations(t *testing.T) {
	figs, res, dir := runFigures(t, "soviet1991-sovereignty", "scale=0.1")
	require.NotEmpty(t, res.Summary.Declarations)
	var decl *plots.Figure
	for i := range figs {
		if figs[i].Name == "declarations" {
			decl = &figs[i]
		}
	}
	require.NotNil(t, decl, "a declarations figure")
	assert.Contains(t, decl.Plot.Title.Text, "declared sovereignty")
	paths, err := plots.Write([]plots.Figure{*decl}, filepath.Join(dir, "figures"), "png")
	require.NoError(t, err)
	checkPNG(t, paths[0])
}
