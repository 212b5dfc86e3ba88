package regime

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/agents"
)

// Version is the turncoat model version written to meta.json.
const Version = "0.1.0"

// Result is a finished run: its configuration, seed, time series, events and
// summary.
type Result struct {
	Config  Config
	Seed    uint64
	Ticks   []TickRecord
	Regions []RegionRecord // tick-major: Regions[t*len(Config.Regions)+g]
	Events  []Event
	// Game holds the game rule's records (GameRecords), when a role uses it.
	Game    []GameRecord
	Summary Summary
	Agents  [agents.NumRoles]int
	Elapsed time.Duration // wall time (not deterministic; only in meta.json)
}

// Summary is the outcome of a run, as written to summary.json and printed by
// `turncoat run --json`. Its JSON field names are a public contract.
type Summary struct {
	Scenario     string  `json:"scenario"`
	Seed         uint64  `json:"seed"`
	Ticks        int     `json:"ticks"`
	Collapsed    bool    `json:"collapsed"`
	CollapseTick *int    `json:"collapse_tick"`
	CollapseDate *string `json:"collapse_date"`
	// CollapseCause is "exited_population" or "coercive_capacity".
	CollapseCause string `json:"collapse_cause,omitempty"`
	// Exits lists exited regions in simulated order (ties by region order).
	Exits      []Exit `json:"exits"`
	FinalShare Shares `json:"final_share"`
	PeakShare  Shares `json:"peak_share"`
	// SpearmanVsHistory is Spearman's rank correlation between simulated
	// and historical exit times over regions with a historical date; regions
	// that never exit rank last (tied). Null without history.
	SpearmanVsHistory *float64 `json:"spearman_vs_history"`
	// TimingErrorWeeks is the mean absolute difference in weeks between the
	// simulated and historical exit ticks; a region that never exits counts
	// as exiting at tick Config.Ticks, one past the last tick of the
	// horizon. Null without history.
	TimingErrorWeeks *float64 `json:"timing_error_weeks"`
	// NotExited lists regions with a historical exit that did not exit.
	NotExited []string      `json:"not_exited"`
	Cascades  []CascadeInfo `json:"cascades"`
	Agents    RoleCounts    `json:"agents"`
	// Outcome is the run's class under Config.Outcome ("defected", "split"
	// or "loyal"); omitted unless outcome.enabled is set.
	Outcome Outcome `json:"outcome,omitempty"`
	// Game summarises the roles under the game rule (absent when none).
	Game []GameSummary `json:"game,omitempty"`
	// Declarations lists the regions' declarations of sovereignty in
	// simulated order; absent without a sovereignty rule.
	Declarations []Exit `json:"declarations,omitzero"`
	// SpearmanSovereignty and TimingErrorSovereigntyWeeks score the
	// declarations against History.Declarations like SpearmanVsHistory
	// and TimingErrorWeeks score the exits (absent without both a
	// sovereignty rule and declaration history).
	SpearmanSovereignty         *float64 `json:"spearman_sovereignty,omitempty"`
	TimingErrorSovereigntyWeeks *float64 `json:"timing_error_sovereignty_weeks,omitempty"`
	// Modes gives each role's final shares by defection mode, and
	// EmigrantsTotal the people who left during the run (both only under
	// Config.Modes).
	Modes          *ModeShares `json:"modes,omitempty"`
	EmigrantsTotal *float64    `json:"emigrants_total,omitempty"`
	// Series scores the history series (History.Series); absent without.
	Series []SeriesFit `json:"series,omitempty"`
}

// Exit is one region's exit.
type Exit struct {
	Region         string   `json:"region"`
	Tick           int      `json:"tick"`
	Date           *string  `json:"date"`
	HistoricalDate *string  `json:"historical_date"`
	ErrorWeeks     *float64 `json:"error_weeks,omitempty"`
	// Channel is how a declaration of sovereignty was reached, "defection"
	// or "assets" (only in declarations, and only when the assets rule
	// records channels: AssetsRule.Consequences or LastOut set).
	Channel string `json:"channel,omitempty"`
}

// Cells returns the exit as display fields: region, tick, simulated date,
// historical date and error in weeks ("—" where there is none).
func (e Exit) Cells() []string {
	date, hist, errw := "—", "—", "—"
	if e.Date != nil {
		date = *e.Date
	}
	if e.HistoricalDate != nil {
		hist = *e.HistoricalDate
	}
	if e.ErrorWeeks != nil {
		errw = fmt.Sprintf("%+.0f", *e.ErrorWeeks)
	}
	return []string{e.Region, strconv.Itoa(e.Tick), date, hist, errw}
}

// Shares are per-role shares.
type Shares struct {
	Citizen float64 `json:"citizen"`
	Soldier float64 `json:"soldier"`
	Elite   float64 `json:"elite"`
}

// RoleCounts are per-role counts.
type RoleCounts struct {
	Citizen int `json:"citizen"`
	Soldier int `json:"soldier"`
	Elite   int `json:"elite"`
}

// CascadeInfo is a detected cascade.
type CascadeInfo struct {
	Role     string  `json:"role"`
	Tick     int     `json:"tick"`
	Duration int     `json:"duration_ticks"`
	Share    float64 `json:"share"`
}

func sharesOf(v [agents.NumRoles]float64) Shares {
	return Shares{Citizen: v[agents.Citizen], Soldier: v[agents.Soldier], Elite: v[agents.Elite]}
}

// Run validates cfg, runs it for cfg.Ticks ticks from seed and returns the
// result. Extra recorders (for example an abm.Table streaming ticks.csv) are
// called after every tick.
func Run(ctx context.Context, cfg Config, seed uint64, recs ...abm.Recorder) (*Result, error) {
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return m.Run(ctx, seed, recs...)
}

// Run resets the model with seed, runs Config.Ticks ticks and returns the
// result (which copies the records, so the model may be reused).
func (m *Model) Run(ctx context.Context, seed uint64, recs ...abm.Recorder) (*Result, error) {
	shared, err := m.RunShared(ctx, seed, recs...)
	if err != nil {
		return nil, err
	}
	res := *shared
	res.Config = m.cfg.Clone()
	res.Ticks = slices.Clone(res.Ticks)
	res.Regions = slices.Clone(res.Regions)
	res.Events = slices.Clone(res.Events)
	res.Game = slices.Clone(res.Game)
	return &res, nil
}

// RunShared is Run without copying: the result itself and its Ticks,
// Regions and Events belong to the model and stay valid only until the
// model's next Reset or Run. Sweeps use it to avoid garbage per run.
func (m *Model) RunShared(ctx context.Context, seed uint64, recs ...abm.Recorder) (*Result, error) {
	defer m.Close()
	st, err := abm.Run(ctx, m, abm.Config{Ticks: m.cfg.Ticks, Seed: seed, Recorders: recs})
	if err != nil {
		return nil, err
	}
	if m.shared == nil {
		m.shared = &Result{Config: m.cfg}
	}
	res := m.shared
	res.Seed, res.Ticks, res.Regions, res.Events = seed, m.ticks, m.regions, m.events
	res.Agents, res.Elapsed = m.nTotal, st.Elapsed
	res.Game = m.GameRecords()
	res.Summary = res.summarize()
	return res, nil
}

func (r *Result) summarize() Summary {
	c := &r.Config
	s := Summary{Scenario: c.Name, Seed: r.Seed, Ticks: len(r.Ticks), Exits: []Exit{}, NotExited: []string{}, Cascades: []CascadeInfo{},
		Agents: RoleCounts{r.Agents[agents.Citizen], r.Agents[agents.Soldier], r.Agents[agents.Elite]}}
	if n := len(r.Ticks); n > 0 {
		s.FinalShare = sharesOf(r.Ticks[n-1].Defected)
		var peak [agents.NumRoles]float64
		for _, t := range r.Ticks {
			for k := range peak {
				peak[k] = math.Max(peak[k], t.Defected[k])
			}
		}
		s.PeakShare = sharesOf(peak)
	}
	s.Game = gameSummary(r.Game)
	exitTick := make([]int, len(c.Regions))
	sovTick := make([]int, len(c.Regions))
	for i := range exitTick {
		exitTick[i], sovTick[i] = -1, -1
	}
	if c.Sovereignty != nil {
		s.Declarations = []Exit{}
	}
	for _, e := range r.Events {
		switch e.Kind {
		case EventExit:
			exitTick[e.Region] = e.Tick
			ex := Exit{Region: c.Regions[e.Region].Name, Tick: e.Tick, Date: ptr(c.DateOf(e.Tick).String())}
			if h, ok := c.History.Exits[ex.Region]; ok {
				ex.HistoricalDate = ptr(h.String())
				ex.ErrorWeeks = ptr(float64(e.Tick-c.TickOf(h)) * c.TickDays / 7)
			}
			s.Exits = append(s.Exits, ex)
		case EventSovereignty:
			sovTick[e.Region] = e.Tick
			ex := Exit{Region: c.Regions[e.Region].Name, Tick: e.Tick, Date: ptr(c.DateOf(e.Tick).String()), Channel: e.Detail}
			if h, ok := c.History.Declarations[ex.Region]; ok {
				ex.HistoricalDate = ptr(h.String())
				ex.ErrorWeeks = ptr(float64(e.Tick-c.TickOf(h)) * c.TickDays / 7)
			}
			s.Declarations = append(s.Declarations, ex)
		case EventCollapse:
			s.Collapsed, s.CollapseTick, s.CollapseCause = true, ptr(e.Tick), e.Detail
			s.CollapseDate = ptr(c.DateOf(e.Tick).String())
		case EventCascade:
			s.Cascades = append(s.Cascades, CascadeInfo{Role: e.Role.String(), Tick: e.Tick, Duration: e.Span, Share: e.Value})
		}
	}
	if c.Outcome.Enabled {
		s.Outcome = c.Outcome.classify(r.Ticks, s.Collapsed)
	}
	if c.Modes != nil {
		modesSummary(&s, r.Ticks)
	}
	if len(c.History.Exits) > 0 {
		f := c.FitTicks(c.History.Exits, exitTick)
		s.NotExited = f.Censored
		s.TimingErrorWeeks = ptr(f.TimingErrorWeeks)
		if !math.IsNaN(f.Spearman) {
			s.SpearmanVsHistory = ptr(f.Spearman)
		}
	}
	s.Series = r.scoreSeries()
	if c.Sovereignty != nil && len(c.History.Declarations) > 0 {
		f := c.FitTicks(c.History.Declarations, sovTick)
		s.TimingErrorSovereigntyWeeks = ptr(f.TimingErrorWeeks)
		if !math.IsNaN(f.Spearman) {
			s.SpearmanSovereignty = ptr(f.Spearman)
		}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// Header implements abm.Observer: the columns of ticks.csv after tick and date.
func (m *Model) Header() []string {
	h := []string{}
	for _, role := range agents.Roles {
		h = append(h, role.String()+"_defected")
	}
	for _, role := range agents.Roles {
		h = append(h, role.String()+"_jailed")
	}
	h = append(h, "legitimacy", "repression", "surveillance", "pay", "extra_rewards", "delivery",
		"reserves", "revenue", "economy", "coercive_capacity", "exited_regions", "exited_population", "collapsed")
	if m.game != nil {
		h = appendGameHeader(h, m.game.roles)
	}
	if m.md != nil {
		h = appendModesHeader(h)
	}
	return h
}

// Observe implements abm.Observer with the latest tick record.
func (m *Model) Observe(dst []float64) {
	if len(m.ticks) == 0 {
		clear(dst)
		return
	}
	tickRow(dst, &m.ticks[len(m.ticks)-1])
	if m.game != nil {
		k := len(m.game.roles)
		gameRow(dst[tickColumns:], m.game.recs[len(m.game.recs)-k:])
	}
	if m.md != nil {
		modesRow(dst[tickColumns:], &m.ticks[len(m.ticks)-1]) // never with the game rule
	}
}

func tickRow(dst []float64, t *TickRecord) {
	copy(dst, t.Defected[:])
	copy(dst[3:], t.Jailed[:])
	collapsed := 0.0
	if t.Collapsed {
		collapsed = 1
	}
	copy(dst[6:], []float64{t.Legitimacy, t.Repression, t.Surveillance, t.Pay, t.ExtraRewards, t.Delivery,
		t.Reserves, t.Revenue, t.Economy, t.Capacity, float64(t.Exited), t.ExitedPop, collapsed})
}

// TimeColumn implements abm.Clock.
func (m *Model) TimeColumn() string { return "date" }

// AppendTime implements abm.Clock: the date of the start of the tick.
func (m *Model) AppendTime(dst []byte, tick int) []byte {
	return m.cfg.DateOf(tick).AppendFormat(dst, time.DateOnly)
}

// Meta is the provenance written to meta.json.
type Meta struct {
	Version      string    `json:"version"`
	Scenario     string    `json:"scenario"`
	ScenarioHash string    `json:"scenario_sha256"`
	Seed         uint64    `json:"seed"`
	Ticks        int       `json:"ticks"`
	Agents       int       `json:"agents"`
	Start        string    `json:"start"`
	TickDays     float64   `json:"tick_days"`
	GoVersion    string    `json:"go_version"`
	Files        []string  `json:"files"`
	Started      time.Time `json:"started"`
	Seconds      float64   `json:"seconds"`
}

// YAML returns the resolved configuration as YAML (what scenario.yaml
// in a run directory holds; it reproduces the run).
func (c *Config) YAML() ([]byte, error) { return yaml.Marshal(c) }

// Hash returns the SHA-256 of the resolved configuration's YAML.
func (c *Config) Hash() string {
	b, err := c.YAML()
	if err != nil {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// RunFiles are the files a run directory holds.
var RunFiles = []string{"meta.json", "scenario.yaml", "ticks.csv", "regions.csv", "events.csv", "summary.json"}

// RunDir runs cfg with seed and writes a run directory: ticks.csv is
// streamed during the run, and every file is written to a temporary name
// first and renamed only when all are complete. On error or cancellation
// the directory is left as it was (an earlier run's files stay whole).
func RunDir(ctx context.Context, cfg Config, seed uint64, dir string) (*Result, error) {
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return m.RunDir(ctx, seed, dir)
}

// RunDir is the package function RunDir for an existing model (for example
// one given more workers with SetWorkers).
func (m *Model) RunDir(ctx context.Context, seed uint64, dir string) (*Result, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("regime: %w", err)
	}
	abm.CleanTemps(dir) // left by a killed earlier run
	started := time.Now()
	tf, err := abm.CreateAtomic(filepath.Join(dir, "ticks.csv"))
	if err != nil {
		return nil, err
	}
	tab := abm.NewTable(tf, m)
	res, err := m.Run(ctx, seed, tab)
	if err == nil {
		err = tab.Flush()
	}
	if err != nil {
		tf.Abort()
		return nil, err
	}
	if err := res.commitFiles(dir, started, tf); err != nil {
		return nil, err
	}
	return res, nil
}

// WriteDir writes the run directory of a finished result (all files,
// ticks.csv included), all or nothing.
func (r *Result) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("regime: %w", err)
	}
	var b []byte
	b = append(b, "tick,date,"...)
	hdr := (&Model{}).Header()
	gameRoles := r.Config.gameRoles()
	hdr = appendGameHeader(hdr, gameRoles)
	if r.Config.Modes != nil {
		hdr = appendModesHeader(hdr)
	}
	for i, h := range hdr {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, h...)
	}
	b = append(b, '\n')
	row := make([]float64, len(hdr))
	for i := range r.Ticks {
		t := &r.Ticks[i]
		tickRow(row, t)
		if k := len(gameRoles); k > 0 {
			gameRow(row[tickColumns:], r.Game[i*k:(i+1)*k])
		}
		if r.Config.Modes != nil {
			modesRow(row[tickColumns:], t)
		}
		b = strconv.AppendInt(b, int64(t.Tick), 10)
		b = append(b, ',')
		b = append(b, t.Date.String()...)
		for _, v := range row {
			b = append(b, ',')
			b = abm.AppendFloat(b, v)
		}
		b = append(b, '\n')
	}
	tf, err := abm.CreateAtomic(filepath.Join(dir, "ticks.csv"))
	if err != nil {
		return err
	}
	if _, err := tf.Write(b); err != nil {
		tf.Abort()
		return fmt.Errorf("regime: write ticks.csv: %w", err)
	}
	return r.commitFiles(dir, time.Now().Add(-r.Elapsed), tf)
}

// commitFiles writes every other run file to a temporary file, then
// commits them all with ticks (already written): if any write fails,
// nothing is renamed and every temporary file is removed.
func (r *Result) commitFiles(dir string, started time.Time, ticks *abm.AtomicFile) error {
	c := &r.Config
	cfgYAML, err := c.YAML()
	if err != nil {
		ticks.Abort()
		return fmt.Errorf("regime: encode scenario: %w", err)
	}
	sum, err := json.MarshalIndent(r.Summary, "", "  ")
	if err != nil {
		ticks.Abort()
		return err
	}
	h := sha256.Sum256(cfgYAML)
	meta := Meta{Version: Version, Scenario: c.Name, ScenarioHash: hex.EncodeToString(h[:]), Seed: r.Seed,
		Ticks: len(r.Ticks), Agents: r.Agents[0] + r.Agents[1] + r.Agents[2], Start: c.Start.String(), TickDays: c.TickDays,
		GoVersion: runtime.Version(), Files: RunFiles, Started: started.UTC().Truncate(time.Millisecond), Seconds: r.Elapsed.Seconds()}
	metaJSON, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		ticks.Abort()
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{"scenario.yaml", cfgYAML},
		{"regions.csv", r.regionsCSV()},
		{"events.csv", r.eventsCSV()},
		{"summary.json", append(sum, '\n')},
		{"meta.json", append(metaJSON, '\n')},
	}
	pending := []*abm.AtomicFile{ticks}
	abort := func() {
		for _, f := range pending {
			f.Abort()
		}
	}
	for _, f := range files {
		af, err := abm.CreateAtomic(filepath.Join(dir, f.name))
		if err != nil {
			abort()
			return err
		}
		pending = append(pending, af)
		if _, err := af.Write(f.data); err != nil {
			abort()
			return fmt.Errorf("regime: write %s: %w", f.name, err)
		}
		if err := af.Sync(); err != nil {
			abort()
			return fmt.Errorf("regime: write %s: %w", f.name, err)
		}
	}
	if err := ticks.Sync(); err != nil {
		abort()
		return fmt.Errorf("regime: write ticks.csv: %w", err)
	}
	var errs []error
	for _, f := range pending {
		errs = append(errs, f.Commit())
	}
	return errors.Join(errs...)
}

func (r *Result) regionsCSV() []byte {
	c := &r.Config
	b := []byte("tick,date,region,role,loyal,defected,jailed,legitimacy,exited\n")
	sov := c.Sovereignty != nil
	if sov {
		b = []byte("tick,date,region,role,loyal,defected,jailed,legitimacy,exited,sovereign\n")
	}
	modes := c.Modes != nil
	var people []float64
	if modes {
		b = append(b[:len(b)-1], ",voice,exit,switch,shirk,emigrants,emigrants_total\n"...)
		people = peoplePerAgent(c)
	}
	for _, rr := range r.Regions {
		for _, role := range agents.Roles {
			b = strconv.AppendInt(b, int64(rr.Tick), 10)
			b = append(b, ',')
			b = append(b, c.DateOf(rr.Tick).String()...)
			b = append(b, ',')
			b = append(b, abm.CSVField(c.Regions[rr.Region].Name)...)
			b = append(b, ',')
			b = append(b, role.String()...)
			for _, n := range rr.Counts[role] {
				b = append(b, ',')
				b = strconv.AppendInt(b, int64(n), 10)
			}
			b = append(b, ',')
			b = abm.AppendFloat(b, rr.Legitimacy)
			b = append(b, ',')
			b = strconv.AppendBool(b, rr.Exited)
			if sov {
				b = append(b, ',')
				b = strconv.AppendBool(b, rr.Sovereign)
			}
			if modes {
				mc := rr.Modes[role]
				for _, n := range []int{rr.Counts[role][agents.Defected], mc.Emigrated, mc.Switched, mc.Shirked} {
					b = append(b, ',')
					b = strconv.AppendInt(b, int64(n), 10)
				}
				b = append(b, ',')
				b = abm.AppendFloat(b, float64(mc.Departed)*people[rr.Region])
				b = append(b, ',')
				b = abm.AppendFloat(b, float64(mc.Emigrated)*people[rr.Region])
			}
			b = append(b, '\n')
		}
	}
	return b
}

func (r *Result) eventsCSV() []byte {
	c := &r.Config
	b := []byte("tick,date,kind,region,role,value,span,detail\n")
	for _, e := range r.Events {
		b = strconv.AppendInt(b, int64(e.Tick), 10)
		b = append(b, ',')
		b = append(b, c.DateOf(e.Tick).String()...)
		b = append(b, ',')
		b = append(b, e.Kind...)
		b = append(b, ',')
		if e.Region >= 0 {
			b = append(b, abm.CSVField(c.Regions[e.Region].Name)...)
		}
		b = append(b, ',')
		if e.Kind == EventFirstDefection || e.Kind == EventCascade {
			b = append(b, e.Role.String()...)
		}
		b = append(b, ',')
		b = abm.AppendFloat(b, e.Value)
		b = append(b, ',')
		if e.Kind == EventCascade {
			b = strconv.AppendInt(b, int64(e.Span), 10)
		}
		b = append(b, ',')
		b = append(b, abm.CSVField(e.Detail)...)
		b = append(b, '\n')
	}
	return b
}
