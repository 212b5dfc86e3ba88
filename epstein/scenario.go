package epstein

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/turncoat-abm/turncoat/internal/safeio"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/internal/yamlx"
)

// Scenario is an Epstein run as a scenario file: the model's settings, the
// horizon, and the ticks at which the grid is saved (grid.csv) for
// plotting. A file is recognised by its top-level "variant" key.
type Scenario struct {
	Name           string  `yaml:"name"`
	Description    string  `yaml:"description"`
	Variant        Variant `yaml:"variant"`
	Width          int     `yaml:"width"`
	Height         int     `yaml:"height"`
	CitizenDensity float64 `yaml:"citizen_density"`
	CopDensity     float64 `yaml:"cop_density"`
	Legitimacy     float64 `yaml:"legitimacy"`
	Threshold      float64 `yaml:"threshold"`
	Vision         int     `yaml:"vision"`
	MaxJail        int     `yaml:"max_jail"`
	K              float64 `yaml:"k"`
	Ticks          int     `yaml:"ticks"`
	Snapshots      []int   `yaml:"snapshots"`
}

// Config returns the model settings of s.
func (s *Scenario) Config() Config {
	return Config{Variant: s.Variant, Width: s.Width, Height: s.Height, CitizenDensity: s.CitizenDensity, CopDensity: s.CopDensity,
		Legitimacy: s.Legitimacy, Threshold: s.Threshold, Vision: s.Vision, MaxJail: s.MaxJail, K: s.K}
}

func scenarioOf(name, desc string, c Config) Scenario {
	return Scenario{Name: name, Description: desc, Variant: c.Variant, Width: c.Width, Height: c.Height, CitizenDensity: c.CitizenDensity,
		CopDensity: c.CopDensity, Legitimacy: c.Legitimacy, Threshold: c.Threshold, Vision: c.Vision, MaxJail: c.MaxJail, K: c.K,
		Ticks: 500, Snapshots: []int{0, 50, 100, 250, 499}}
}

// Builtins are the built-in Epstein scenarios, by name.
func Builtins() []Scenario {
	return []Scenario{
		scenarioOf("epstein-paper", "Epstein's 2002 civil violence as published: 40×40 torus, lateral vision, C/A", Defaults(Paper)),
		scenarioOf("epstein-netlogo", "Epstein's civil violence with NetLogo's Rebellion rules: floor(C/A), disc vision", Defaults(NetLogo)),
		scenarioOf("epstein-mesa", "Epstein's civil violence with Mesa 3.3's rules and its example app's defaults", Defaults(Mesa)),
		scenarioOf("epstein-mesa-model", "Mesa 3.3's Epstein model class defaults: cop density 0.074, L = 0.8, J = 1000", MesaModelDefaults()),
	}
}

// IsScenario reports whether name is a built-in Epstein scenario or a YAML
// file with a top-level variant key.
func IsScenario(name string) bool {
	if slices.ContainsFunc(Builtins(), func(s Scenario) bool { return s.Name == name }) {
		return true
	}
	data, err := safeio.ReadFile(name, safeio.MaxInput)
	if err != nil {
		return false
	}
	var head map[string]any
	if yaml.Unmarshal(data, &head) != nil {
		return false
	}
	_, ok := head["variant"]
	return ok
}

// Load returns the Epstein scenario called name (built-in) or stored at
// name, with "key=value" overrides, decoded strictly and validated.
func Load(name string, sets ...string) (Scenario, error) {
	for _, b := range Builtins() {
		if b.Name == name {
			data, err := yaml.Marshal(b)
			if err != nil {
				return b, err
			}
			return Parse(name+".yaml", data, sets...)
		}
	}
	data, err := safeio.ReadFile(name, safeio.MaxInput)
	if err != nil {
		return Scenario{}, fmt.Errorf("epstein: %w", err)
	}
	return Parse(name, data, sets...)
}

// Parse decodes an Epstein scenario strictly; omitted fields take the
// variant's defaults (NetLogo's Rebellion defaults).
func Parse(file string, data []byte, sets ...string) (Scenario, error) {
	s := scenarioOf("epstein", "", Defaults(NetLogo))
	err := yamlx.Decode(file, data, &s, sets, s.validate)
	return s, err
}

type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return e.field + ": " + e.err.Error() }
func (e *fieldError) Path() string  { return e.field }
func (e *fieldError) Unwrap() error { return e.err }

func (s *Scenario) validate() error {
	var errs []error
	add := func(f string, format string, a ...any) { errs = append(errs, &fieldError{f, fmt.Errorf(format, a...)}) }
	switch s.Variant {
	case Paper, NetLogo, Mesa:
	default:
		add("variant", "must be paper, netlogo or mesa, got %q", s.Variant)
	}
	if s.Width < 3 {
		add("width", "must be >= 3, got %d", s.Width)
	}
	if s.Height < 3 {
		add("height", "must be >= 3, got %d", s.Height)
	}
	if !(s.CitizenDensity >= 0 && s.CitizenDensity <= 1) {
		add("citizen_density", "must be in [0,1], got %g", s.CitizenDensity)
	}
	if !(s.CopDensity >= 0 && s.CitizenDensity+s.CopDensity <= 1) {
		add("cop_density", "must be >= 0 with citizen_density + cop_density <= 1, got %g", s.CopDensity)
	}
	if !(s.Legitimacy >= 0 && s.Legitimacy <= 1) {
		add("legitimacy", "must be in [0,1], got %g", s.Legitimacy)
	}
	if s.Vision < 1 {
		add("vision", "must be >= 1, got %d", s.Vision)
	}
	if s.MaxJail < 1 {
		add("max_jail", "must be >= 1, got %d", s.MaxJail)
	}
	if !(s.K >= 0) {
		add("k", "must be >= 0, got %g", s.K)
	}
	if s.Ticks < 1 {
		errs = append(errs, &fieldError{"ticks", fmt.Errorf("must be >= 1, got %d", s.Ticks)})
	}
	for i, t := range s.Snapshots {
		if t < 0 || t >= s.Ticks {
			errs = append(errs, &fieldError{fmt.Sprintf("snapshots[%d]", i), fmt.Errorf("must be a tick in [0,%d), got %d", s.Ticks, t)})
		}
	}
	return errors.Join(errs...)
}

// Summary is an Epstein run's summary.json.
type Summary struct {
	Scenario   string  `json:"scenario"`
	Variant    Variant `json:"variant"`
	Seed       uint64  `json:"seed"`
	Ticks      int     `json:"ticks"`
	MeanActive float64 `json:"mean_active"`
	PeakActive int     `json:"peak_active"`
	Bursts     int     `json:"bursts"` // maximal runs of ticks with more than 50 active, from tick 100
	Arrests    int     `json:"arrests"`
	Citizens   int     `json:"citizens"`
	Cops       int     `json:"cops"`
}

// RunDir runs s with seed and writes a run directory: scenario.yaml,
// ticks.csv, grid.csv (the snapshots: tick, x, y, kind), summary.json and
// meta.json, all or nothing.
func RunDir(ctx context.Context, s Scenario, seed uint64, dir string) (*Summary, error) {
	m, err := New(s.Config())
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("epstein: %w", err)
	}
	abm.CleanTemps(dir)
	started := time.Now()
	ticks, err := abm.CreateAtomic(filepath.Join(dir, "ticks.csv"))
	if err != nil {
		return nil, err
	}
	tab := abm.NewTable(ticks, m)
	var grid strings.Builder
	grid.WriteString("tick,x,y,kind\n")
	sum := &Summary{Scenario: s.Name, Variant: s.Variant, Seed: seed}
	var active []int
	snap := &snapshotter{m: m, want: s.Snapshots, out: &grid}
	_, err = abm.Run(ctx, m, abm.Config{Ticks: s.Ticks, Seed: seed, Recorders: []abm.Recorder{tab, snap, recorderFunc(func(int) error {
		_, a, _, _ := m.Counts()
		active = append(active, a)
		sum.Arrests += m.Arrests
		return nil
	})}})
	if err == nil {
		err = tab.Flush()
	}
	if err != nil {
		ticks.Abort()
		return nil, err
	}
	sum.Ticks = len(active)
	q, a, j, c := m.Counts()
	sum.Citizens, sum.Cops = q+a+j, c
	for i, v := range active {
		sum.MeanActive += float64(v) / float64(len(active))
		sum.PeakActive = max(sum.PeakActive, v)
		if i >= 100 && v > 50 && (i == 100 || active[i-1] <= 50) {
			sum.Bursts++
		}
	}
	scen, err := yaml.Marshal(s)
	if err != nil {
		ticks.Abort()
		return nil, err
	}
	sj, _ := json.MarshalIndent(sum, "", "  ")
	meta, _ := json.MarshalIndent(map[string]any{"model": "epstein", "scenario": s.Name, "seed": seed, "ticks": sum.Ticks,
		"started": started.UTC().Truncate(time.Millisecond), "seconds": time.Since(started).Seconds()}, "", "  ")
	files := map[string][]byte{"scenario.yaml": scen, "grid.csv": []byte(grid.String()), "summary.json": append(sj, '\n'), "meta.json": append(meta, '\n')}
	pending := []*abm.AtomicFile{ticks}
	for _, name := range []string{"scenario.yaml", "grid.csv", "summary.json", "meta.json"} {
		f, err := abm.CreateAtomic(filepath.Join(dir, name))
		if err == nil {
			_, err = f.Write(files[name])
		}
		if err != nil {
			for _, p := range append(pending, f) {
				if p != nil {
					p.Abort()
				}
			}
			return nil, err
		}
		pending = append(pending, f)
	}
	var errs []error
	for _, f := range pending {
		errs = append(errs, f.Commit())
	}
	return sum, errors.Join(errs...)
}

// snapshotter records the grid at the wanted ticks.
type snapshotter struct {
	m    *Model
	want []int
	out  *strings.Builder
}

func (s *snapshotter) Record(t int) error {
	if !slices.Contains(s.want, t) {
		return nil
	}
	w := s.m.cfg.Width
	for _, a := range s.m.ag {
		p := int(a.pos)
		kind := "quiet"
		switch {
		case a.cop:
			kind = "cop"
		case a.state == active:
			kind = "active"
		case a.state == jailed:
			kind = "jailed"
		}
		s.out.WriteString(strconv.Itoa(t) + "," + strconv.Itoa(p%w) + "," + strconv.Itoa(p/w) + "," + kind + "\n")
	}
	return nil
}

type recorderFunc func(int) error

func (f recorderFunc) Record(t int) error { return f(t) }
