package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"time"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/internal/seed"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/sweep"
)

// Generation is one population of the ABC-SMC fit.
type Generation struct {
	// Index is 0 for the prior sample.
	Index int `json:"generation"`
	// Tolerance is the largest accepted distance (mean absolute timing
	// error, weeks, plus the order term with Spec.OrderWeight); +Inf for
	// the prior sample (written as null).
	Tolerance float64 `json:"-"`
	// TolJSON is Tolerance for JSON (null for +Inf).
	TolJSON *float64 `json:"tolerance"`
	// Attempts is the number of particles proposed and simulated;
	// Accepted how many were within Tolerance (the population keeps the
	// first Particles of them in proposal order).
	Attempts int `json:"attempts"`
	Accepted int `json:"accepted"`
	// ESS is the effective sample size of the weights, 1/Σw².
	ESS float64 `json:"ess"`
	// Runs is the number of model runs of this generation.
	Runs int `json:"runs"`
	// Params[i] are particle i's parameter values (Spec.Parameters order).
	Params [][]float64 `json:"params"`
	// Weights sum to 1.
	Weights []float64 `json:"weights"`
	// Distances are the particles' distances.
	Distances []float64 `json:"distances"`

	stop bool // the next generation fell below the minimum acceptance
}

// Options control a calibration.
type Options struct {
	// Dir is the output directory; empty writes no files.
	Dir string
	// Workers overrides Spec.Workers (0: keep; both 0: all cores). It
	// never changes results.
	Workers int
	// Resume continues the calibration in Dir from its last complete
	// generation.
	Resume bool
	// Force lets a fresh calibration replace the files of a non-empty Dir.
	Force bool
	// OnGeneration, when set, receives each generation as it completes
	// (also the ones read back on resume).
	OnGeneration func(*Generation) error
	// OnProgress, when set, receives a one-line progress report after
	// each generation (generation, tolerance, acceptance, ETA).
	OnProgress func(line string)
	// MemoryCheck, when set, receives the estimated memory before
	// anything runs; an error stops the calibration.
	MemoryCheck func(bytes uint64) error
	// OnEstimate, when set, receives an estimate of the calibration's
	// cost before it starts, timed on one pilot run at the middle of the
	// priors (the pilot's result is not used).
	OnEstimate func(Estimate)
	// Folds, when set, limits CrossValidate to these folds (region or
	// case names); by default every fitted target's fold runs.
	Folds []string
}

// Result is a finished calibration.
type Result struct {
	Spec        *Spec
	Generations []*Generation
	// Runs is the number of model runs of the fit and the predictive check.
	Runs    int
	Summary Summary
	Elapsed time.Duration
}

// prepared holds a validated spec ready to run.
type prepared struct {
	spec  *Spec
	base  regime.Config
	names []string               // parameter paths
	fit   map[string]regime.Date // fitted exit targets
	all   map[string]regime.Date // every exit target
	// fitD and allD are the declaration targets (by region), fitted and
	// all; decl is true when the scenario has a sovereignty rule, whose
	// runs then also output each region's declaration tick.
	fitD, allD map[string]regime.Date
	decl       bool
	targets    []string // all target names (fitted and held out): exits, then declarations
	held       []string
	workers    int
	memory     uint64

	// A pack calibration (outcome classes): the pack, and for each of its
	// cases whether it is fitted.
	pk     *pack
	fitted []bool
	target []bool // a target (fitted or held out)

	ser *seriesPrep // a series calibration (series.go)
}

func prepare(spec *Spec, workers int) (*prepared, error) {
	p := &prepared{spec: spec, fit: map[string]regime.Date{}, all: map[string]regime.Date{}, fitD: map[string]regime.Date{}, allD: map[string]regime.Date{}, held: slices.Clone(spec.Holdout)}
	for _, q := range spec.Parameters {
		p.names = append(p.names, q.Name)
	}
	if isPack(spec.Scenario) {
		return p.preparePack(workers)
	}
	base, err := spec.Base()
	if err != nil {
		return nil, err
	}
	p.base = base
	p.decl = base.Sovereignty != nil
	if spec.seriesMode(&base) {
		return p.prepareSeries(workers)
	}
	p.targets = spec.targetNames(&base)
	for _, t := range p.targets {
		all, fit := p.all, p.fit
		kind, r := splitTarget(t)
		if kind == "declaration" {
			all, fit = p.allD, p.fitD
		}
		all[r] = targetDate(&base, t)
		if !slices.Contains(p.held, t) {
			fit[r] = all[r]
		}
	}
	p.setWorkers(workers)
	// Memory: one model per worker at the largest prior corner we can
	// cheaply check (each parameter's upper end, then the base).
	most := base.MemoryEstimate()
	for _, q := range spec.Parameters {
		cfg := base.Clone()
		if sweep.SetField(&cfg, q.Name, q.Range[1]) == nil {
			most = max(most, cfg.MemoryEstimate())
		}
	}
	n := uint64(spec.Particles)
	p.memory = uint64(workers)*most + 1<<20 + 4*n*uint64(len(p.names)+2)*8*uint64(spec.Generations+1)
	return p, nil
}

func (p *prepared) setWorkers(workers int) {
	if workers == 0 {
		workers = p.spec.Workers
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p.workers = workers
}

func (p *prepared) preparePack(workers int) (*prepared, error) {
	spec := p.spec
	pk, err := loadPack(spec.Scenario, spec.Set)
	if err != nil {
		return nil, err
	}
	cfgs, err := pk.configs(&pk.mapping)
	if err != nil {
		return nil, err
	}
	p.pk, p.base = pk, cfgs[0]
	p.targets = spec.packTargets(pk)
	p.fitted, p.target = make([]bool, len(pk.cases)), make([]bool, len(pk.cases))
	for i, c := range pk.cases {
		p.target[i] = slices.Contains(p.targets, c.name)
		p.fitted[i] = p.target[i] && !slices.Contains(p.held, c.name)
	}
	p.setWorkers(workers)
	var most uint64
	for i := range cfgs {
		most += cfgs[i].MemoryEstimate()
	}
	n := uint64(spec.Particles)
	p.memory = uint64(p.workers)*most + 1<<20 + 4*n*uint64(len(p.names)+2)*8*uint64(spec.Generations+1)
	return p, nil
}

// unit names the distance's unit.
func (p *prepared) unit() string {
	if p.ser != nil {
		return "(log units)"
	}
	if p.pk != nil {
		return "(share misclassified)"
	}
	return "weeks"
}

// MemoryEstimate returns about how many bytes a calibration of s needs
// with the given workers (0: the spec's, then all cores).
func MemoryEstimate(s *Spec, workers int) (uint64, error) {
	p, err := prepare(s, workers)
	if err != nil {
		return 0, err
	}
	return p.memory, nil
}

// config returns the base scenario with a particle's values set.
func (p *prepared) config(vals []float64) (regime.Config, error) {
	cfg := p.base.Clone()
	for k, name := range p.names {
		if err := sweep.SetField(&cfg, name, vals[k]); err != nil {
			return cfg, err
		}
	}
	return cfg, cfg.Validate()
}

// batch is an abm.Design over a list of particles.
type batch struct {
	params []abm.Param
	pts    [][]float64
}

func (b *batch) Params() []abm.Param        { return b.params }
func (b *batch) Len() int                   { return len(b.pts) }
func (b *batch) Point(i int, dst []float64) { copy(dst, b.pts[i]) }
func (p *prepared) nOut() int {
	if p.ser != nil {
		return p.ser.nOut
	}
	if p.pk != nil {
		return len(p.pk.cases)
	}
	if p.decl {
		return 2*len(p.base.Regions) + 1
	}
	return len(p.base.Regions) + 1
}
func (p *prepared) design(pts [][]float64) *batch {
	ps := make([]abm.Param, len(p.names))
	for i, n := range p.names {
		ps[i] = abm.Param{Name: n, Min: p.spec.Parameters[i].Range[0], Max: p.spec.Parameters[i].Range[1]}
	}
	return &batch{params: ps, pts: pts}
}

// worker runs one particle's replicates; a run's outputs are the exit tick
// of every region (−1: none), the collapse tick (−1: none) and, with a
// sovereignty rule, the declaration tick of every region (−1: none).
type worker struct {
	p      *prepared
	point  int
	model  *regime.Model
	models []*regime.Model // a pack's cases
	rules  []regime.OutcomeRule
	// fitOnly skips a pack's held-out cases.
	fitOnly bool
}

// doPack runs every case of a pack once at the particle's mapping; a
// run's outputs are each case's class (classCode). Case i runs with seed
// Mix(run seed, i).
func (w *worker) doPack(ctx context.Context, t abm.Task, out []float64) error {
	if t.Point != w.point || w.models == nil {
		m, err := w.p.pk.withParams(w.p.names, t.Params)
		if err != nil {
			return err
		}
		cfgs, err := w.p.pk.configs(&m)
		if err != nil {
			return err
		}
		w.models, w.rules = make([]*regime.Model, len(cfgs)), make([]regime.OutcomeRule, len(cfgs))
		for i := range cfgs {
			if !w.p.target[i] || w.fitOnly && !w.p.fitted[i] {
				continue
			}
			if w.models[i], err = regime.New(cfgs[i]); err != nil {
				return err
			}
			w.rules[i] = cfgs[i].Outcome
		}
		w.point = t.Point
	}
	for i, m := range w.models {
		out[i] = -1
		if m == nil {
			continue
		}
		res, err := m.RunShared(ctx, seed.Mix(t.Seed, uint64(i)))
		if err != nil {
			return err
		}
		out[i] = classCode(w.rules[i].Classify(res))
	}
	return nil
}

// run runs task t's particle once, building its model when the particle
// changes (the worker keeps one model and reuses it across replicates).
func (w *worker) run(ctx context.Context, t abm.Task) (*regime.Result, error) {
	if t.Point != w.point || w.model == nil {
		cfg, err := w.p.config(t.Params)
		if err != nil {
			return nil, err
		}
		m, err := regime.New(cfg)
		if err != nil {
			return nil, err
		}
		w.model, w.point = m, t.Point
	}
	return w.model.RunShared(ctx, t.Seed)
}

func (w *worker) Do(ctx context.Context, t abm.Task, out []float64) error {
	if w.p.pk != nil {
		return w.doPack(ctx, t, out)
	}
	if w.p.ser != nil {
		return w.doSeries(ctx, t, out)
	}
	res, err := w.run(ctx, t)
	if err != nil {
		return err
	}
	n := len(w.p.base.Regions)
	for g := 0; g < n; g++ {
		out[g] = -1
	}
	for _, e := range res.Summary.Exits {
		for g, r := range w.p.base.Regions {
			if r.Name == e.Region {
				out[g] = float64(e.Tick)
			}
		}
	}
	out[n] = -1
	if res.Summary.CollapseTick != nil {
		out[n] = float64(*res.Summary.CollapseTick)
	}
	if w.p.decl {
		for g := 0; g < n; g++ {
			out[n+1+g] = -1
		}
		for _, e := range res.Summary.Declarations {
			for g, r := range w.p.base.Regions {
				if r.Name == e.Region {
					out[n+1+g] = float64(e.Tick)
				}
			}
		}
	}
	return nil
}

// simulate runs replicates of every particle with run seeds derived from
// master and returns the outputs, run-major (point·replicates+replicate).
//
// With fitOnly, a pack's held-out cases are not run (their outputs are
// −1): the fit never reads them.
func (p *prepared) simulate(ctx context.Context, pts [][]float64, replicates int, master uint64, fitOnly bool) ([]float64, error) {
	no := p.nOut()
	out := make([]float64, len(pts)*replicates*no)
	sw := &abm.Sweep{Design: p.design(pts), Replicates: replicates, Seed: master, Outputs: no, Workers: p.workers}
	err := sw.Run(ctx, func() (abm.Worker, error) { return &worker{p: p, point: -1, fitOnly: fitOnly}, nil }, func(t abm.Task, o []float64, _ []byte) error {
		copy(out[t.Run*no:], o)
		return nil
	})
	return out, err
}

// ticks converts one run's outputs to FitTicks' form.
func ticks(o []float64, n int) []int {
	t := make([]int, n)
	for g := range t {
		t[g] = int(o[g])
	}
	return t
}

// distance is the mean over replicates of the mean absolute timing error
// (weeks) over the fitted targets.
func (p *prepared) distance(out []float64, point, replicates int) float64 {
	if p.ser != nil {
		return p.seriesDistance(out, point, replicates)
	}
	no := p.nOut()
	d := 0.0
	if p.pk != nil {
		fitted := 0
		for i, c := range p.pk.cases {
			if !p.fitted[i] {
				continue
			}
			fitted++
			for r := 0; r < replicates; r++ {
				if classOf(out[(point*replicates+r)*no+i]) != c.observed {
					d++
				}
			}
		}
		return d / float64(replicates*fitted)
	}
	for r := 0; r < replicates; r++ {
		o := out[(point*replicates+r)*no:]
		fs, k := p.dateFits(o, p.fit, p.fitD) // scored once for the timing and the order
		d += timingOf(fs[:k])
		if w := p.spec.OrderWeight; w > 0 {
			d += w * (1 - orderOf(fs[:k]))
		}
	}
	return d / float64(replicates)
}

// dateFits scores one run's exit ticks against the exit targets exits
// and its declaration ticks against the declaration targets decls, each
// by regime.Config.FitTicks (a region that never exits or never declares
// counts one tick past the horizon); a kind without targets, or
// declarations without a sovereignty rule, is left out. fs[:k] are the
// fits, exits first.
func (p *prepared) dateFits(o []float64, exits, decls map[string]regime.Date) (fs [2]regime.DateFit, k int) {
	n := len(p.base.Regions)
	if len(exits) > 0 {
		fs[k] = p.base.FitTicks(exits, ticks(o, n))
		k++
	}
	if len(decls) > 0 && p.decl {
		fs[k] = p.base.FitTicks(decls, ticks(o[n+1:], n))
		k++
	}
	return fs, k
}

// order is one run's ρ̄ for the order term of the distance
// (Spec.OrderWeight) over the targets exits and decls: see orderOf.
func (p *prepared) order(o []float64, exits, decls map[string]regime.Date) float64 {
	fs, k := p.dateFits(o, exits, decls)
	return orderOf(fs[:k])
}

// orderOf is ρ̄: the Spearman between simulated and observed dates of
// each kind (so a region that never exits or never declares ranks after
// every region that does and ties with the others that do not), averaged
// over the kinds with at least two targets. A kind whose ρ is undefined
// in this run (every simulated date equal, say none exits) counts ρ = 0:
// the run carries no order. With no kind of two or more targets it is 1
// (no penalty).
func orderOf(fs []regime.DateFit) float64 {
	sum, kinds := 0.0, 0
	for _, f := range fs {
		if f.N < 2 {
			continue
		}
		kinds++
		if !math.IsNaN(f.Spearman) {
			sum += f.Spearman
		}
	}
	if kinds == 0 {
		return 1
	}
	return sum / float64(kinds)
}

// timing is one run's mean absolute timing error (weeks) over the exit
// targets exits and the declaration targets decls together; NaN when
// both are empty.
func (p *prepared) timing(o []float64, exits, decls map[string]regime.Date) float64 {
	fs, k := p.dateFits(o, exits, decls)
	return timingOf(fs[:k])
}

// timingOf is the mean absolute timing error over the targets of fs, each
// fit weighted by its number of targets; NaN without any.
func timingOf(fs []regime.DateFit) float64 {
	sum, cnt := 0.0, 0
	for _, f := range fs {
		sum += f.TimingErrorWeeks * float64(f.N)
		cnt += f.N
	}
	if cnt == 0 {
		return math.NaN()
	}
	return sum / float64(cnt)
}

// prior helpers work in internal coordinates: log for loguniform.
func (q Parameter) toInternal(v float64) float64 {
	if q.Prior == "loguniform" {
		return math.Log(v)
	}
	return v
}

func (q Parameter) toExternal(x float64) float64 {
	if q.Prior == "loguniform" {
		return math.Exp(x)
	}
	return x
}

func (q Parameter) bounds() (lo, hi float64) {
	return q.toInternal(q.Range[0]), q.toInternal(q.Range[1])
}

// logPrior is the log prior density in internal coordinates, up to a
// constant; −Inf outside the range.
func (q Parameter) logPrior(x float64) float64 {
	lo, hi := q.bounds()
	if x < lo || x > hi {
		return math.Inf(-1)
	}
	if q.Prior == "normal" {
		z := (x - q.Mean) / q.SD
		return -0.5 * z * z
	}
	return 0
}

func normCDF(z float64) float64 { return 0.5 * (1 + math.Erf(z/math.Sqrt2)) }

// sample draws from the prior (internal coordinates).
func (q Parameter) sample(r *rand.Rand) float64 {
	lo, hi := q.bounds()
	u := r.Float64()
	if q.Prior == "normal" {
		a, b := normCDF((lo-q.Mean)/q.SD), normCDF((hi-q.Mean)/q.SD)
		x := q.Mean + q.SD*math.Sqrt2*math.Erfinv(2*(a+u*(b-a))-1)
		return min(hi, max(lo, x))
	}
	return lo + u*(hi-lo)
}

// maxTries bounds the redraws of a proposal outside the prior's range.
const maxTries = 100_000

// label seeds of the streams.
var (
	labelProposal   = seed.Label("calibrate/proposal")
	labelRuns       = seed.Label("calibrate/runs")
	labelPredictive = seed.Label("calibrate/predictive")
)

// Run performs the calibration: an ABC-SMC fit, then the posterior
// predictive check; with Options.Dir it writes the output files. The
// results are identical for any number of workers and after a resume.
func Run(ctx context.Context, spec *Spec, opt Options) (*Result, error) {
	start := time.Now()
	p, err := prepare(spec, opt.Workers)
	if err != nil {
		return nil, err
	}
	if opt.MemoryCheck != nil {
		if err := opt.MemoryCheck(p.memory); err != nil {
			return nil, err
		}
	}
	if opt.OnEstimate != nil {
		e, err := p.estimate(ctx)
		if err != nil {
			return nil, err
		}
		opt.OnEstimate(e)
	}
	res := &Result{Spec: spec}
	var out *outDir
	if opt.Dir != "" {
		if out, err = openDir(opt.Dir, spec, p, opt.Resume, opt.Force); err != nil {
			return nil, err
		}
		res.Generations = out.done
		for _, g := range out.done {
			res.Runs += g.Runs
			if opt.OnGeneration != nil {
				if err := opt.OnGeneration(g); err != nil {
					return res, err
				}
			}
		}
	}
	var rate float64 // runs per second, for the ETA
	for {
		prev := (*Generation)(nil)
		if len(res.Generations) > 0 {
			prev = res.Generations[len(res.Generations)-1]
		}
		if prev != nil && (prev.Index >= spec.Generations || (spec.Tolerance > 0 && prev.Tolerance <= spec.Tolerance) || prev.stop) {
			break
		}
		t0 := time.Now()
		g, err := p.generation(ctx, prev)
		if err != nil {
			return res, err
		}
		if g == nil { // acceptance too low: the previous generation is final
			if prev != nil {
				prev.stop = true
			}
			if opt.OnProgress != nil {
				opt.OnProgress(fmt.Sprintf("generation %d: acceptance below %g, stopping at generation %d", prev.Index+1, spec.MinAcceptance, prev.Index))
			}
			break
		}
		res.Generations = append(res.Generations, g)
		res.Runs += g.Runs
		if out != nil {
			if err := out.checkpoint(g); err != nil {
				return res, err
			}
		}
		if opt.OnGeneration != nil {
			if err := opt.OnGeneration(g); err != nil {
				return res, err
			}
		}
		if el := time.Since(t0).Seconds(); el > 0 {
			rate = float64(g.Runs) / el
		}
		if opt.OnProgress != nil {
			left := spec.Generations - g.Index
			eta := time.Duration(float64(left*g.Runs+spec.Draws)/max(rate, 1e-9)) * time.Second
			opt.OnProgress(fmt.Sprintf("generation %d/%d: tolerance %.3g %s, acceptance %.3f, ESS %.0f, %d runs; ETA ≤ %s",
				g.Index, spec.Generations, g.Tolerance, p.unit(), float64(g.Accepted)/float64(g.Attempts), g.ESS, res.Runs, eta.Round(time.Second)))
		}
	}
	final := res.Generations[len(res.Generations)-1]
	pred, err := p.predictive(ctx, final)
	if err != nil {
		return res, err
	}
	res.Runs += spec.Draws
	res.Summary = p.summarize(res, pred)
	res.Elapsed = time.Since(start)
	if out != nil {
		if err := out.finish(p, res, pred); err != nil {
			return res, err
		}
	}
	return res, nil
}

// generation runs one SMC generation after prev (nil: the prior sample).
// It returns nil when the acceptance rate falls below the spec's minimum.
func (p *prepared) generation(ctx context.Context, prev *Generation) (*Generation, error) {
	s := p.spec
	n, d := s.Particles, len(s.Parameters)
	idx := 0
	if prev != nil {
		idx = prev.Index + 1
	}
	g := &Generation{Index: idx, Tolerance: math.Inf(1)}
	var sd []float64
	var prevX [][]float64 // previous particles, internal coordinates
	if prev != nil {
		g.Tolerance = weightedQuantile(prev.Distances, nil, s.Quantile)
		if s.Tolerance > 0 && g.Tolerance < s.Tolerance {
			g.Tolerance = s.Tolerance
		}
		prevX = make([][]float64, n)
		for i, v := range prev.Params {
			prevX[i] = make([]float64, d)
			for k, q := range s.Parameters {
				prevX[i][k] = q.toInternal(v[k])
			}
		}
		sd = make([]float64, d)
		for k, q := range s.Parameters {
			m, v := 0.0, 0.0
			for i := range prevX {
				m += prev.Weights[i] * prevX[i][k]
			}
			for i := range prevX {
				v += prev.Weights[i] * (prevX[i][k] - m) * (prevX[i][k] - m)
			}
			lo, hi := q.bounds()
			sd[k] = math.Sqrt(2 * v)
			if !(sd[k] > 1e-9*(hi-lo)) {
				sd[k] = 1e-9 * (hi - lo)
			}
		}
	}
	maxAttempts := int(math.Ceil(float64(n) / s.MinAcceptance))
	var cum []float64
	if prev != nil {
		cum = make([]float64, n)
		acc := 0.0
		for i, w := range prev.Weights {
			acc += w
			cum[i] = acc
		}
	}
	for b := 0; len(g.Params) < n; b++ {
		if g.Attempts >= maxAttempts {
			return nil, nil
		}
		r := seed.New(seed.Mix3(s.Seed, labelProposal, uint64(idx)<<32|uint64(b)))
		pts := make([][]float64, n)
		for i := range pts {
			pts[i] = make([]float64, d)
			if prev == nil {
				for k, q := range s.Parameters {
					pts[i][k] = q.toExternal(q.sample(r))
				}
				continue
			}
			// Draw an ancestor by weight and perturb every parameter; when
			// any falls outside the prior's range, draw ancestor and
			// perturbation again (Toni et al. 2009). The proposal density
			// is then Σ_j w_j K(θ | θ_j) on the prior's support, up to one
			// constant, which is what the weights use.
			for try := 0; ; try++ {
				a := min(sort.SearchFloat64s(cum, r.Float64()*cum[n-1]), n-1)
				inside := true
				for k, q := range s.Parameters {
					lo, hi := q.bounds()
					y := prevX[a][k] + sd[k]*r.NormFloat64()
					if try == maxTries {
						y = prevX[a][k] // give up perturbing: the ancestor itself
					}
					if y < lo || y > hi {
						inside = false
					}
					pts[i][k] = q.toExternal(y)
				}
				if inside {
					break
				}
			}
		}
		out, err := p.simulate(ctx, pts, s.Replicates, seed.Mix3(s.Seed, labelRuns, uint64(idx)<<32|uint64(b)), true)
		if err != nil {
			return nil, err
		}
		g.Runs += n * s.Replicates
		for i := range pts {
			dist := p.distance(out, i, s.Replicates)
			g.Attempts++
			if dist <= g.Tolerance {
				g.Accepted++
				if len(g.Params) < n {
					g.Params = append(g.Params, pts[i])
					g.Distances = append(g.Distances, dist)
				}
			}
		}
	}
	if prev == nil {
		g.Tolerance = slices.Max(g.Distances)
	}
	// Weights: prior / Σ_j W_j K(θ | θ_j), in log space.
	g.Weights = make([]float64, n)
	if prev == nil {
		for i := range g.Weights {
			g.Weights[i] = 1 / float64(n)
		}
	} else {
		logw := make([]float64, n)
		terms := make([]float64, n)
		for i, v := range g.Params {
			lp := 0.0
			x := make([]float64, d)
			for k, q := range s.Parameters {
				x[k] = q.toInternal(v[k])
				lp += q.logPrior(x[k])
			}
			for j := range prevX {
				terms[j] = math.Log(prev.Weights[j])
				for k := range x {
					z := (x[k] - prevX[j][k]) / sd[k]
					terms[j] -= 0.5 * z * z
				}
			}
			logw[i] = lp - logSumExp(terms)
		}
		m := slices.Max(logw)
		sum := 0.0
		for i := range logw {
			g.Weights[i] = math.Exp(logw[i] - m)
			sum += g.Weights[i]
		}
		for i := range g.Weights {
			g.Weights[i] /= sum
		}
	}
	ss := 0.0
	for _, w := range g.Weights {
		ss += w * w
	}
	g.ESS = 1 / ss
	tol := g.Tolerance
	g.TolJSON = &tol
	return g, nil
}

func logSumExp(x []float64) float64 {
	m := slices.Max(x)
	if math.IsInf(m, -1) {
		return m
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// weightedQuantile returns the q-quantile of x under weights w (nil:
// equal weights): the smallest x whose cumulative weight reaches q.
func weightedQuantile(x, w []float64, q float64) float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	total := 0.0
	for i := range x {
		if w == nil {
			total++
		} else {
			total += w[i]
		}
	}
	acc := 0.0
	for _, i := range idx {
		if w == nil {
			acc++
		} else {
			acc += w[i]
		}
		if acc >= q*total-1e-12 {
			return x[i]
		}
	}
	return x[idx[len(idx)-1]]
}

// ErrNoTarget is returned by CrossValidate when the spec has fewer than
// two targets.
var ErrNoTarget = errors.New("calibrate: cross-validation needs at least two targets")

// Estimate is the expected cost of a calibration, measured before it
// starts. Each generation after the prior sample proposes batches of
// Particles until enough are accepted: Runs assumes an acceptance rate
// equal to the quantile that sets the tolerance, MaxRuns the lowest the
// spec allows (min_acceptance); both include the predictive draws. PerRun
// is a pilot run at the middle of the priors on one core (its result is
// not used) and Wall is Runs of those spread over the workers. A
// calibration that reaches its tolerance early costs less.
type Estimate struct {
	Runs    int
	MaxRuns int
	PerRun  time.Duration
	Wall    time.Duration
	Workers int
}

// estimate times one pilot run and scales it to the calibration's runs.
func (p *prepared) estimate(ctx context.Context) (Estimate, error) {
	s := p.spec
	mid := make([]float64, len(s.Parameters))
	for k, q := range s.Parameters {
		mid[k] = (q.Range[0] + q.Range[1]) / 2
	}
	w := &worker{p: p, point: -1}
	out := make([]float64, p.nOut())
	t0 := time.Now()
	if err := w.Do(ctx, abm.Task{Seed: s.Seed, Params: mid}, out); err != nil {
		return Estimate{}, fmt.Errorf("calibrate: the pilot run at the middle of the priors: %w", err)
	}
	per := time.Since(t0)
	batches := func(acceptance float64) int { return int(math.Ceil(1 / acceptance)) }
	gen := s.Particles * s.Replicates
	runs := gen*(1+s.Generations*batches(s.Quantile)) + s.Draws
	most := gen*(1+s.Generations*batches(s.MinAcceptance)) + s.Draws
	workers := max(p.workers, 1)
	return Estimate{Runs: runs, MaxRuns: most, PerRun: per, Wall: per * time.Duration(runs) / time.Duration(workers), Workers: workers}, nil
}
