package plots

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

func gridLines() plot.Plotter {
	g := plotter.NewGrid()
	g.Horizontal.Color = color8(230)
	g.Vertical.Color = color8(230)
	return g
}

// unix returns the x coordinate of a date (seconds since 1970).
func unix(d regime.Date) float64 { return float64(d.Unix()) }

func dateAxis(p *plot.Plot) {
	p.X.Tick.Marker = plot.TimeTicks{Format: "2006-01", Ticker: monthTicks{}}
}

// monthTicks puts a tick at the start of every quarter (or year, for long
// spans), labelled YYYY-MM.
type monthTicks struct{}

func (monthTicks) Ticks(min, max float64) []plot.Tick {
	t0 := time.Unix(int64(min), 0).UTC()
	t1 := time.Unix(int64(max), 0).UTC()
	step := 3
	if t1.Sub(t0) > 6*365*24*time.Hour {
		step = 12
	} else if t1.Sub(t0) < 200*24*time.Hour {
		step = 1
	}
	var ticks []plot.Tick
	t := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
	for !t.After(t1) {
		if !t.Before(t0) {
			label := ""
			if (int(t.Month())-1)%step == 0 {
				label = t.Format("2006-01")
			}
			ticks = append(ticks, plot.Tick{Value: float64(t.Unix()), Label: label})
		}
		t = t.AddDate(0, 1, 0)
	}
	return ticks
}

// RunFigures draws a run's figures: shares (defected share per role, shocks
// marked), regime (legitimacy, repression, pay delivered, coercive
// capacity, economy), when regions exited or have historical dates,
// exits (simulated beside historical dates), and under a sovereignty rule
// declarations (the same for the declarations of sovereignty).
func RunFigures(res *regime.Result) ([]Figure, error) {
	c := &res.Config
	if len(res.Ticks) == 0 {
		return nil, fmt.Errorf("plots: the run has no ticks")
	}
	var figs []Figure

	// Defected shares.
	p := newPlot(fmt.Sprintf("%s (seed %d): defected share by role", c.Name, res.Seed), "date", "defected share")
	dateAxis(p)
	p.Y.Min, p.Y.Max = 0, 1
	for i, role := range agents.Roles {
		xy := make(plotter.XYs, len(res.Ticks))
		for k, t := range res.Ticks {
			xy[k] = plotter.XY{X: unix(t.Date), Y: t.Defected[role]}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		styleLine(&l.LineStyle, i)
		p.Add(l)
		p.Legend.Add(role.String()+"s", l)
	}
	// One marker per shock date, naming every shock that starts then.
	var markTicks []int
	names := map[int]string{}
	for _, s := range c.Shocks {
		tick := 0
		if s.Tick != nil {
			tick = *s.Tick
		} else {
			tick = c.TickOf(*s.At)
		}
		if _, ok := names[tick]; ok {
			names[tick] += " / " + s.Name
		} else {
			names[tick] = s.Name
			markTicks = append(markTicks, tick)
		}
	}
	late := func(tick int) bool { return tick > c.Ticks*3/4 } // label to the left of the line
	for _, tick := range markTicks {
		addMarker(p, unix(c.DateOf(tick)), names[tick], Grey, 0.97, late(tick))
	}
	if sm := res.Summary; sm.Collapsed && sm.CollapseTick != nil {
		addMarker(p, unix(c.DateOf(*sm.CollapseTick)), "collapse", Black, 0.9, late(*sm.CollapseTick))
	}
	p.Legend.Top, p.Legend.Left = true, true
	figs = append(figs, Figure{Name: "shares", Title: "Defected share by role", Plot: p})

	// Regime variables.
	p = newPlot(fmt.Sprintf("%s (seed %d): the regime", c.Name, res.Seed), "date", "level (0–1)")
	dateAxis(p)
	p.Y.Min, p.Y.Max = 0, 1.05
	vars := []struct {
		name string
		get  func(t *regime.TickRecord) float64
	}{
		{"legitimacy (mean of regions in the state)", func(t *regime.TickRecord) float64 { return t.Legitimacy }},
		{"repression", func(t *regime.TickRecord) float64 { return t.Repression }},
		{"pay delivered", func(t *regime.TickRecord) float64 { return t.Delivery }},
		{"coercive capacity", func(t *regime.TickRecord) float64 { return t.Capacity }},
		{"economy", func(t *regime.TickRecord) float64 { return math.Min(1.05, t.Economy) }},
	}
	for i, v := range vars {
		xy := make(plotter.XYs, len(res.Ticks))
		for k := range res.Ticks {
			xy[k] = plotter.XY{X: unix(res.Ticks[k].Date), Y: v.get(&res.Ticks[k])}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		styleLine(&l.LineStyle, i)
		p.Add(l)
		p.Legend.Add(v.name, l)
	}
	p.Legend.Top, p.Legend.Left = false, true
	p.Legend.YOffs = vg.Points(10)
	figs = append(figs, Figure{Name: "regime", Title: "The regime's variables", Plot: p})

	if f, ok, err := exitFigure(res); err != nil {
		return nil, err
	} else if ok {
		figs = append(figs, f)
	}
	if f, ok, err := declarationFigure(res); err != nil {
		return nil, err
	} else if ok {
		figs = append(figs, f)
	}
	return figs, nil
}

// exitFigure draws each region's simulated exit date (filled) beside its
// historical date (hollow), regions ordered by history (or by simulation).
func exitFigure(res *regime.Result) (Figure, bool, error) {
	return datesFigure(res, res.Summary.Exits, res.Config.History.Exits, "exits", "when each region left", "Exits, simulated and historical")
}

// declarationFigure is exitFigure for the declarations of sovereignty
// (only under a sovereignty rule).
func declarationFigure(res *regime.Result) (Figure, bool, error) {
	if res.Config.Sovereignty == nil {
		return Figure{}, false, nil
	}
	return datesFigure(res, res.Summary.Declarations, res.Config.History.Declarations, "declarations",
		"when each region declared sovereignty", "Declarations of sovereignty, simulated and historical")
}

// datesFigure draws each region's simulated date of an event (events)
// beside its historical date (hist), regions ordered by history (or by
// simulation).
func datesFigure(res *regime.Result, events []regime.Exit, hist map[string]regime.Date, name, what, title string) (Figure, bool, error) {
	c := &res.Config
	sim := map[string]regime.Date{}
	for _, e := range events {
		sim[e.Region] = c.DateOf(e.Tick)
	}
	if len(sim) == 0 && len(hist) == 0 {
		return Figure{}, false, nil
	}
	var names []string
	for _, g := range c.Regions {
		if _, a := sim[g.Name]; a {
			names = append(names, g.Name)
		} else if _, b := hist[g.Name]; b {
			names = append(names, g.Name)
		}
	}
	key := func(n string) float64 {
		if h, ok := hist[n]; ok {
			return unix(h)
		}
		return unix(sim[n])
	}
	slices.SortStableFunc(names, func(a, b string) int { return int(math.Copysign(1, key(b)-key(a))) })
	end := unix(c.DateOf(c.Ticks))
	p := newPlot(fmt.Sprintf("%s (seed %d): %s", c.Name, res.Seed, what), "date", "")
	dateAxis(p)
	var simXY, histXY plotter.XYs
	// Two empty rows at the bottom hold the legend, which would otherwise
	// overlap the lowest regions' labels and segments.
	const legendRows = 2
	for i, n := range names {
		y := float64(i + legendRows)
		if d, ok := sim[n]; ok {
			simXY = append(simXY, plotter.XY{X: unix(d), Y: y})
		}
		if h, ok := hist[n]; ok {
			histXY = append(histXY, plotter.XY{X: unix(h), Y: y})
			x2, ok := sim[n]
			x := end
			if ok {
				x = unix(x2)
			}
			seg, err := plotter.NewLine(plotter.XYs{{X: unix(h), Y: y}, {X: x, Y: y}})
			if err != nil {
				return Figure{}, false, err
			}
			seg.Color = color8(190)
			seg.Width = vg.Points(1)
			if !ok {
				seg.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
			}
			p.Add(seg)
		}
	}
	if len(histXY) > 0 {
		h, err := plotter.NewScatter(histXY)
		if err != nil {
			return Figure{}, false, err
		}
		h.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(4.5), Color: Vermilion}
		p.Add(h)
		p.Legend.Add("historical", h)
	}
	if len(simXY) > 0 {
		s, err := plotter.NewScatter(simXY)
		if err != nil {
			return Figure{}, false, err
		}
		s.GlyphStyle = draw.GlyphStyle{Shape: draw.PyramidGlyph{}, Radius: vg.Points(4.5), Color: Blue}
		p.Add(s)
		p.Legend.Add("simulated", s)
	}
	p.NominalY(append(make([]string, legendRows), names...)...)
	p.Y.Min = -0.5
	p.Legend.Top, p.Legend.Left = false, true
	p.Legend.YOffs = vg.Points(8)
	p.X.Min = unix(c.Start)
	p.X.Max = end + 3*7*24*3600 // room for the last marker
	h := vg.Length(len(names)+legendRows)*vg.Points(22) + 1.5*vg.Inch
	return Figure{Name: name, Title: title, Plot: p, W: 9 * vg.Inch, H: max(h, 4*vg.Inch)}, true, nil
}

// addMarker draws a labelled vertical line at x, the label at height y,
// to the left of the line when left is set.
func addMarker(p *plot.Plot, x float64, label string, c color.Color, y float64, left bool) {
	l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: 1}})
	if err != nil {
		return
	}
	l.Color = c
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	l.Width = vg.Points(1)
	p.Add(l)
	text := " " + label
	if left {
		text = label + " "
	}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: y}}, Labels: []string{text}})
	if err == nil {
		lb.TextStyle[0].Font.Size = vg.Points(9)
		lb.TextStyle[0].Color = c
		if left {
			lb.TextStyle[0].XAlign = draw.XRight
		}
		p.Add(lb)
	}
}

// LoadRun reads a run directory written by turncoat run (scenario.yaml,
// ticks.csv, summary.json) into a Result with the fields figures need.
func LoadRun(dir string) (*regime.Result, error) {
	res := &regime.Result{Config: regime.DefaultConfig()}
	b, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		return nil, fmt.Errorf("plots: %s is not a run directory: %w", dir, err)
	}
	if err := yaml.Unmarshal(b, &res.Config); err != nil {
		return nil, fmt.Errorf("plots: %s/scenario.yaml: %w", dir, err)
	}
	if b, err = os.ReadFile(filepath.Join(dir, "summary.json")); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	if err := json.Unmarshal(b, &res.Summary); err != nil {
		return nil, fmt.Errorf("plots: %s/summary.json: %w", dir, err)
	}
	res.Seed = res.Summary.Seed
	rows, col, err := readTicksCSV(dir)
	if err != nil {
		return nil, err
	}
	num := func(row []string, name string) float64 {
		i, ok := col[name]
		if !ok || i >= len(row) {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(row[i], 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	_, modes := col["citizen_voice"] // the defection modes' columns
	for ln, row := range rows[1:] {
		d, err := regime.ParseDate(row[col["date"]])
		if err != nil {
			return nil, fmt.Errorf("plots: %s/ticks.csv line %d: %w", dir, ln+2, err)
		}
		t := regime.TickRecord{Tick: int(num(row, "tick")), Date: d, Legitimacy: num(row, "legitimacy"), Repression: num(row, "repression"),
			Delivery: num(row, "delivery"), Capacity: num(row, "coercive_capacity"), Economy: num(row, "economy"),
			Reserves: num(row, "reserves"), ExitedPop: num(row, "exited_population")}
		for _, role := range agents.Roles {
			t.Defected[role] = num(row, role.String()+"_defected")
			t.Jailed[role] = num(row, role.String()+"_jailed")
		}
		if modes {
			for _, role := range agents.Roles {
				t.Voice[role] = num(row, role.String()+"_voice")
				t.Exit[role] = num(row, role.String()+"_exit")
				t.Switch[role] = num(row, role.String()+"_switch")
				t.Shirk[role] = num(row, role.String()+"_shirk")
			}
			t.Emigrants, t.EmigrantsTotal = num(row, "emigrants"), num(row, "emigrants_total")
		}
		res.Ticks = append(res.Ticks, t)
	}
	return res, nil
}

// regimeField returns the regime parameter called name (its YAML name).
func regimeField(p *regime.Params, name string) (float64, bool) {
	v := reflect.ValueOf(p).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0] == name {
			return v.Field(i).Float(), true
		}
	}
	return 0, false
}

// readTicksCSV reads a run directory's ticks.csv: its rows (the header
// first, at least one data row) and the index of each column by name.
func readTicksCSV(dir string) ([][]string, map[string]int, error) {
	f, err := os.Open(filepath.Join(dir, "ticks.csv"))
	if err != nil {
		return nil, nil, fmt.Errorf("plots: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, nil, fmt.Errorf("plots: %s/ticks.csv: unreadable or empty (%v)", dir, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	return rows, col, nil
}
