package calibrate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/internal/yamlx"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
	"github.com/turncoat-abm/turncoat/sweep"
)

// Spec is a calibration file. Field names are the YAML keys.
type Spec struct {
	// Name names the calibration (default: the file's base name).
	Name string `yaml:"name"`
	// Scenario is a built-in scenario name or a path (relative to the
	// spec file's directory).
	Scenario string `yaml:"scenario"`
	// Set overrides scenario fields for every run: path -> value, as --set.
	Set map[string]string `yaml:"set"`
	// Parameters are the calibrated fields with their priors.
	Parameters []Parameter `yaml:"parameters"`
	// Targets are the observations fitted. Empty: every exit date of the
	// scenario's history block.
	Targets []Target `yaml:"targets"`
	// Holdout names targets (region names; "declaration:REGION" for a
	// declaration target) left out of the fit and predicted (the CLI's
	// --holdout adds to it).
	Holdout []string `yaml:"holdout"`
	// HoldoutKind holds out every target of one kind: "exit" (fit on the
	// declarations only and predict the exits) or "declaration" (added
	// to Holdout when the spec is read).
	HoldoutKind string `yaml:"holdout_kind,omitempty"`
	// HoldoutAfter (a date, YYYY-MM-DD) holds out every dated target
	// observed after it: the fit sees only what happened up to the date
	// and predicts the rest (added to Holdout when the spec is read).
	HoldoutAfter string `yaml:"holdout_after"`
	// Method is the algorithm: abc-smc (the only one).
	Method string `yaml:"method"`
	// Particles is the population size per generation (default 100).
	Particles int `yaml:"particles"`
	// Generations is the most SMC generations after the prior one
	// (default 5).
	Generations int `yaml:"generations"`
	// Tolerance, when > 0, stops the fit once a generation's tolerance
	// (mean absolute timing error, weeks) is at or below it.
	Tolerance float64 `yaml:"tolerance"`
	// Quantile is the quantile of the last generation's distances used as
	// the next tolerance (default 0.5).
	Quantile float64 `yaml:"quantile"`
	// MinAcceptance stops the fit when a generation's acceptance rate
	// falls below it (default 0.02).
	MinAcceptance float64 `yaml:"min_acceptance"`
	// Replicates is the number of runs per particle (default 1); the
	// distance is their mean.
	Replicates int `yaml:"replicates"`
	// Draws is the number of posterior predictive runs (default 200).
	Draws int `yaml:"draws"`
	// Seed is the master seed.
	Seed uint64 `yaml:"seed"`
	// Workers is the default number of workers (0: all cores); it never
	// changes results.
	Workers int `yaml:"workers"`
	// OrderWeight (weeks, >= 0; default 0, off) adds the order of the
	// dated targets to the distance: a run's distance becomes its mean
	// absolute timing error plus OrderWeight × (1 − ρ̄), ρ̄ the Spearman
	// between simulated and observed dates averaged over the kinds of
	// fitted targets (exits; declarations) with at least two targets. See
	// prepared.order.
	OrderWeight float64 `yaml:"order_weight,omitempty"`
}

// Parameter is one calibrated scenario field (a dotted path as --set takes
// it) with its prior: uniform or loguniform on Range, or normal (Mean, SD)
// truncated to Range.
type Parameter struct {
	Name  string    `yaml:"name"`
	Prior string    `yaml:"prior"`
	Range []float64 `yaml:"range"`
	Mean  float64   `yaml:"mean"`
	SD    float64   `yaml:"sd"`
}

// Target is one fitted observation: the exit date of a region in the
// scenario's history block. The distance of a run is the mean over
// targets of the absolute difference between the simulated and the
// historical exit, in weeks (a region that does not exit counts as exiting
// one tick past the horizon, as regime.Config.FitTicks does).
//
// In a pack calibration (scenario: a pack built from a case table, such as
// arabspring2011) a target is the observed outcome class of a case; the
// distance of a particle is the mean over fitted cases of 1 − the share of
// its replicates that end in the observed class (with one replicate, the
// share of cases misclassified).
//
// Exactly one of the fields is set; a new kind of target is a new field
// here plus its case in Target.Name and the validation.
//
// Declaration is a region's date of declaring sovereignty in the
// scenario's history block (history.declarations), for a scenario with a
// sovereignty rule; it is scored like an exit, on the simulated
// declaration. Its target name is "declaration:REGION".
type Target struct {
	Exit        string `yaml:"exit"`
	Class       string `yaml:"class"`
	Declaration string `yaml:"declaration,omitempty"`
	// Series names one of the scenario's history.series; Distance is its
	// distance (one of SeriesDistances, default rmse_log; see series.go).
	Series   string `yaml:"series,omitempty"`
	Distance string `yaml:"distance,omitempty"`
}

// DeclarationPrefix starts the name of a declaration target.
const DeclarationPrefix = "declaration:"

// Name returns the target's name: the region, the case, or
// "declaration:REGION".
func (t Target) Name() string {
	if t.Class != "" {
		return t.Class
	}
	if t.Series != "" {
		return t.Series
	}
	if t.Declaration != "" {
		return DeclarationPrefix + t.Declaration
	}
	return t.Exit
}

// targetKinds are the values of Spec.HoldoutKind.
var targetKinds = []string{"exit", "declaration"}

// splitTarget returns a dated target's kind ("exit" or "declaration")
// and region.
func splitTarget(name string) (kind, region string) {
	if r, ok := strings.CutPrefix(name, DeclarationPrefix); ok {
		return "declaration", r
	}
	return "exit", name
}

// date returns a dated target's historical date.
func targetDate(base *regime.Config, name string) regime.Date {
	if k, r := splitTarget(name); k == "declaration" {
		return base.History.Declarations[r]
	}
	return base.History.Exits[name]
}

// Priors are the prior names.
var Priors = []string{"uniform", "loguniform", "normal"}

// Load reads and validates a calibration file, with "key=value" overrides
// of the spec's own fields.
func Load(path string, sets ...string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	return Parse(path, data, sets...)
}

// Parse decodes a calibration file strictly (errors name the file, line
// and field) and validates it against its scenario.
func Parse(file string, data []byte, sets ...string) (*Spec, error) {
	s := &Spec{Method: "abc-smc", Particles: 100, Generations: 5, Quantile: 0.5, MinAcceptance: 0.02, Replicates: 1, Draws: 200, Seed: 1}
	if err := yamlx.Decode(file, data, s, sets, func() error { return s.validate(filepath.Dir(file)) }); err != nil {
		return nil, err
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return s, nil
}

type fieldError = agents.FieldError

func (s *Spec) validate(dir string) error {
	var errs []error
	add := func(field, format string, a ...any) {
		errs = append(errs, &fieldError{Field: field, Err: fmt.Errorf(format, a...)})
	}
	if s.Scenario == "" {
		add("scenario", "must name a built-in scenario or a file")
	} else if _, err := scenarios.Source(s.Scenario); !isPack(s.Scenario) && (err != nil || strings.ContainsAny(s.Scenario, `/\`)) && !filepath.IsAbs(s.Scenario) {
		if abs, err := filepath.Abs(filepath.Join(dir, s.Scenario)); err == nil {
			s.Scenario = abs
		}
	}
	if s.Method != "abc-smc" {
		add("method", "must be abc-smc, got %q", s.Method)
	}
	if s.Particles < 4 {
		add("particles", "must be >= 4, got %d", s.Particles)
	}
	if s.Generations < 0 {
		add("generations", "must be >= 0, got %d", s.Generations)
	}
	if s.Tolerance < 0 || math.IsNaN(s.Tolerance) {
		add("tolerance", "must be >= 0, got %g", s.Tolerance)
	}
	if !(s.Quantile > 0 && s.Quantile < 1) {
		add("quantile", "must be in (0,1), got %g", s.Quantile)
	}
	if !(s.MinAcceptance > 0 && s.MinAcceptance < 1) {
		add("min_acceptance", "must be in (0,1), got %g", s.MinAcceptance)
	}
	if s.Replicates < 1 {
		add("replicates", "must be >= 1, got %d", s.Replicates)
	}
	if s.Draws < 1 {
		add("draws", "must be >= 1, got %d", s.Draws)
	}
	if s.Workers < 0 {
		add("workers", "must be >= 0 (0: all cores), got %d", s.Workers)
	}
	if !(s.OrderWeight >= 0) || math.IsInf(s.OrderWeight, 0) {
		add("order_weight", "must be a finite number of weeks >= 0 (0: off), got %g", s.OrderWeight)
	}
	if len(s.Parameters) == 0 {
		add("parameters", "must list at least one parameter")
	}
	seen := map[string]bool{}
	for i, p := range s.Parameters {
		f := fmt.Sprintf("parameters[%d]", i)
		if p.Name == "" {
			add(f+".name", "must be a scenario field path such as regime.repression")
		} else if seen[p.Name] {
			add(f+".name", "parameter %q appears twice", p.Name)
		}
		seen[p.Name] = true
		if !slices.Contains(Priors, p.Prior) {
			add(f+".prior", "must be one of %s, got %q", strings.Join(Priors, ", "), p.Prior)
		}
		switch {
		case len(p.Range) != 2:
			add(f+".range", "must be [min, max], got %d numbers", len(p.Range))
		case !(p.Range[1] > p.Range[0]) || math.IsInf(p.Range[0], 0) || math.IsInf(p.Range[1], 0):
			add(f+".range", "needs finite min < max, got %v", p.Range)
		case p.Prior == "loguniform" && !(p.Range[0] > 0):
			add(f+".range", "a loguniform prior needs min > 0, got %g", p.Range[0])
		}
		if p.Prior == "normal" {
			if !(p.SD > 0) || math.IsInf(p.SD, 0) {
				add(f+".sd", "a normal prior needs sd > 0, got %g", p.SD)
			}
			if math.IsNaN(p.Mean) || math.IsInf(p.Mean, 0) {
				add(f+".mean", "must be finite, got %g", p.Mean)
			}
		} else if p.Mean != 0 || p.SD != 0 {
			add(f, "mean and sd belong to a normal prior, not %s", p.Prior)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if isPack(s.Scenario) {
		return s.validatePack(errs)
	}
	base, err := s.Base()
	if err != nil {
		return &fieldError{Field: "scenario", Err: err}
	}
	names := make([]string, len(s.Parameters))
	for i, p := range s.Parameters {
		names[i] = p.Name
	}
	if i, j := sweep.DuplicateField(&base, names); i >= 0 {
		errs = append(errs, &fieldError{Field: fmt.Sprintf("parameters[%d].name", i), Err: fmt.Errorf("%q sets the same field as parameters[%d] (%q): the last would win and the other would never be fitted", names[i], j, names[j])})
	}
	for i, p := range s.Parameters {
		for _, v := range p.Range {
			cfg := base.Clone()
			if err := sweep.SetField(&cfg, p.Name, v); err != nil {
				errs = append(errs, &fieldError{Field: fmt.Sprintf("parameters[%d].name", i), Err: err})
				break
			}
			if err := cfg.Validate(); err != nil {
				errs = append(errs, &fieldError{Field: fmt.Sprintf("parameters[%d].range", i), Err: fmt.Errorf("%s = %g gives an invalid scenario: %w", p.Name, v, err)})
				break
			}
		}
	}
	if ok, err := s.validateSeriesTargets(&base, &errs); ok {
		return err
	}
	if len(base.History.Exits) == 0 && (base.Sovereignty == nil || len(base.History.Declarations) == 0) {
		add("targets", "scenario %s has no history.exits (or history.declarations with a sovereignty rule) to fit", base.Name)
	}
	regions := map[string]bool{}
	for _, r := range base.Regions {
		regions[r.Name] = true
	}
	tseen := map[string]bool{}
	for i, t := range s.Targets {
		f := fmt.Sprintf("targets[%d].exit", i)
		if t.Class != "" {
			add(fmt.Sprintf("targets[%d].class", i), "class targets need a pack of cases (scenario: arabspring2011 or TABLE.csv); %s is one scenario", base.Name)
			continue
		}
		if t.Declaration != "" {
			fd := fmt.Sprintf("targets[%d].declaration", i)
			switch {
			case t.Exit != "":
				add(fmt.Sprintf("targets[%d]", i), "set one of exit and declaration, not both")
			case base.Sovereignty == nil:
				add(fd, "scenario %s has no sovereignty rule, so no run declares sovereignty", base.Name)
			case !regions[t.Declaration]:
				add(fd, "names no region of %s: %q", base.Name, t.Declaration)
			case base.History.Declarations[t.Declaration].IsZero():
				add(fd, "region %q has no declaration date in the scenario's history, so no run can be scored against it", t.Declaration)
			case tseen[t.Name()]:
				add(fd, "target %q appears twice", t.Declaration)
			}
			tseen[t.Name()] = true
			continue
		}
		switch {
		case !regions[t.Exit]:
			add(f, "names no region of %s: %q", base.Name, t.Exit)
		case base.History.Exits[t.Exit].IsZero():
			add(f, "region %q has no exit date in the scenario's history, so no run can be scored against it", t.Exit)
		case tseen[t.Exit]:
			add(f, "target %q appears twice", t.Exit)
		}
		tseen[t.Exit] = true
	}
	all := s.targetNames(&base)
	if s.HoldoutAfter != "" {
		if d, err := regime.ParseDate(s.HoldoutAfter); err != nil {
			add("holdout_after", "must be a date YYYY-MM-DD: %v", err)
		} else {
			n := 0
			for _, t := range all {
				if targetDate(&base, t).After(d.Time) {
					n++
					if !slices.Contains(s.Holdout, t) {
						s.Holdout = append(s.Holdout, t)
					}
				}
			}
			if n == 0 {
				add("holdout_after", "no target is dated after %s, so nothing would be predicted", s.HoldoutAfter)
			}
		}
	}
	if s.HoldoutKind != "" {
		if !slices.Contains(targetKinds, s.HoldoutKind) {
			add("holdout_kind", "must be one of %s, got %q", strings.Join(targetKinds, ", "), s.HoldoutKind)
		} else {
			n := 0
			for _, t := range all {
				if k, _ := splitTarget(t); k == s.HoldoutKind {
					n++
					if !slices.Contains(s.Holdout, t) {
						s.Holdout = append(s.Holdout, t)
					}
				}
			}
			if n == 0 {
				add("holdout_kind", "no %s target to hold out", s.HoldoutKind)
			}
		}
	}
	for i, h := range s.Holdout {
		if !slices.Contains(all, h) {
			add(fmt.Sprintf("holdout[%d]", i), "names no target: %q (targets: %s)", h, strings.Join(all, ", "))
		}
	}
	if len(errs) == 0 && len(all)-len(s.Holdout) < 1 {
		add("holdout", "leaves no target to fit")
	}
	if s.OrderWeight > 0 {
		kinds := map[string]int{}
		for _, t := range all {
			if !slices.Contains(s.Holdout, t) {
				k, _ := splitTarget(t)
				kinds[k]++
			}
		}
		if kinds["exit"] < 2 && kinds["declaration"] < 2 {
			add("order_weight", "needs at least two fitted targets of one kind (exits or declarations) to have an order")
		}
	}
	return errors.Join(errs...)
}

// targetNames returns the names of every target (fitted and held out):
// the exits in the scenario's region order, then the declarations
// ("declaration:REGION", region order). By default every exit date of the
// history, and with a sovereignty rule every declaration date too.
func (s *Spec) targetNames(base *regime.Config) []string {
	if s.seriesMode(base) {
		return s.seriesNames(base)
	}
	var out []string
	for _, r := range base.Regions {
		if _, ok := base.History.Exits[r.Name]; !ok {
			continue
		}
		if len(s.Targets) == 0 || slices.ContainsFunc(s.Targets, func(t Target) bool { return t.Exit == r.Name && t.Declaration == "" }) {
			out = append(out, r.Name)
		}
	}
	if base.Sovereignty == nil {
		return out
	}
	for _, r := range base.Regions {
		if _, ok := base.History.Declarations[r.Name]; !ok {
			continue
		}
		if len(s.Targets) == 0 || slices.ContainsFunc(s.Targets, func(t Target) bool { return t.Declaration == r.Name }) {
			out = append(out, DeclarationPrefix+r.Name)
		}
	}
	return out
}

// validatePack validates a pack calibration: parameters on the mapping,
// class targets naming cases with an observed class.
func (s *Spec) validatePack(errs []error) error {
	add := func(field, format string, a ...any) {
		errs = append(errs, &fieldError{Field: field, Err: fmt.Errorf(format, a...)})
	}
	pk, err := loadPack(s.Scenario, s.Set)
	if err != nil {
		return &fieldError{Field: "scenario", Err: err}
	}
	if _, err := pk.configs(&pk.mapping); err != nil {
		return &fieldError{Field: "set", Err: err}
	}
	for i, p := range s.Parameters {
		for _, v := range p.Range {
			if err := pk.check(p.Name, v); err != nil {
				add(fmt.Sprintf("parameters[%d].name", i), "%s = %g: %w", p.Name, v, err)
				break
			}
		}
	}
	observed := map[string]bool{}
	for _, c := range pk.cases {
		observed[c.name] = c.observed != ""
	}
	tseen := map[string]bool{}
	for i, t := range s.Targets {
		f := fmt.Sprintf("targets[%d].class", i)
		switch has, ok := observed[t.Class]; {
		case t.Class == "":
			add(fmt.Sprintf("targets[%d]", i), "a pack calibration fits outcome classes: {class: CASE}")
		case !ok:
			add(f, "names no case of pack %s: %q", s.Scenario, t.Class)
		case !has:
			add(f, "case %q has no observed class in its table, so no run can be scored against it", t.Class)
		case tseen[t.Class]:
			add(f, "target %q appears twice", t.Class)
		}
		tseen[t.Class] = true
	}
	all := s.packTargets(pk)
	if s.HoldoutAfter != "" {
		add("holdout_after", "needs dated targets (exit dates); the outcome classes of a pack are undated")
	}
	if s.OrderWeight != 0 {
		add("order_weight", "needs dated targets (exits, declarations); the outcome classes of a pack are unordered")
	}
	if len(all) == 0 {
		add("targets", "no case of pack %s has an observed class", s.Scenario)
	}
	for i, h := range s.Holdout {
		if !slices.Contains(all, h) {
			add(fmt.Sprintf("holdout[%d]", i), "names no target: %q (targets: %s)", h, strings.Join(all, ", "))
		}
	}
	if len(errs) == 0 && len(all)-len(s.Holdout) < 1 {
		add("holdout", "leaves no target to fit")
	}
	return errors.Join(errs...)
}

// packTargets returns the case names of every class target, in the
// pack's order (default: every case with an observed class).
func (s *Spec) packTargets(pk *pack) []string {
	var out []string
	for _, c := range pk.cases {
		if c.observed == "" {
			continue
		}
		if len(s.Targets) == 0 || slices.ContainsFunc(s.Targets, func(t Target) bool { return t.Class == c.name }) {
			out = append(out, c.name)
		}
	}
	return out
}

// allTargets returns every target name (fitted and held out).
func (s *Spec) allTargets() ([]string, error) {
	if isPack(s.Scenario) {
		pk, err := loadPack(s.Scenario, s.Set)
		if err != nil {
			return nil, err
		}
		return s.packTargets(pk), nil
	}
	base, err := s.Base()
	if err != nil {
		return nil, err
	}
	return s.targetNames(&base), nil
}

// Base loads the scenario with the spec's overrides.
func (s *Spec) Base() (regime.Config, error) {
	var sets []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.Set {
			if !yield(k) {
				return
			}
		}
	}) {
		sets = append(sets, k+"="+s.Set[k])
	}
	return scenarios.Load(s.Scenario, sets...)
}

// YAML returns the resolved spec (calibrate.yaml of an output directory;
// Workers omitted as it never changes results).
func (s *Spec) YAML() ([]byte, error) {
	c := *s
	c.Workers = 0
	return yaml.Marshal(&c)
}

// Hash identifies the calibration's results: the SHA-256 of the spec
// (without Workers and the scenario's location) and the resolved scenario.
func (s *Spec) Hash() (string, error) {
	c := *s
	c.Workers, c.Scenario = 0, ""
	spec, err := yaml.Marshal(&c)
	if err != nil {
		return "", err
	}
	var scen []byte
	if isPack(s.Scenario) {
		pk, err := loadPack(s.Scenario, s.Set)
		if err != nil {
			return "", err
		}
		cfgs, err := pk.configs(&pk.mapping)
		if err != nil {
			return "", err
		}
		for _, c := range cfgs {
			y, err := c.YAML()
			if err != nil {
				return "", err
			}
			scen = append(scen, y...)
		}
	} else {
		base, err := s.Base()
		if err != nil {
			return "", err
		}
		if scen, err = base.YAML(); err != nil {
			return "", err
		}
	}
	h := sha256.New()
	h.Write(spec)
	h.Write([]byte{0})
	h.Write(scen)
	return hex.EncodeToString(h.Sum(nil)), nil
}
