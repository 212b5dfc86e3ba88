package plots

import (
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/turncoat-abm/turncoat/abm"
)

// Color is a colour of the palette.
type Color = color.RGBA

// Okabe–Ito colours.
var (
	Orange    = color.RGBA{230, 159, 0, 255}
	SkyBlue   = color.RGBA{86, 180, 233, 255}
	Green     = color.RGBA{0, 158, 115, 255}
	Yellow    = color.RGBA{240, 228, 66, 255}
	Blue      = color.RGBA{0, 114, 178, 255}
	Vermilion = color.RGBA{213, 94, 0, 255}
	Purple    = color.RGBA{204, 121, 167, 255}
	Black     = color.RGBA{0, 0, 0, 255}
	Grey      = color.RGBA{120, 120, 120, 255}
)

// series are the colour and dash pattern of the i-th line.
var seriesColors = []color.Color{Blue, Vermilion, Green, Orange, Purple, SkyBlue, Black}
var seriesDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}

func styleLine(s *draw.LineStyle, i int) {
	s.Color = seriesColors[i%len(seriesColors)]
	s.Dashes = seriesDashes[i%len(seriesDashes)]
	s.Width = vg.Points(2)
}

// Figure is a plot with its file name (without extension) and size. A
// figure of several panels sets Tiles (rows of plots, nil for an empty
// cell) instead of Plot.
type Figure struct {
	Name  string
	Title string
	Plot  *plot.Plot
	Tiles [][]*plot.Plot
	W, H  vg.Length
}

// writerTo renders the figure at w×h in format.
func (f Figure) writerTo(w, h vg.Length, format string) (io.WriterTo, error) {
	if f.Tiles == nil {
		return f.Plot.WriterTo(w, h, format)
	}
	var c vg.CanvasWriterTo
	switch format {
	case "svg":
		c = vgsvg.New(w, h)
	default:
		c = vgimg.PngCanvas{Canvas: vgimg.New(w, h)}
	}
	dc := draw.New(c)
	cols := 0
	for _, r := range f.Tiles {
		cols = max(cols, len(r))
	}
	grid := make([][]*plot.Plot, len(f.Tiles))
	for i, r := range f.Tiles {
		grid[i] = make([]*plot.Plot, cols)
		copy(grid[i], r)
	}
	t := draw.Tiles{Rows: len(grid), Cols: cols, PadX: vg.Points(6), PadY: vg.Points(6), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align(grid, t, dc)
	for i := range grid {
		for j, p := range grid[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	return c, nil
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Tick.Label.Font.Size = vg.Points(10)
	p.Legend.TextStyle.Font.Size = vg.Points(11)
	p.Add(gridLines())
	return p
}

// Write saves figures into dir as format ("png" or "svg") and returns the
// paths. Each file is written atomically.
func Write(figs []Figure, dir, format string) ([]string, error) {
	format = strings.ToLower(format)
	if format != "png" && format != "svg" {
		return nil, fmt.Errorf("plots: format must be png or svg, got %q", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var paths []string
	for _, f := range figs {
		w, h := f.W, f.H
		if w == 0 {
			w, h = 9*vg.Inch, 5*vg.Inch
		}
		wt, err := f.writerTo(w, h, format)
		if err != nil {
			return paths, fmt.Errorf("plots: %s: %w", f.Name, err)
		}
		path := filepath.Join(dir, f.Name+"."+format)
		af, err := abm.CreateAtomic(path)
		if err != nil {
			return paths, err
		}
		if _, err := wt.WriteTo(af); err != nil {
			af.Abort()
			return paths, fmt.Errorf("plots: %s: %w", path, err)
		}
		if err := af.Commit(); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func color8(v uint8) color.Color { return color.RGBA{v, v, v, 255} }

func colorAlpha(c color.RGBA, a uint8) color.Color {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: a}
}
