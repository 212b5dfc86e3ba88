package serve

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/turncoat-abm/turncoat/epstein"
	"github.com/turncoat-abm/turncoat/internal/sysmem"
	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

//go:embed static
var static embed.FS

// Assets returns the embedded files of the page (index.html, app.js,
// style.css).
func Assets() fs.FS {
	sub, _ := fs.Sub(static, "static")
	return sub
}

// Options configure a Server.
type Options struct {
	// Root is the working directory: scenario files and directories to open
	// must lie inside it, and runs are written to Root/serve-runs. Default ".".
	Root string
	// Initial is what the page opens first: a built-in scenario, a scenario
	// file, or a run or sweep directory (inside Root). Empty: soviet1991.
	Initial string
	// MaxRuns bounds the runs and batches executing at once (default 2).
	MaxRuns int
	// MaxMemory refuses models whose memory estimate is larger, in bytes
	// (default 2 GiB); the machine's available memory is checked as well.
	MaxMemory uint64
	// MaxBatchRuns bounds the runs of one batch or sweep (default 200).
	MaxBatchRuns int
	// Workers is the number of goroutines stepping one run's agents
	// (default: all cores). Results do not depend on it.
	Workers int
}

// Server is the web application. Create it with New and serve Handler.
type Server struct {
	opt  Options
	root string // absolute, symlinks resolved
	sem  chan struct{}

	mu   sync.Mutex
	runs map[string]string // run or batch id -> directory
	seq  int

	rangeMu sync.Mutex
	ranges  map[string]map[string][3]float64 // scenario -> key -> [min,max]
}

// New returns a server for opt.
func New(opt Options) (*Server, error) {
	if opt.Root == "" {
		opt.Root = "."
	}
	if opt.MaxRuns <= 0 {
		opt.MaxRuns = 2
	}
	if opt.MaxMemory == 0 {
		opt.MaxMemory = 2 << 30
	}
	if opt.MaxBatchRuns <= 0 {
		opt.MaxBatchRuns = 200
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Initial == "" {
		opt.Initial = "soviet1991"
	}
	abs, err := filepath.Abs(opt.Root)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, fmt.Errorf("serve: root: %w", err)
	}
	s := &Server{opt: opt, root: abs, sem: make(chan struct{}, opt.MaxRuns), runs: map[string]string{}, ranges: map[string]map[string][3]float64{}}
	return s, nil
}

// Handler returns the HTTP handler of the application.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(Assets()))
	mux.HandleFunc("GET /api/scenarios", s.handleScenarios)
	mux.HandleFunc("GET /api/scenario", s.handleScenario)
	mux.HandleFunc("GET /api/run", s.handleRun)
	mux.HandleFunc("GET /api/yaml", s.handleYAML)
	mux.HandleFunc("GET /api/cli", s.handleCLI)
	mux.HandleFunc("GET /api/batch", s.handleBatch)
	mux.HandleFunc("GET /api/open", s.handleOpen)
	mux.HandleFunc("GET /api/runs/{id}/figures", s.handleFigures)
	mux.HandleFunc("GET /api/runs/{id}/files/{file...}", s.handleFile)
	return securityHeaders(mux)
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

// httpError is an error with an HTTP status.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string { return e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

func bad(format string, a ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Errorf(format, a...)}
}

func writeErr(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	var he *httpError
	if errors.As(err, &he) {
		status = he.status
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Scenario list -----------------------------------------------------------

type scenarioInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (s *Server) handleScenarios(w http.ResponseWriter, _ *http.Request) {
	var list []scenarioInfo
	for _, i := range scenarios.List() {
		if len(scenarios.Pack(i.Name)) > 0 {
			continue
		}
		list = append(list, scenarioInfo{i.Name, i.Description})
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": list, "initial": s.opt.Initial})
}

// inside returns the absolute path of p (relative to the root, or
// absolute) when it lies inside the root, else an error.
func (s *Server) inside(p string) (string, error) {
	if p == "" || strings.ContainsRune(p, 0) {
		return "", bad("empty or invalid path")
	}
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(s.root, p)
	}
	abs = filepath.Clean(abs)
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	rel, err := filepath.Rel(s.root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", &httpError{http.StatusForbidden, fmt.Errorf("%s is outside the working directory %s", p, s.root)}
	}
	return abs, nil
}

// scenarioName checks a scenario name: a built-in, or a file inside the
// root (returned as an absolute path).
func (s *Server) scenarioName(name string) (string, error) {
	if name == "" {
		return "", bad("scenario: must name a built-in scenario or a file")
	}
	for _, i := range scenarios.List() {
		if i.Name == name {
			if len(scenarios.Pack(name)) > 0 {
				return "", bad("scenario %s is a pack of scenarios; load one of %s", name, strings.Join(scenarios.Pack(name), ", "))
			}
			return name, nil
		}
	}
	if p := scenarios.Pack(name); len(p) > 0 && !strings.HasSuffix(name, ".csv") {
		return "", bad("scenario %s is a pack of scenarios; load one of %s", name, strings.Join(p, ", "))
	}
	if epstein.IsScenario(name) {
		return "", bad("scenario %s: grid (Epstein) scenarios cannot be explored in turncoat serve yet; use turncoat run", name)
	}
	file, c, hasCase := strings.Cut(name, "#")
	abs, err := s.inside(file)
	if err != nil {
		return "", err
	}
	if hasCase {
		return abs + "#" + c, nil
	}
	return abs, nil
}

// Parameters --------------------------------------------------------------

// Param is a slider of the page.
type Param struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Group string  `json:"group"`
	Value float64 `json:"value"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	// Open is true when the validation allows values above Max (the slider
	// stops there; the field takes any value >= Min).
	Open bool `json:"open"`
	// MinExclusive is true when Min itself is refused (values must be > Min).
	MinExclusive bool `json:"min_exclusive,omitempty"`
	Int          bool `json:"int,omitempty"`
}

// paramGroup lists the sliders of one group, in the order of docs/ODD.md §7.
type paramGroup struct {
	name string
	keys [][2]string // key, label
}

var paramGroups = []paramGroup{
	{"Coercion (ODD 7.5–7.6)", [][2]string{{"regime.repression", "repression"}, {"regime.surveillance", "surveillance"},
		{"regime.arrest_rate", "arrest rate"}, {"regime.family_reprisal", "family reprisal"}, {"regime.parallel_forces", "parallel forces"},
		{"population.stacking", "soldier stacking"}}},
	{"Rewards (ODD 7.3, 7.5)", [][2]string{{"regime.pay", "soldiers' pay"}, {"regime.elite_pay", "elite pay"},
		{"regime.extra_rewards", "extra rewards"}, {"regime.enterprise_rents", "enterprise rents"}, {"regime.elite_rents", "elite rents"}}},
	{"Economy and budget (ODD 7.3)", [][2]string{{"regime.economy", "economy"}, {"regime.economy_decline", "economy decline"},
		{"regime.hardship", "hardship"}, {"regime.reserves", "reserves"}, {"regime.external_funds", "external funds"}}},
	{"Legitimacy and demonstration (ODD 7.4, 7.7, 7.8)", [][2]string{{"regime.legitimacy", "legitimacy"},
		{"regime.legitimacy_recovery", "legitimacy recovery"}, {"regime.defection_erosion", "defection erosion"},
		{"regime.backfire", "backfire"}, {"regime.demonstration", "demonstration"}, {"regime.legitimacy_floor", "legitimacy floor"}}},
	{"Adaptive policies (ODD 7.2)", [][2]string{{"regime.repression_response", "repression response"},
		{"regime.pay_response", "pay response"}, {"regime.purge_rate", "purge rate"}}},
	{"Run", [][2]string{{"ticks", "ticks"}, {"scale", "scale"}}},
}

// lookup returns the number at the dotted path key of cfg (through its
// JSON form, whose names are the YAML names). A number missing from an
// object that is there is 0: fields tagged omitempty (such as
// regime.legitimacy_floor) leave their zero value out of the JSON form.
func lookup(tree map[string]any, key string) (float64, bool) {
	var cur any = tree
	parts := strings.Split(key, ".")
	for i, part := range parts {
		m, ok := cur.(map[string]any)
		if !ok {
			return 0, false
		}
		if cur, ok = m[part]; !ok {
			return 0, i == len(parts)-1
		}
	}
	v, ok := cur.(float64)
	return v, ok
}

func jsonTree(cfg *regime.Config) (map[string]any, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	return tree, json.Unmarshal(b, &tree)
}

// validRange finds the interval the scenario validation accepts for key by
// asking it: the same scenarios.Load with --set the CLI uses. It returns
// [lo, hi, exclusive] with hi = +Inf when large values are accepted and
// exclusive = 1 when lo itself is refused.
func (s *Server) validRange(name, key string, value float64, isInt bool) [3]float64 {
	s.rangeMu.Lock()
	if r, ok := s.ranges[name][key]; ok {
		s.rangeMu.Unlock()
		return r
	}
	s.rangeMu.Unlock()
	ok := func(v float64) bool {
		_, err := scenarios.Load(name, key+"="+strconv.FormatFloat(v, 'g', -1, 64))
		return err == nil
	}
	r := [3]float64{math.Inf(-1), math.Inf(1), 0}
	switch {
	case isInt:
		r[0] = 1
	case !ok(-1e-9) && ok(0):
		r[0] = 0
	case !ok(0) && ok(1e-9):
		r[0], r[2] = 0, 1 // (0, …): values must be > 0
	}
	if !isInt && !ok(1+1e-9) {
		r[1] = 1
	}
	if r[0] == math.Inf(-1) {
		r[0] = math.Min(0, value)
	}
	s.rangeMu.Lock()
	if s.ranges[name] == nil {
		s.ranges[name] = map[string][3]float64{}
	}
	s.ranges[name][key] = r
	s.rangeMu.Unlock()
	return r
}

func (s *Server) params(name string, cfg *regime.Config) ([]Param, error) {
	tree, err := jsonTree(cfg)
	if err != nil {
		return nil, err
	}
	var out []Param
	for _, g := range paramGroups {
		for _, kl := range g.keys {
			v, ok := lookup(tree, kl[0])
			if !ok {
				continue
			}
			isInt := kl[0] == "ticks"
			r := s.validRange(name, kl[0], v, isInt)
			p := Param{Key: kl[0], Label: kl[1], Group: g.name, Value: v, Min: r[0], Max: r[1], Int: isInt, MinExclusive: r[2] == 1}
			if math.IsInf(r[1], 1) {
				p.Open = true
				p.Max = math.Max(1, niceCeil(2*v))
				if isInt {
					p.Max = math.Max(10, 2*v)
				}
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	return math.Ceil(v/e) * e
}

// ShockSpec is a shock as the page edits it: a tick rather than a date.
type ShockSpec struct {
	Name     string             `json:"name"`
	Tick     int                `json:"tick"`
	Duration int                `json:"duration"`
	Set      map[string]float64 `json:"set,omitempty"`
	Scale    map[string]float64 `json:"scale,omitempty"`
}

func shockSpecs(cfg *regime.Config) []ShockSpec {
	out := []ShockSpec{}
	for _, sh := range cfg.Shocks {
		t := 0
		switch {
		case sh.Tick != nil:
			t = *sh.Tick
		case sh.At != nil:
			t = cfg.TickOf(*sh.At)
		}
		out = append(out, ShockSpec{Name: sh.Name, Tick: t, Duration: sh.Duration, Set: sh.Set, Scale: sh.Scale})
	}
	return out
}

type historyExit struct {
	Region string `json:"region"`
	Tick   int    `json:"tick"`
	Date   string `json:"date"`
}

func (s *Server) handleScenario(w http.ResponseWriter, r *http.Request) {
	name, err := s.scenarioName(r.URL.Query().Get("name"))
	if err != nil {
		writeErr(w, err)
		return
	}
	cfg, err := scenarios.Load(name)
	if err != nil {
		writeErr(w, bad("%v", err))
		return
	}
	ps, err := s.params(name, &cfg)
	if err != nil {
		writeErr(w, err)
		return
	}
	hist := []historyExit{}
	for reg, d := range cfg.History.Exits {
		hist = append(hist, historyExit{reg, cfg.TickOf(d), d.String()})
	}
	sort.Slice(hist, func(i, j int) bool {
		return hist[i].Tick < hist[j].Tick || hist[i].Tick == hist[j].Tick && hist[i].Region < hist[j].Region
	})
	regions := []string{}
	for _, g := range cfg.Regions {
		regions = append(regions, g.Name)
	}
	unit := "tick"
	if cfg.TickDays == 7 {
		unit = "week"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name": r.URL.Query().Get("name"), "title": cfg.Name, "description": cfg.Description, "start": cfg.Start.String(),
		"tick_days": cfg.TickDays, "unit": unit, "ticks": cfg.Ticks, "agents": cfg.Agents(), "params": ps,
		"shocks": shockSpecs(&cfg), "history": hist, "regions": regions, "memory": cfg.MemoryEstimate(),
	})
}

// Specs -------------------------------------------------------------------

// Spec is what the page asks to run: a scenario, overrides as --set, the
// shocks when the page edited them, a seed and a label.
type Spec struct {
	Scenario string             `json:"scenario"`
	Set      map[string]float64 `json:"set"`
	Shocks   *[]ShockSpec       `json:"shocks"`
	Seed     uint64             `json:"seed"`
	Label    string             `json:"label"`
}

func parseSpec(r *http.Request) (*Spec, error) {
	raw := r.URL.Query().Get("spec")
	if raw == "" {
		return nil, bad("missing spec")
	}
	if len(raw) > 1<<16 {
		return nil, bad("spec is too long")
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	var sp Spec
	if err := dec.Decode(&sp); err != nil {
		return nil, bad("spec: %v", err)
	}
	if sp.Seed == 0 {
		sp.Seed = 1
	}
	if len(sp.Set) > 64 || sp.Shocks != nil && len(*sp.Shocks) > 64 {
		return nil, bad("spec: at most 64 overrides and 64 shocks")
	}
	if len(sp.Label) > 200 {
		sp.Label = sp.Label[:200]
	}
	return &sp, nil
}

var keyRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[a-z0-9_]+|\[[0-9]+\])*$`)

// sets returns the overrides as sorted --set strings.
func (sp *Spec) sets() ([]string, error) {
	keys := make([]string, 0, len(sp.Set))
	for k, v := range sp.Set {
		if !keyRE.MatchString(k) {
			return nil, bad("set: invalid field name %q", k)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, bad("set %s: must be a finite number", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + strconv.FormatFloat(sp.Set[k], 'g', -1, 64)
	}
	return out, nil
}

// config resolves a spec into a validated configuration, as the CLI does.
// request parses the request's spec and resolves it to the configuration
// it runs, as every handler that runs or exports a spec needs both.
func (s *Server) request(r *http.Request) (*Spec, regime.Config, error) {
	sp, err := parseSpec(r)
	if err != nil {
		return nil, regime.Config{}, err
	}
	cfg, err := s.config(sp)
	return sp, cfg, err
}

func (s *Server) config(sp *Spec) (regime.Config, error) {
	name, err := s.scenarioName(sp.Scenario)
	if err != nil {
		return regime.Config{}, err
	}
	sets, err := sp.sets()
	if err != nil {
		return regime.Config{}, err
	}
	cfg, err := scenarios.Load(name, sets...)
	if err != nil {
		return regime.Config{}, bad("%v", err)
	}
	if sp.Shocks != nil {
		shocks := []regime.Shock{}
		for _, sh := range *sp.Shocks {
			t := sh.Tick
			shocks = append(shocks, regime.Shock{Name: sh.Name, Tick: &t, Duration: sh.Duration, Set: sh.Set, Scale: sh.Scale})
		}
		if !shocksEqual(shockSpecs(&cfg), *sp.Shocks) {
			cfg.Shocks = shocks
			if err := cfg.Validate(); err != nil {
				return regime.Config{}, bad("shocks: %v", err)
			}
		}
	}
	if need := cfg.MemoryEstimate(); need > s.opt.MaxMemory {
		return regime.Config{}, &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("this run (%d agents, %d ticks) needs about %s, more than the server's limit of %s: lower scale or ticks",
			cfg.Agents(), cfg.Ticks, sysmem.Bytes(need), sysmem.Bytes(s.opt.MaxMemory))}
	}
	if err := sysmem.Check(cfg.MemoryEstimate(), fmt.Sprintf("this run (%d agents, %d ticks)", cfg.Agents(), cfg.Ticks), "lower scale or ticks"); err != nil {
		return regime.Config{}, &httpError{http.StatusRequestEntityTooLarge, err}
	}
	return cfg, nil
}

func shocksEqual(a, b []ShockSpec) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Name != y.Name || x.Tick != y.Tick || x.Duration != y.Duration || !mapsEqual(x.Set, y.Set) || !mapsEqual(x.Scale, y.Scale) {
			return false
		}
	}
	return true
}

func mapsEqual(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// cli returns the equivalent command line; file is the exported scenario's
// name when the shocks were edited (they cannot be given with --set).
func (s *Server) cli(sp *Spec, cfg *regime.Config, file string) string {
	sets, _ := sp.sets()
	name := sp.Scenario
	shocksEdited := sp.Shocks != nil
	if shocksEdited {
		base, err := s.scenarioName(sp.Scenario)
		if err == nil {
			if c, err := scenarios.Load(base); err == nil && shocksEqual(shockSpecs(&c), *sp.Shocks) {
				shocksEdited = false
			}
		}
	}
	parts := []string{"turncoat", "run"}
	if shocksEdited {
		parts = append(parts, file)
		sets = nil
	} else {
		parts = append(parts, shellQuote(name))
	}
	parts = append(parts, "--seed", strconv.FormatUint(sp.Seed, 10))
	for _, st := range sets {
		parts = append(parts, "--set", st)
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if regexp.MustCompile(`^[A-Za-z0-9_./#=-]+$`).MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (s *Server) handleYAML(w http.ResponseWriter, r *http.Request) {
	_, cfg, err := s.request(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	b, err := cfg.YAML()
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeName(cfg.Name)+`.yaml"`)
	_, _ = w.Write(b)
}

func (s *Server) handleCLI(w http.ResponseWriter, r *http.Request) {
	sp, cfg, err := s.request(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"cli": s.cli(sp, &cfg, safeName(cfg.Name)+".yaml")})
}

func safeName(s string) string {
	s = regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(s, "-")
	s = strings.Trim(s, ".-")
	if s == "" {
		return "scenario"
	}
	return s
}

// Run directories ---------------------------------------------------------

// newDir creates Root/serve-runs/<name>-<n> and registers it under its id.
func (s *Server) newDir(name string) (id, dir string, err error) {
	parent := filepath.Join(s.root, "serve-runs")
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		s.seq++
		id = fmt.Sprintf("%s-%s-%d", safeName(name), time.Now().Format("20060102-150405"), s.seq)
		dir = filepath.Join(parent, id)
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			s.runs[id] = dir
			return id, dir, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", "", err
		}
	}
}

func (s *Server) register(dir string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, d := range s.runs {
		if d == dir {
			return id
		}
	}
	s.seq++
	id := fmt.Sprintf("open-%d", s.seq)
	s.runs[id] = dir
	return id
}

func (s *Server) runDir(id string) (string, error) {
	s.mu.Lock()
	dir, ok := s.runs[id]
	s.mu.Unlock()
	if !ok {
		return "", &httpError{http.StatusNotFound, fmt.Errorf("no run %q", id)}
	}
	return dir, nil
}

func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	dir, err := s.runDir(r.PathValue("id"))
	if err != nil {
		writeErr(w, err)
		return
	}
	name := r.PathValue("file")
	if !fs.ValidPath(name) || strings.Contains(name, `\`) {
		writeErr(w, bad("invalid file name %q", name))
		return
	}
	p := filepath.Join(dir, filepath.FromSlash(name))
	if _, err := s.inside(p); err != nil {
		writeErr(w, err)
		return
	}
	st, err := os.Stat(p)
	if err != nil || st.IsDir() {
		writeErr(w, &httpError{http.StatusNotFound, fmt.Errorf("no file %s in run %s", name, r.PathValue("id"))})
		return
	}
	if r.URL.Query().Get("download") != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+safeName(filepath.Base(name))+`"`)
	}
	http.ServeFile(w, r, p)
}

// handleFigures draws the figures of a run (or sweep) directory as SVG
// into its figures/ folder with the plots package and lists them.
func (s *Server) handleFigures(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	dir, err := s.runDir(id)
	if err != nil {
		writeErr(w, err)
		return
	}
	var figs []plots.Figure
	if _, err := os.Stat(filepath.Join(dir, "summary.json")); err == nil {
		res, err := plots.LoadRun(dir)
		if err == nil {
			figs, err = plots.RunFigures(res)
		}
		if err != nil {
			writeErr(w, err)
			return
		}
	} else if figs, err = plots.SweepFigures(dir); err != nil {
		writeErr(w, err)
		return
	}
	if !strings.HasPrefix(dir, filepath.Join(s.root, "serve-runs")+string(filepath.Separator)) {
		// An opened directory stays as it was: its figures go to serve-runs.
		_, fdir, err := s.newDir("figures-" + filepath.Base(dir))
		if err != nil {
			writeErr(w, err)
			return
		}
		id = s.register(fdir)
		dir = fdir
	}
	files, err := plots.Write(figs, filepath.Join(dir, "figures"), "svg")
	if err != nil {
		writeErr(w, err)
		return
	}
	urls := []string{}
	for _, f := range files {
		urls = append(urls, "/api/runs/"+id+"/files/figures/"+filepath.Base(f))
	}
	writeJSON(w, http.StatusOK, map[string]any{"figures": urls})
}

// Streaming runs ----------------------------------------------------------

// TickMsg is one tick as streamed to the page.
type TickMsg struct {
	T        int        `json:"t"`
	Date     string     `json:"date"`
	Defected [3]float64 `json:"d"`
	Jailed   [3]float64 `json:"j"`
	Vars     [8]float64 `json:"v"` // legitimacy, repression, surveillance, pay, delivery, economy, reserves, capacity
	Exited   int        `json:"x"`
	// Modes, under defection modes only, holds each role's share in voice,
	// exit, switch and shirk (in that order), and Emigrants this tick's and
	// all departures so far, in people.
	Modes     *[4][3]float64 `json:"m,omitempty"`
	Emigrants *[2]float64    `json:"e,omitempty"`
}

// VarNames names TickMsg.Vars.
var VarNames = []string{"legitimacy", "repression", "surveillance", "pay", "delivery", "economy", "reserves", "coercive capacity"}

// tickMsg converts a tick; modes says whether the run has defection modes
// (Config.Modes), whose shares it then carries.
func tickMsg(t *regime.TickRecord, modes bool) TickMsg {
	m := TickMsg{T: t.Tick, Date: t.Date.String(), Defected: t.Defected, Jailed: t.Jailed, Exited: t.Exited,
		Vars: [8]float64{t.Legitimacy, t.Repression, t.Surveillance, t.Pay, t.Delivery, t.Economy, t.Reserves, t.Capacity}}
	if modes {
		m.Modes = &[4][3]float64{t.Voice, t.Exit, t.Switch, t.Shirk}
		m.Emigrants = &[2]float64{t.Emigrants, t.EmigrantsTotal}
	}
	return m
}

type recorderFunc func(t int) error

func (f recorderFunc) Record(t int) error { return f(t) }

func (s *Server) acquire(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	default:
		return &httpError{http.StatusTooManyRequests, fmt.Errorf("%d runs are already executing (the server's limit); wait for one to finish", s.opt.MaxRuns)}
	}
}

func (s *Server) release() { <-s.sem }

// handleRun runs a spec and streams it as server-sent events: "start",
// one "tick" per tick, then "done" (with the summary) or "error". The run
// is bound to the request: when the page goes away it is cancelled.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	sp, cfg, err := s.request(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		writeErr(w, errors.New("streaming unsupported"))
		return
	}
	ctx := r.Context()
	if err := s.acquire(ctx); err != nil {
		writeErr(w, err)
		return
	}
	defer s.release()
	m, err := regime.New(cfg)
	if err != nil {
		writeErr(w, bad("%v", err))
		return
	}
	m.SetWorkers(s.opt.Workers)
	id, dir, err := s.newDir(cfg.Name)
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(event string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
		return err
	}
	cli := s.cli(sp, &cfg, filepath.Join("serve-runs", id, "scenario.yaml"))
	_ = send("start", map[string]any{"id": id, "ticks": cfg.Ticks, "agents": cfg.Agents(), "label": sp.Label, "cli": cli})
	fl.Flush()

	ch := make(chan TickMsg, 256)
	type outcome struct {
		res *regime.Result
		err error
	}
	done := make(chan outcome, 1)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	modes := cfg.Modes != nil
	go func() {
		defer close(ch)
		rec := recorderFunc(func(int) error {
			ts := m.Ticks()
			select {
			case ch <- tickMsg(&ts[len(ts)-1], modes):
				return nil
			case <-runCtx.Done():
				return runCtx.Err()
			}
		})
		res, err := m.Run(runCtx, sp.Seed, rec)
		done <- outcome{res, err}
	}()
	writeFailed := false
	batch := make([]TickMsg, 0, 256)
	for msg := range ch {
		if writeFailed {
			continue // drain until the run notices the cancellation
		}
		batch = append(batch[:0], msg)
	more:
		for {
			select {
			case m2, ok := <-ch:
				if !ok {
					break more
				}
				batch = append(batch, m2)
			default:
				break more
			}
		}
		for i := range batch {
			if err := send("tick", &batch[i]); err != nil {
				writeFailed = true
				cancel()
				break
			}
		}
		fl.Flush()
	}
	out := <-done
	if out.err != nil {
		os.Remove(dir)
		_ = send("error", map[string]string{"error": out.err.Error()})
		fl.Flush()
		return
	}
	if err := out.res.WriteDir(dir); err != nil {
		_ = send("error", map[string]string{"error": err.Error()})
		fl.Flush()
		return
	}
	sum, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		_ = send("error", map[string]string{"error": err.Error()})
		fl.Flush()
		return
	}
	_ = send("done", map[string]any{"id": id, "dir": filepath.Join("serve-runs", id), "summary": json.RawMessage(sum),
		"files": regime.RunFiles, "seconds": out.res.Elapsed.Seconds()})
	fl.Flush()
}

// Opening directories -----------------------------------------------------

func (s *Server) handleOpen(w http.ResponseWriter, r *http.Request) {
	dir, err := s.inside(r.URL.Query().Get("dir"))
	if err != nil {
		writeErr(w, err)
		return
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		writeErr(w, &httpError{http.StatusNotFound, fmt.Errorf("%s is not a directory", r.URL.Query().Get("dir"))})
		return
	}
	id := s.register(dir)
	files := []string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() {
			files = append(files, e.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.json")); err == nil {
		res, err := plots.LoadRun(dir)
		if err != nil {
			writeErr(w, bad("%v", err))
			return
		}
		ticks := make([]TickMsg, len(res.Ticks))
		for i := range res.Ticks {
			ticks[i] = tickMsg(&res.Ticks[i], res.Config.Modes != nil)
		}
		sum, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
		writeJSON(w, http.StatusOK, map[string]any{"kind": "run", "id": id, "scenario": res.Config.Name, "ticks": ticks,
			"summary": json.RawMessage(sum), "files": files})
		return
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err == nil {
		man, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
		writeJSON(w, http.StatusOK, map[string]any{"kind": "sweep", "id": id, "manifest": json.RawMessage(man), "files": files})
		return
	}
	writeErr(w, bad("%s is neither a run directory (summary.json) nor a sweep directory (manifest.json)", r.URL.Query().Get("dir")))
}
