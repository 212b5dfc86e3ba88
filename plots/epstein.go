package plots

import (
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// IsGridRun reports whether dir is a run of a grid model (it holds
// grid.csv).
func IsGridRun(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "grid.csv"))
	return err == nil
}

// GridRunFigures draws an Epstein run directory: quiet, active and jailed
// citizens over time, and the grid (quiet, active, jailed citizens and
// cops) at each saved tick.
func GridRunFigures(dir string) ([]Figure, error) {
	ticks, err := readTable(filepath.Join(dir, "ticks.csv"))
	if err != nil {
		return nil, err
	}
	name := filepath.Base(dir)
	var sum struct {
		Scenario string `json:"scenario"`
		Seed     uint64 `json:"seed"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "summary.json")); err == nil && json.Unmarshal(b, &sum) == nil && sum.Scenario != "" {
		name = fmt.Sprintf("%s (seed %d)", sum.Scenario, sum.Seed)
	}
	p := newPlot(fmt.Sprintf("%s: citizens by state", name), "tick", "citizens")
	for i, name := range []string{"active", "jailed", "quiet"} {
		xy := make(plotter.XYs, len(ticks.rows))
		for r := range ticks.rows {
			xy[r] = plotter.XY{X: ticks.num(r, "tick"), Y: ticks.num(r, name)}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		styleLine(&l.LineStyle, i)
		p.Add(l)
		p.Legend.Add(name, l)
	}
	p.Legend.Top = true
	figs := []Figure{{Name: "states", Title: "Citizens by state", Plot: p}}

	grid, err := readTable(filepath.Join(dir, "grid.csv"))
	if err != nil {
		return nil, err
	}
	var snaps []float64
	for r := range grid.rows {
		if t := grid.num(r, "tick"); !slices.Contains(snaps, t) {
			snaps = append(snaps, t)
		}
	}
	kinds := []struct {
		name  string
		color color.Color
		shape draw.GlyphDrawer
	}{
		{"quiet", color8(185), draw.BoxGlyph{}},
		{"active", Vermilion, draw.BoxGlyph{}},
		{"jailed", Black, draw.CrossGlyph{}},
		{"cop", Blue, draw.CircleGlyph{}},
	}
	for _, t := range snaps {
		q := newPlot(fmt.Sprintf("%s: the grid at tick %g", name, t), "", "")
		var counts []string
		for _, k := range kinds {
			var xy plotter.XYs
			for r := range grid.rows {
				if grid.num(r, "tick") == t && grid.rows[r][grid.col["kind"]] == k.name {
					xy = append(xy, plotter.XY{X: grid.num(r, "x"), Y: grid.num(r, "y")})
				}
			}
			if len(xy) == 0 {
				continue
			}
			s, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, err
			}
			s.GlyphStyle = draw.GlyphStyle{Shape: k.shape, Radius: vg.Points(3.2), Color: k.color}
			q.Add(s)
			counts = append(counts, fmt.Sprintf("%d %s", len(xy), k.name))
		}
		q.X.Label.Text = "grey ■ quiet   red ■ active   × jailed   blue ● cop\n" + strings.Join(counts, ", ")
		q.X.Tick.Marker = plot.DefaultTicks{}
		figs = append(figs, Figure{Name: fmt.Sprintf("grid_%04g", t), Title: fmt.Sprintf("The grid at tick %g", t), Plot: q, W: 7.5 * vg.Inch, H: 6 * vg.Inch})
	}
	return figs, nil
}
