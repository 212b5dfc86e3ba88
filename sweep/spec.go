package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/turncoat-abm/turncoat/internal/safeio"
	"math"
	"math/bits"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/internal/seed"
	"github.com/turncoat-abm/turncoat/internal/yamlx"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// Spec is a sweep file: a base scenario with overrides, the parameters to
// vary and how to sample them, replicates, the master seed and the outputs
// to collect. Field names are the YAML keys.
type Spec struct {
	// Name names the sweep (default: the file's base name).
	Name string `yaml:"name"`
	// Scenario is a built-in scenario name or a path (relative to the sweep
	// file's directory).
	Scenario string `yaml:"scenario"`
	// Config, when not nil, is the base scenario built in Go; it replaces
	// Scenario (which may then be empty) and is never written to YAML. Set
	// still applies to it. The sweep reads a copy: changing Config after
	// Run has started does not change the sweep.
	Config *regime.Config `yaml:"-"`
	// Set overrides scenario fields for every run: path -> value, as --set.
	Set map[string]string `yaml:"set"`
	// Parameters are the varied fields.
	Parameters []Parameter `yaml:"parameters"`
	// Sampler is grid (full factorial), lhs (Latin hypercube of Samples
	// points) or sobol (Saltelli design with Samples base samples:
	// Samples·(d+2) points).
	Sampler string `yaml:"sampler"`
	// Samples is the number of points (lhs) or base samples (sobol).
	Samples int `yaml:"samples"`
	// Replicates is the number of runs per point (default 1).
	Replicates int `yaml:"replicates"`
	// Seed is the master seed: run seeds are derived from (Seed, point,
	// replicate), and the lhs/sobol designs from Seed.
	Seed uint64 `yaml:"seed"`
	// Outputs are the measures collected per run (see Outputs()).
	Outputs []string `yaml:"outputs"`
	// Workers is the default number of workers (0: all cores); the CLI's
	// --workers overrides it. It never changes results.
	Workers int `yaml:"workers"`
	// Bootstrap is the number of bootstrap resamples for Sobol intervals
	// (default 500).
	Bootstrap int `yaml:"bootstrap"`
}

// Parameter is one varied scenario field: a dotted path as --set takes it
// (regime.repression, roles.soldier.threshold.mean,
// regions.Ukraine.legitimacy) with either Values or a Range [min, max]
// (cut into Steps values by a grid; sampled continuously by lhs and sobol;
// on a log scale when Log).
type Parameter struct {
	Name   string    `yaml:"name"`
	Values []float64 `yaml:"values"`
	Range  []float64 `yaml:"range"`
	Steps  int       `yaml:"steps"`
	Log    bool      `yaml:"log"`
}

// Samplers are the sampler names.
var Samplers = []string{"grid", "lhs", "sobol"}

// DefaultOutputs are collected when a sweep lists none.
var DefaultOutputs = []string{"collapsed", "collapse_tick", "exits", "final_share.citizen", "final_share.soldier", "final_share.elite"}

// Load reads and validates a sweep file, with "key=value" overrides of the
// sweep's own fields.
func Load(path string, sets ...string) (*Spec, error) {
	data, err := safeio.ReadFile(path, safeio.MaxInput)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	return Parse(path, data, sets...)
}

// Parse decodes a sweep file strictly (errors name the file, line and
// field) and validates it; a relative scenario path is resolved against the
// file's directory.
func Parse(file string, data []byte, sets ...string) (*Spec, error) {
	s := &Spec{Replicates: 1, Seed: 1, Bootstrap: 500}
	if err := yamlx.Decode(file, data, s, sets, func() error { return s.validate(filepath.Dir(file)) }); err != nil {
		return nil, err
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return s, nil
}

// fieldError is a validation error with a field path (located by yamlx).
type fieldError = agents.FieldError

func (s *Spec) validate(dir string) error {
	var errs []error
	add := func(field, format string, a ...any) {
		errs = append(errs, &fieldError{Field: field, Err: fmt.Errorf(format, a...)})
	}
	if s.Scenario == "" && s.Config == nil {
		add("scenario", "must name a built-in scenario or a file")
	} else if s.Config == nil && !builtin(s.Scenario) && !filepath.IsAbs(s.Scenario) {
		if abs, err := filepath.Abs(filepath.Join(dir, s.Scenario)); err == nil {
			s.Scenario = abs
		}
	}
	if s.Sampler == "" {
		add("sampler", "must be set: one of %s", strings.Join(Samplers, ", "))
	} else if !slices.Contains(Samplers, s.Sampler) {
		add("sampler", "must be one of %s, got %q", strings.Join(Samplers, ", "), s.Sampler)
	}
	if (s.Sampler == "lhs" || s.Sampler == "sobol") && s.Samples < 2 {
		add("samples", "the %s sampler needs samples >= 2, got %d", s.Sampler, s.Samples)
	}
	if s.Replicates < 1 {
		add("replicates", "must be >= 1, got %d", s.Replicates)
	}
	if s.Workers < 0 {
		add("workers", "must be >= 0 (0: all cores), got %d", s.Workers)
	}
	if s.Bootstrap < 0 {
		add("bootstrap", "must be >= 0, got %d", s.Bootstrap)
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
		switch {
		case len(p.Values) > 0 && len(p.Range) > 0:
			add(f, "give values or range, not both")
		case len(p.Values) == 0 && len(p.Range) == 0:
			add(f, "needs values or range")
		case len(p.Range) > 0 && len(p.Range) != 2:
			add(f+".range", "must be [min, max], got %d numbers", len(p.Range))
		case len(p.Range) == 2 && !(p.Range[1] > p.Range[0]):
			add(f+".range", "needs min < max, got %v", p.Range)
		case len(p.Range) == 2 && p.Log && !(p.Range[0] > 0):
			add(f+".log", "a log range needs min > 0, got %g", p.Range[0])
		case len(p.Range) == 2 && s.Sampler == "grid" && p.Steps < 2:
			add(f+".steps", "a grid over a range needs steps >= 2, got %d", p.Steps)
		}
	}
	outs := s.Outputs
	if len(outs) == 0 {
		outs = DefaultOutputs
	}
	seenOut := map[string]bool{}
	for i, o := range outs {
		if _, ok := outputSpec(o); !ok {
			hint := ""
			if sg := yamlx.Suggest(o, OutputNames()); sg != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", sg)
			}
			add(fmt.Sprintf("outputs[%d]", i), "unknown output %q%s (known: %s)", o, hint, strings.Join(OutputNames(), ", "))
		} else if seenOut[o] {
			add(fmt.Sprintf("outputs[%d]", i), "output %q appears twice", o)
		}
		seenOut[o] = true
	}
	if s.Bootstrap > MaxBootstrap {
		add("bootstrap", "must be at most %d, got %d", MaxBootstrap, s.Bootstrap)
	}
	if len(errs) == 0 {
		// Bound the design before it is built (overflow-safe: the count
		// saturates at MaxPoints+1).
		if pts := s.designPoints(); pts > MaxPoints {
			add("parameters", "the design has more than %d points (%s sampler): use fewer steps, values or samples, or split it into several sweeps", MaxPoints, s.Sampler)
		} else if uint64(s.Replicates) > MaxRuns/max(pts, 1) {
			add("replicates", "%d points × %d replicates is more than %d runs: use fewer replicates or a smaller design", pts, s.Replicates, MaxRuns)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	// The base scenario must load, and every parameter must be settable to
	// the ends of its range with a valid result.
	base, err := s.Base()
	if err != nil {
		return &fieldError{Field: "scenario", Err: err}
	}
	names := make([]string, len(s.Parameters))
	for i, p := range s.Parameters {
		names[i] = p.Name
	}
	if i, j := DuplicateField(&base, names); i >= 0 {
		errs = append(errs, &fieldError{Field: fmt.Sprintf("parameters[%d].name", i), Err: fmt.Errorf("%q sets the same field as parameters[%d] (%q): the last would win and the other's values would be reported but never applied", names[i], j, names[j])})
	}
	for i, p := range s.Parameters {
		for _, v := range p.ends() {
			cfg := base.Clone()
			if err := setField(&cfg, p.Name, v); err != nil {
				errs = append(errs, &fieldError{Field: fmt.Sprintf("parameters[%d].name", i), Err: err})
				break
			}
			if err := cfg.Validate(); err != nil {
				errs = append(errs, &fieldError{Field: fmt.Sprintf("parameters[%d]", i), Err: fmt.Errorf("%s = %g gives an invalid scenario: %w", p.Name, v, err)})
				break
			}
		}
	}
	for i, o := range outs {
		if os, _ := outputSpec(o); os.region != "" && !slices.ContainsFunc(base.Regions, func(r regime.Region) bool { return r.Name == os.region }) {
			add(fmt.Sprintf("outputs[%d]", i), "names no region of %s: %q", base.Name, os.region)
		}
		if os, _ := outputSpec(o); os.series != "" && !hasSeries(&base, os.series) {
			add(fmt.Sprintf("outputs[%d]", i), "names no history series of %s: %q", base.Name, os.series)
		}
	}
	return errors.Join(errs...)
}

func (p Parameter) ends() []float64 {
	if len(p.Values) > 0 {
		return p.Values
	}
	return p.Range
}

func builtin(name string) bool {
	_, err := scenarios.Source(name)
	return err == nil && !strings.ContainsAny(name, `/\`)
}

// Base loads the base scenario with the sweep's overrides.
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
	if s.Config != nil {
		cfg := s.Config.Clone()
		if err := cfg.Apply(sets...); err != nil {
			return regime.Config{}, err
		}
		return cfg, nil
	}
	return scenarios.Load(s.Scenario, sets...)
}

// Validate checks a Spec built in Go as Parse checks a file (a relative
// scenario path is resolved against the working directory). Run does not
// call it: call it first for errors that name the field.
func (s *Spec) Validate() error { return s.validate(".") }

// OutputList returns the outputs collected (Outputs, or DefaultOutputs).
func (s *Spec) OutputList() []string {
	if len(s.Outputs) == 0 {
		return DefaultOutputs
	}
	return s.Outputs
}

// Params returns the design parameters.
func (s *Spec) Params() []abm.Param {
	out := make([]abm.Param, len(s.Parameters))
	for i, p := range s.Parameters {
		out[i] = abm.Param{Name: p.Name, Values: p.Values, Steps: p.Steps, Log: p.Log}
		if len(p.Range) == 2 {
			out[i].Min, out[i].Max = p.Range[0], p.Range[1]
		}
	}
	return out
}

// Design builds the sampler's design; lhs and sobol draw it from a stream
// derived from the master seed, so it is the same on every machine.
func (s *Spec) Design() (abm.Design, error) {
	if s.designPoints() > MaxPoints {
		return nil, fmt.Errorf("sweep: the design has more than %d points", MaxPoints)
	}
	if s.Bootstrap > MaxBootstrap {
		return nil, fmt.Errorf("sweep: bootstrap must be at most %d, got %d", MaxBootstrap, s.Bootstrap)
	}
	r := rand.New(rand.NewPCG(seed.PCG(seed.Mix(s.Seed, seed.Label("design")))))
	switch s.Sampler {
	case "lhs":
		return abm.NewLatinHypercube(s.Params(), s.Samples, r)
	case "sobol":
		return abm.NewSaltelli(s.Params(), s.Samples, r)
	}
	return abm.NewGrid(s.Params())
}

// Hash identifies the sweep's results: the SHA-256 of the spec (without
// Workers, which never changes results, and without the scenario's
// location) and of the resolved base scenario.
func (s *Spec) Hash() (string, error) {
	spec, err := hashSpec(s)
	if err != nil {
		return "", err
	}
	base, err := s.Base()
	if err != nil {
		return "", err
	}
	scen, err := base.YAML()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(spec)
	h.Write([]byte{0})
	h.Write(scen)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// isFinite reports whether v is a finite number.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// MemoryEstimate returns about how many bytes a sweep of s with the given
// workers (0: the spec's, then all cores) needs: one model of the largest
// point per worker, the design, and for sobol the per-point means. It
// checks every point of the design on the way (see Run).
func MemoryEstimate(s *Spec, workers int) (uint64, error) {
	p, err := prepare(s)
	if err != nil {
		return 0, err
	}
	maxRun, err := p.check(context.Background(), Shard{})
	if err != nil {
		return 0, err
	}
	return p.memory(maxRun, workers), nil
}

func (p *prepared) memory(maxRun uint64, workers int) uint64 {
	s := p.spec
	if workers == 0 {
		workers = s.Workers
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	d := uint64(len(s.Parameters))
	n := uint64(max(s.Samples, 0))
	// Saturating: an estimate never wraps to a small number.
	need := addSat(mulSat(uint64(min(workers, max(p.design.Len()*s.Replicates, 1))), maxRun), 1<<20)
	switch s.Sampler {
	case "lhs":
		need = addSat(need, mulSat(mulSat(n, d), 8))
	case "sobol":
		need = addSat(need, addSat(mulSat(mulSat(2*n, d), 8), mulSat(mulSat(uint64(len(s.OutputList())), n), (d+2)*8)))
	}
	return need
}

// Limits on a sweep's size, checked before the design is built.
const (
	// MaxPoints is the most design points a sweep may have; each is
	// validated before the first run.
	MaxPoints = 10_000_000
	// MaxRuns is the most runs (points × replicates) of a sweep.
	MaxRuns = 100_000_000
	// MaxBootstrap is the most bootstrap resamples for Sobol intervals.
	MaxBootstrap = 100_000
)

// designPoints returns the number of points of the design, computed
// without overflow: a count above MaxPoints is reported as MaxPoints+1.
func (s *Spec) designPoints() uint64 {
	const over = MaxPoints + 1
	switch s.Sampler {
	case "lhs":
		return min(uint64(max(s.Samples, 0)), over)
	case "sobol":
		d := uint64(len(s.Parameters)) + 2
		n := uint64(max(s.Samples, 0))
		if n > over/d {
			return over
		}
		return n * d
	}
	n := uint64(1)
	for _, p := range s.Parameters {
		k := uint64(len(p.Values))
		if k == 0 {
			k = uint64(max(p.Steps, 0))
		}
		if k != 0 && n > over/k {
			return over
		}
		n *= k
	}
	return min(n, over)
}

// check validates the scenario of every point of the design (of the shard)
// before anything runs, so that a combination of parameter values that is
// invalid stops the sweep at once rather than halfway, and returns the
// largest memory estimate of one run.
func (p *prepared) check(ctx context.Context, sh Shard) (uint64, error) {
	n := p.design.Len()
	vals := make([]float64, len(p.names))
	var most uint64
	for i := 0; i < n; i++ { // every point, one at a time: nothing is materialised
		if !sh.keeps(i) {
			continue
		}
		if i > 0 && i%4096 == 0 && ctx.Err() != nil { // a long check of a big design
			return 0, ctx.Err()
		}
		p.design.Point(i, vals)
		cfg := p.base.Clone()
		for k, name := range p.names {
			if err := setField(&cfg, name, vals[k]); err != nil {
				return 0, err
			}
		}
		if err := cfg.Validate(); err != nil {
			var desc []string
			for k, name := range p.names {
				desc = append(desc, fmt.Sprintf("%s=%g", name, vals[k]))
			}
			return 0, fmt.Errorf("sweep: point %d (%s) gives an invalid scenario: %w", i, strings.Join(desc, ", "), err)
		}
		most = max(most, cfg.MemoryEstimate())
	}
	return most, nil
}

func addSat(a, b uint64) uint64 {
	if s, carry := bits.Add64(a, b, 0); carry == 0 {
		return s
	}
	return math.MaxUint64
}

func mulSat(a, b uint64) uint64 {
	if hi, lo := bits.Mul64(a, b); hi == 0 {
		return lo
	}
	return math.MaxUint64
}
