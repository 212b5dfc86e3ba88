package sweep

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/internal/seed"
	"github.com/turncoat-abm/turncoat/regime"
)

// Files of a sweep directory.
const (
	ManifestFile    = "manifest.json"
	SpecFile        = "sweep.yaml"
	ScenarioFile    = "scenario.yaml"
	RunsFile        = "runs.csv"
	RunsJSONFile    = "runs.jsonl"
	PointsFile      = "points.csv"
	SensitivityFile = "sensitivity.csv"
)

// Shard selects a deterministic 1/N of a sweep: the points p with
// p mod N == I. The zero Shard is the whole sweep.
type Shard struct{ I, N int }

// ParseShard parses "i/n" (0 <= i < n).
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("sweep: shard must be i/n with 0 <= i < n, got %q", s)
	}
	return Shard{I: i, N: n}, nil
}

func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

func (s Shard) keeps(point int) bool { return s.N == 0 || point%s.N == s.I }

// Row is one run's result.
type Row struct {
	Run, Point, Replicate int
	Seed                  uint64
	Params                []float64 // in Spec.Parameters order
	Outputs               []float64 // in Spec.OutputList() order; NaN = missing
}

// PointStats summarises the replicates of one point.
type PointStats struct {
	Point  int
	Params []float64
	Runs   int
	Stats  []abm.Summary // per output
}

// Progress receives progress reports (a bar on a terminal, log lines
// elsewhere). Calls come from the sweep's goroutine.
type Progress interface {
	Start(total, done int)
	Add(n int)
	Finish()
}

// Options control a sweep run.
type Options struct {
	// Dir is the output directory; empty writes no files (use OnRow).
	Dir string
	// Workers overrides Spec.Workers (0: keep; both 0: all cores).
	Workers int
	// Resume continues the sweep in Dir, which must hold a manifest with
	// the same spec hash and shard.
	Resume bool
	// Force lets a fresh sweep replace the sweep files of a non-empty Dir
	// (without it, a non-empty Dir is refused with ErrExists).
	Force bool
	// Shard restricts the sweep to a deterministic subset of points.
	Shard Shard
	// OnRow, when set, receives each run's row in run order. The row's
	// slices are reused after OnRow returns: copy what you keep.
	OnRow func(Row) error
	// OnPoint, when set, receives each point's statistics in point order
	// (the PointStats are the caller's to keep).
	OnPoint func(PointStats) error
	// MemoryCheck, when set, is called with the estimated memory the sweep
	// needs before it starts; an error stops the sweep (the CLI compares
	// with the machine's available memory).
	MemoryCheck func(bytes uint64) error
	// Progress, when set, is told of progress.
	Progress Progress
	// Setup, when set, is called on every model the sweep builds (one per
	// worker and point) before it runs, to install Go extensions:
	// Model.SetDecider, SetPolicy, SetObserver. Give each model its own
	// stateful policy or observer; a Decider is shared by the workers'
	// models and must be safe for concurrent use. The spec hash does not
	// cover Setup: resume a sweep only with the same Setup.
	Setup func(point int, m *regime.Model) error
}

// Manifest describes a sweep directory; --resume and merge check it.
type Manifest struct {
	Version     string   `json:"version"`
	Name        string   `json:"name"`
	SpecHash    string   `json:"spec_sha256"`
	Sampler     string   `json:"sampler"`
	Parameters  []string `json:"parameters"`
	Outputs     []string `json:"outputs"`
	Probability []bool   `json:"probability_outputs"`
	Points      int      `json:"points"`
	Replicates  int      `json:"replicates"`
	Runs        int      `json:"runs"`
	Seed        uint64   `json:"seed"`
	Bootstrap   int      `json:"bootstrap"`
	Shard       string   `json:"shard"`
	ShardPoints int      `json:"shard_points"`
	ShardRuns   int      `json:"shard_runs"`
	// FirstRun and LastRun bound the runs of the shard (-1 when it has
	// none); between them it holds the runs of its points only.
	FirstRun     int    `json:"first_run"`
	LastRun      int    `json:"last_run"`
	Complete     bool   `json:"complete"`
	ScenarioName string `json:"scenario"`
	// SHA256 maps each file of a complete sweep directory to the
	// SHA-256 of its bytes; merge checks the shards' runs.csv against it.
	SHA256 map[string]string `json:"sha256,omitempty"`
}

// Result reports what a call to Run did.
type Result struct {
	Manifest Manifest
	Done     int // runs done by this call
	Skipped  int // runs already done (resume)
	Elapsed  time.Duration
}

// ErrExists is returned when the output directory holds files and Resume
// is not set.
var ErrExists = errors.New("sweep: output directory is not empty")

// Run performs the sweep. Rows stream to runs.csv and runs.jsonl in run
// order (memory stays bounded whatever the number of runs); per-point
// statistics go to points.csv and, for the sobol sampler, Sobol indices to
// sensitivity.csv. The outputs are identical whatever the number of
// workers, and after an interruption Run with Resume finishes the sweep
// with byte-identical files. Cancelling ctx stops it cleanly (resumable).
func Run(ctx context.Context, spec *Spec, opt Options) (*Result, error) {
	start := time.Now()
	p, err := prepare(spec)
	if err != nil {
		return nil, err
	}
	p.setup = opt.Setup
	maxRun, err := p.check(ctx, opt.Shard)
	if err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers == 0 {
		workers = spec.Workers
	}
	if opt.MemoryCheck != nil {
		if err := opt.MemoryCheck(p.memory(maxRun, workers)); err != nil {
			return nil, err
		}
	}
	man := p.manifest(opt.Shard)
	if opt.Dir != "" && !opt.Resume {
		if err := checkDisk(opt.Dir, DiskEstimate(man)); err != nil {
			return nil, err
		}
	}
	st := &state{p: p, opt: opt}
	st.initAgg()
	startRun := 0
	if opt.Dir != "" {
		defer st.close()
		if startRun, err = st.openDir(man); err != nil {
			return nil, err
		}
	}
	res := &Result{Manifest: man, Skipped: st.replayed}
	if opt.Progress != nil {
		opt.Progress.Start(man.ShardRuns, st.replayed)
		defer opt.Progress.Finish()
	}
	sw := &abm.Sweep{Design: p.design, Replicates: spec.Replicates, Seed: spec.Seed, Outputs: len(p.outs),
		Workers: workers, Start: startRun, Keep: opt.Shard.keeps}
	if opt.Dir != "" {
		// Workers format the runs.csv and runs.jsonl lines in parallel.
		sw.Encode = func(t abm.Task, out []float64, dst []byte) []byte {
			r := Row{Run: t.Run, Point: t.Point, Replicate: t.Replicate, Seed: t.Seed, Params: t.Params, Outputs: out}
			return st.jsonRow(st.csvRow(dst, r), r)
		}
	}
	err = sw.Run(ctx, p.newWorker, func(t abm.Task, out []float64, enc []byte) error {
		res.Done++
		if opt.Progress != nil {
			opt.Progress.Add(1)
		}
		return st.row(Row{Run: t.Run, Point: t.Point, Replicate: t.Replicate, Seed: t.Seed, Params: t.Params, Outputs: out}, enc)
	})
	res.Elapsed = time.Since(start)
	if err != nil {
		if ferr := st.flush(true); ferr != nil {
			err = errors.Join(err, ferr)
		}
		return res, err
	}
	if err := st.finish(&man); err != nil {
		return res, err
	}
	res.Manifest = man
	return res, nil
}

// prepared is a validated sweep ready to run.
type prepared struct {
	spec   *Spec
	base   regime.Config
	design abm.Design
	outs   []output
	names  []string // parameter names
	hash   string
	setup  func(point int, m *regime.Model) error // Options.Setup
}

func prepare(spec *Spec) (*prepared, error) {
	base, err := spec.Base()
	if err != nil {
		return nil, err
	}
	design, err := spec.Design()
	if err != nil {
		return nil, err
	}
	hash, err := spec.Hash()
	if err != nil {
		return nil, err
	}
	p := &prepared{spec: spec, base: base, design: design, hash: hash}
	for _, o := range spec.OutputList() {
		os, _ := outputSpec(o)
		p.outs = append(p.outs, os)
	}
	for _, q := range spec.Parameters {
		p.names = append(p.names, q.Name)
	}
	return p, nil
}

func (p *prepared) manifest(sh Shard) Manifest {
	m := Manifest{Version: regime.Version, Name: p.spec.Name, SpecHash: p.hash, Sampler: p.spec.Sampler, Parameters: p.names,
		Points: p.design.Len(), Replicates: p.spec.Replicates, Runs: p.design.Len() * p.spec.Replicates, Seed: p.spec.Seed,
		Bootstrap: p.spec.Bootstrap, Shard: sh.String(), ScenarioName: p.base.Name}
	for _, o := range p.outs {
		m.Outputs = append(m.Outputs, o.name)
		m.Probability = append(m.Probability, o.prob)
	}
	m.FirstRun, m.LastRun = -1, -1
	for pt := 0; pt < m.Points; pt++ {
		if sh.keeps(pt) {
			m.ShardPoints++
			m.ShardRuns += m.Replicates
			if m.FirstRun < 0 {
				m.FirstRun = pt * m.Replicates
			}
			m.LastRun = (pt+1)*m.Replicates - 1
		}
	}
	return m
}

// worker runs one scenario model, rebuilt when the point changes.
type worker struct {
	p     *prepared
	point int
	model *regime.Model
}

func (p *prepared) newWorker() (abm.Worker, error) { return &worker{p: p, point: -1}, nil }

func (w *worker) Do(ctx context.Context, t abm.Task, out []float64) error {
	if t.Point != w.point {
		cfg := w.p.base.Clone()
		for k, name := range w.p.names {
			if err := setField(&cfg, name, t.Params[k]); err != nil {
				return err
			}
		}
		m, err := regime.New(cfg)
		if err != nil {
			return fmt.Errorf("point %d: %w", t.Point, err)
		}
		if w.p.setup != nil {
			if err := w.p.setup(t.Point, m); err != nil {
				return fmt.Errorf("point %d: setup: %w", t.Point, err)
			}
		}
		w.model, w.point = m, t.Point
	}
	res, err := w.model.RunShared(ctx, t.Seed)
	if err != nil {
		return err
	}
	for i, o := range w.p.outs {
		out[i] = o.get(res)
	}
	return nil
}

// state holds the open files and the streaming aggregation.
type state struct {
	p       *prepared
	opt     Options
	runs    *os.File
	runsW   *bufio.Writer
	jsonl   *os.File
	jsonlW  *bufio.Writer
	points  *abm.AtomicFile
	pointsW *bufio.Writer
	// SHA-256 of runs.csv, runs.jsonl and points.csv as they are written
	// (after a resume, runs.csv's and runs.jsonl's kept prefix first).
	runsH, jsonlH, pointsH hash.Hash
	agg                    aggregator
	replayed               int
	replay                 bool // rebuilding from runs.csv: no callbacks
	flushed                time.Time
	buf                    []byte
	keys                   []string // JSON-quoted parameter names
	okeys                  []string // JSON-quoted output names
	unlock                 func()   // drops the directory's lock (see lockDir)
}

// neverStarted reports whether dir holds what a sweep writes before its
// manifest (its spec and scenario files, at least one of them) and nothing
// else: a sweep killed before it began.
func neverStarted(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return false
	}
	for _, e := range entries {
		if n := e.Name(); e.IsDir() || n != SpecFile && n != ScenarioFile {
			return false
		}
	}
	return true
}

// openDir prepares Dir (fresh or resumed) and returns the first run to do.
func (st *state) openDir(man Manifest) (int, error) {
	dir := st.opt.Dir
	// Lock first: another process may be writing this directory, and
	// neither its temporary files nor its run files may be touched
	// before we own it.
	unlock, err := lockDir(dir)
	if err != nil {
		return 0, err
	}
	st.unlock = unlock
	abm.CleanTemps(dir) // left by a killed earlier process
	fresh := !st.opt.Resume
	if neverStarted(dir) {
		// Killed before it wrote its manifest: no run was done, so there
		// is nothing to keep or resume; start again (with --resume too).
		for _, f := range []string{SpecFile, ScenarioFile} {
			if err := os.Remove(filepath.Join(dir, f)); err != nil && !os.IsNotExist(err) {
				return 0, fmt.Errorf("sweep: %w", err)
			}
		}
		fresh = true
	}
	if fresh {
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			if !st.opt.Force {
				return 0, fmt.Errorf("%w: %s (use --resume to finish the sweep there, --force to start it again, or another --out)", ErrExists, dir)
			}
			for _, f := range []string{ManifestFile, SpecFile, ScenarioFile, RunsFile, RunsJSONFile, PointsFile, SensitivityFile} {
				if err := os.Remove(filepath.Join(dir, f)); err != nil && !os.IsNotExist(err) {
					return 0, fmt.Errorf("sweep: %w", err)
				}
			}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return 0, fmt.Errorf("sweep: %w", err)
		}
		specData, err := yamlSpec(st.p.spec)
		if err != nil {
			return 0, err
		}
		scen, err := st.p.base.YAML()
		if err != nil {
			return 0, err
		}
		if err := errors.Join(abm.WriteFileAtomic(filepath.Join(dir, SpecFile), specData),
			abm.WriteFileAtomic(filepath.Join(dir, ScenarioFile), scen), writeManifest(dir, man)); err != nil {
			return 0, err
		}
		if err := st.openRuns(0, 0); err != nil {
			return 0, err
		}
		if err := st.writeHeaders(); err != nil {
			return 0, err
		}
		return 0, st.openPoints()
	}
	old, err := ReadManifest(dir)
	if err != nil {
		return 0, fmt.Errorf("sweep: cannot resume %s: %w", dir, err)
	}
	if old.SpecHash != man.SpecHash {
		return 0, fmt.Errorf("sweep: cannot resume %s: the sweep spec or its scenario changed since it started (spec hash %.12s…, now %.12s…); start a new sweep in another directory", dir, old.SpecHash, man.SpecHash)
	}
	if old.Shard != man.Shard {
		return 0, fmt.Errorf("sweep: cannot resume %s: it holds shard %q, not %q", dir, old.Shard, man.Shard)
	}
	if err := st.openPoints(); err != nil {
		return 0, err
	}
	next, err := st.replayRuns()
	if err != nil {
		return 0, err
	}
	return next, nil
}

func (st *state) initAgg() {
	st.agg = aggregator{p: st.p, vals: make([][]float64, len(st.p.outs))}
	if st.p.spec.Sampler == "sobol" && st.opt.Shard.N == 0 {
		st.agg.means = make([][]float64, len(st.p.outs))
		for i := range st.agg.means {
			st.agg.means[i] = make([]float64, st.p.design.Len())
			for j := range st.agg.means[i] {
				st.agg.means[i][j] = math.NaN()
			}
		}
	}
	for _, n := range st.p.names {
		b, _ := json.Marshal(n)
		st.keys = append(st.keys, string(b))
	}
	for _, o := range st.p.outs {
		b, _ := json.Marshal(o.name)
		st.okeys = append(st.okeys, string(b))
	}
}

// openRuns opens the run logs for appending after truncating them to the
// given sizes.
func (st *state) openRuns(csvSize, jsonSize int64) error {
	// Open both before truncating either, so that a file that cannot be
	// opened never costs the other its rows.
	runs, err := os.OpenFile(filepath.Join(st.opt.Dir, RunsFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	jsonl, err := os.OpenFile(filepath.Join(st.opt.Dir, RunsJSONFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		runs.Close()
		return fmt.Errorf("sweep: %w", err)
	}
	st.runs, st.jsonl = runs, jsonl
	if err := truncateAt(runs, csvSize); err != nil {
		return err
	}
	if err := truncateAt(jsonl, jsonSize); err != nil {
		return err
	}
	if st.runsH == nil {
		st.runsH, st.jsonlH = sha256.New(), sha256.New()
	}
	st.runsW = bufio.NewWriterSize(io.MultiWriter(st.runs, st.runsH), 1<<16)
	st.jsonlW = bufio.NewWriterSize(io.MultiWriter(st.jsonl, st.jsonlH), 1<<16)
	st.flushed = time.Now()
	return nil
}

// truncateAt cuts f to size bytes and positions it there for appending.
func truncateAt(f *os.File, size int64) error {
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if _, err := f.Seek(size, io.SeekStart); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}

func (st *state) openPoints() error {
	f, err := abm.CreateAtomic(filepath.Join(st.opt.Dir, PointsFile))
	if err != nil {
		return err
	}
	st.pointsH = sha256.New()
	st.points, st.pointsW = f, bufio.NewWriterSize(io.MultiWriter(f, st.pointsH), 1<<16)
	_, err = st.pointsW.Write(st.agg.header())
	return err
}

func (st *state) writeHeaders() error {
	_, err := st.runsW.Write(st.header())
	return err
}

// header returns the first line of runs.csv.
func (st *state) header() []byte {
	var b []byte
	b = append(b, "run,point,replicate,seed"...)
	for _, n := range st.p.names {
		b = append(b, ',')
		b = append(b, abm.CSVField(n)...)
	}
	for _, o := range st.p.outs {
		b = append(b, ',')
		b = append(b, abm.CSVField(o.name)...)
	}
	return append(b, '\n')
}

// firstRunFrom returns the first run at or after r that belongs to the
// shard (runs of a point are consecutive; shard I of N holds the points
// ≡ I mod N).
func (st *state) firstRunFrom(r int) int {
	sh, reps := st.opt.Shard, st.p.spec.Replicates
	if sh.N == 0 || sh.keeps(r/reps) {
		return r
	}
	p := r / reps
	p += ((sh.I-p%sh.N)%sh.N + sh.N) % sh.N
	return p * reps
}

// checkReplayed checks that a kept row of runs.csv (and its runs.jsonl
// line) is exactly the row this sweep writes for run want: the run
// number, point, replicate, seed and parameter values all follow from
// the design, and both lines re-encode byte for byte. Resume is as strict
// as merge: an edited, duplicated, misnumbered or foreign row is refused.
func (st *state) checkReplayed(row Row, want int, csvLine, jsonLine []byte) error {
	reps := st.p.spec.Replicates
	if row.Run != want {
		return fmt.Errorf("holds run %d where run %d belongs (a duplicate, missing or foreign row)", row.Run, want)
	}
	if row.Point != want/reps || row.Replicate != want%reps {
		return fmt.Errorf("run %d is point %d replicate %d, not point %d replicate %d", want, want/reps, want%reps, row.Point, row.Replicate)
	}
	if want/reps >= st.p.design.Len() {
		return fmt.Errorf("run %d is beyond the sweep's %d runs", want, st.p.design.Len()*reps)
	}
	if s := abm.RunSeed(st.p.spec.Seed, row.Point, row.Replicate); row.Seed != s {
		return fmt.Errorf("run %d has seed %d, this sweep's is %d", want, row.Seed, s)
	}
	vals := make([]float64, len(st.p.names))
	st.p.design.Point(row.Point, vals)
	for i, v := range vals {
		if math.Float64bits(v) != math.Float64bits(row.Params[i]) {
			return fmt.Errorf("run %d has %s=%g, the design's point %d has %g", want, st.p.names[i], row.Params[i], row.Point, v)
		}
	}
	if !bytes.Equal(st.csvRow(nil, row), csvLine) {
		return errors.New("the row is not as this sweep writes it (edited or damaged)")
	}
	if !bytes.Equal(st.jsonRow(nil, row), jsonLine) {
		return fmt.Errorf("%s does not hold the same run %d (edited or damaged)", RunsJSONFile, want)
	}
	return nil
}

// replay reads the complete rows of runs.csv (and the same number of lines
// of runs.jsonl), rebuilds the aggregation, truncates both logs after the
// last complete row and returns the next run to do.
func (st *state) replayRuns() (int, error) {
	dir := st.opt.Dir
	csvData, err := os.ReadFile(filepath.Join(dir, RunsFile))
	if err != nil && !os.IsNotExist(err) { // missing: killed before the first row
		return 0, fmt.Errorf("sweep: cannot resume: %w", err)
	}
	jsonData, err := os.ReadFile(filepath.Join(dir, RunsJSONFile))
	if err != nil && !os.IsNotExist(err) {
		return 0, fmt.Errorf("sweep: cannot resume: %w", err)
	}
	hdrEnd := bytes.IndexByte(csvData, '\n')
	if hdrEnd < 0 {
		// Not even a header: start the logs afresh.
		if err := st.openRuns(0, 0); err != nil {
			return 0, err
		}
		return 0, st.writeHeaders()
	}
	if hdr := st.header(); !bytes.Equal(csvData[:hdrEnd+1], hdr) {
		return 0, fmt.Errorf("sweep: cannot resume: %s line 1: the header is not this sweep's (want %q)", filepath.Join(dir, RunsFile), strings.TrimSuffix(string(hdr), "\n"))
	}
	jsonLines := bytes.Count(jsonData, []byte{'\n'})
	csvOff, jsonOff := int64(hdrEnd+1), int64(0)
	next := st.firstRunFrom(0)
	rest := csvData[hdrEnd+1:]
	st.replay = true
	defer func() { st.replay = false }()
	for n := 0; n < jsonLines; n++ {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		row, err := st.parseRow(string(rest[:i]))
		if err != nil {
			return 0, fmt.Errorf("sweep: cannot resume: %s line %d: %w", filepath.Join(dir, RunsFile), n+2, err)
		}
		jEnd := jsonOff + int64(bytes.IndexByte(jsonData[jsonOff:], '\n')+1)
		if err := st.checkReplayed(row, next, rest[:i+1], jsonData[jsonOff:jEnd]); err != nil {
			return 0, fmt.Errorf("sweep: cannot resume: %s line %d: %w; start the sweep again with --force or in another directory", filepath.Join(dir, RunsFile), n+2, err)
		}
		if err := st.agg.add(row, st); err != nil {
			return 0, err
		}
		csvOff += int64(i + 1)
		jsonOff = jEnd
		rest = rest[i+1:]
		next = st.firstRunFrom(row.Run + 1)
		st.replayed++
	}
	st.runsH, st.jsonlH = sha256.New(), sha256.New()
	st.runsH.Write(csvData[:csvOff])
	st.jsonlH.Write(jsonData[:jsonOff])
	if err := st.openRuns(csvOff, jsonOff); err != nil {
		return 0, err
	}
	return next, nil
}

// parseRow parses a runs.csv line.
func (st *state) parseRow(line string) (Row, error) {
	f := strings.Split(line, ",")
	np, no := len(st.p.names), len(st.p.outs)
	if len(f) != 4+np+no {
		return Row{}, fmt.Errorf("want %d fields, got %d", 4+np+no, len(f))
	}
	var r Row
	var err error
	ints := []*int{&r.Run, &r.Point, &r.Replicate}
	for i, p := range ints {
		if *p, err = strconv.Atoi(f[i]); err != nil {
			return r, err
		}
	}
	if r.Seed, err = strconv.ParseUint(f[3], 10, 64); err != nil {
		return r, err
	}
	r.Params = make([]float64, np)
	r.Outputs = make([]float64, no)
	for i := range r.Params {
		if r.Params[i], err = strconv.ParseFloat(f[4+i], 64); err != nil {
			return r, err
		}
	}
	for i := range r.Outputs {
		r.Outputs[i] = math.NaN()
		if s := f[4+np+i]; s != "" {
			if r.Outputs[i], err = strconv.ParseFloat(s, 64); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// row records one run; enc holds its runs.csv line followed by its
// runs.jsonl line (encoded here when nil).
func (st *state) row(r Row, enc []byte) error {
	if st.opt.OnRow != nil {
		if err := st.opt.OnRow(r); err != nil {
			return err
		}
	}
	if st.runsW != nil {
		if enc == nil {
			enc = st.jsonRow(st.csvRow(st.buf[:0], r), r)
			st.buf = enc
		}
		i := bytes.IndexByte(enc, '\n') + 1
		if _, err := st.runsW.Write(enc[:i]); err != nil {
			return err
		}
		if _, err := st.jsonlW.Write(enc[i:]); err != nil {
			return err
		}
	}
	if err := st.agg.add(r, st); err != nil {
		return err
	}
	if st.runsW != nil && time.Since(st.flushed) > time.Second {
		return st.flush(false)
	}
	return nil
}

// csvRow appends r's runs.csv line to b. It is safe for concurrent use.
func (st *state) csvRow(b []byte, r Row) []byte {
	b = strconv.AppendInt(b, int64(r.Run), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Point), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Replicate), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, r.Seed, 10)
	for _, v := range r.Params {
		b = append(b, ',')
		b = abm.AppendFloat(b, v)
	}
	for _, v := range r.Outputs {
		b = append(b, ',')
		b = abm.AppendFloat(b, v)
	}
	return append(b, '\n')
}

// jsonRow appends r's runs.jsonl line to b. It is safe for concurrent use.
func (st *state) jsonRow(b []byte, r Row) []byte {
	b = append(b, `{"run":`...)
	b = strconv.AppendInt(b, int64(r.Run), 10)
	b = append(b, `,"point":`...)
	b = strconv.AppendInt(b, int64(r.Point), 10)
	b = append(b, `,"replicate":`...)
	b = strconv.AppendInt(b, int64(r.Replicate), 10)
	b = append(b, `,"seed":`...)
	b = strconv.AppendUint(b, r.Seed, 10)
	b = append(b, `,"params":`...)
	b = appendObject(b, st.keys, r.Params)
	b = append(b, `,"outputs":`...)
	b = appendObject(b, st.okeys, r.Outputs)
	return append(b, "}\n"...)
}

// appendObject appends the JSON object {keys[i]: vals[i]} (keys already
// quoted; NaN as null).
func appendObject(b []byte, keys []string, vals []float64) []byte {
	b = append(b, '{')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, keys[i]...)
		b = append(b, ':')
		b = appendJSON(b, v)
	}
	return append(b, '}')
}

func appendJSON(b []byte, v float64) []byte {
	if !isFinite(v) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// flush writes buffered rows; with sync it also fsyncs them.
func (st *state) flush(sync bool) error {
	if st.runsW == nil {
		return nil
	}
	err := errors.Join(st.runsW.Flush(), st.jsonlW.Flush())
	if sync {
		err = errors.Join(err, st.runs.Sync(), st.jsonl.Sync())
	}
	st.flushed = time.Now()
	return err
}

// close flushes and closes the logs and drops an uncommitted points file.
// It may be called more than once.
func (st *state) close() {
	if st.runs != nil {
		st.flush(true)
		st.runs.Close()
		st.jsonl.Close()
		st.runs, st.jsonl, st.runsW, st.jsonlW = nil, nil, nil, nil
	}
	if st.points != nil {
		st.points.Abort()
	}
	if st.unlock != nil {
		st.unlock()
		st.unlock = nil
	}
}

// finish completes the files of a finished sweep.
func (st *state) finish(man *Manifest) error {
	if st.opt.Dir == "" {
		return nil
	}
	if err := st.flush(true); err != nil {
		return err
	}
	if err := st.pointsW.Flush(); err != nil {
		return err
	}
	if err := st.points.Commit(); err != nil {
		return err
	}
	sums := map[string]string{RunsFile: hexSum(st.runsH), RunsJSONFile: hexSum(st.jsonlH), PointsFile: hexSum(st.pointsH)}
	if st.agg.means != nil {
		b := st.agg.sensitivity()
		if err := abm.WriteFileAtomic(filepath.Join(st.opt.Dir, SensitivityFile), b); err != nil {
			return err
		}
		sums[SensitivityFile] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	for _, f := range []string{SpecFile, ScenarioFile} {
		b, err := os.ReadFile(filepath.Join(st.opt.Dir, f))
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		sums[f] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	man.SHA256 = sums
	man.Complete = true
	return writeManifest(st.opt.Dir, *man)
}

func hexSum(h hash.Hash) string { return fmt.Sprintf("%x", h.Sum(nil)) }

func writeManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return abm.WriteFileAtomic(filepath.Join(dir, ManifestFile), append(b, '\n'))
}

// ReadManifest reads the manifest of a sweep directory.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	return m, nil
}

// aggregator turns rows into per-point statistics as points complete.
type aggregator struct {
	p     *prepared
	point int
	n     int
	vals  [][]float64 // per output, this point's values
	par   []float64
	means [][]float64 // sobol: per output, per point mean
}

func (a *aggregator) header() []byte {
	b := []byte("point")
	for _, n := range a.p.names {
		b = append(b, ',')
		b = append(b, abm.CSVField(n)...)
	}
	b = append(b, ",runs"...)
	for _, o := range a.p.outs {
		for _, s := range []string{"n", "mean", "sd", "ci_lo", "ci_hi", "p05", "p50", "p95"} {
			b = append(b, ',')
			b = append(b, abm.CSVField(o.name+"_"+s)...)
		}
	}
	return append(b, '\n')
}

func (a *aggregator) add(r Row, st *state) error {
	if a.n > 0 && r.Point != a.point {
		return fmt.Errorf("sweep: internal: point %d incomplete when point %d started", a.point, r.Point)
	}
	a.point = r.Point
	a.par = append(a.par[:0], r.Params...)
	for i, v := range r.Outputs {
		a.vals[i] = append(a.vals[i], v)
	}
	a.n++
	if a.n < a.p.spec.Replicates {
		return nil
	}
	ps := PointStats{Point: a.point, Params: slices.Clone(a.par), Runs: a.n, Stats: make([]abm.Summary, len(a.vals))}
	for i, o := range a.p.outs {
		ps.Stats[i] = abm.Describe(a.vals[i], o.prob)
		if a.means != nil {
			a.means[i][a.point] = ps.Stats[i].Mean
		}
		a.vals[i] = a.vals[i][:0]
	}
	a.n = 0
	if st.opt.OnPoint != nil && !st.replay {
		if err := st.opt.OnPoint(ps); err != nil {
			return err
		}
	}
	if st.pointsW != nil {
		b := strconv.AppendInt(st.buf[:0], int64(ps.Point), 10)
		for _, v := range ps.Params {
			b = append(b, ',')
			b = abm.AppendFloat(b, v)
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(ps.Runs), 10)
		for _, s := range ps.Stats {
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(s.N), 10)
			for _, v := range []float64{s.Mean, s.SD, s.Lo, s.Hi, s.Q[0], s.Q[1], s.Q[2]} {
				b = append(b, ',')
				b = abm.AppendFloat(b, v)
			}
		}
		b = append(b, '\n')
		st.buf = b
		if _, err := st.pointsW.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// sensitivity computes sensitivity.csv from the per-point means.
func (a *aggregator) sensitivity() []byte {
	b := []byte("output,parameter,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi\n")
	d := len(a.p.names)
	r := rand.New(rand.NewPCG(seed.PCG(seed.Mix(a.p.spec.Seed, seed.Label("bootstrap")))))
	for i, o := range a.p.outs {
		idx := abm.SobolIndices(a.means[i], d, a.p.spec.Bootstrap, r)
		for k, s := range idx {
			b = append(b, abm.CSVField(o.name)...)
			b = append(b, ',')
			b = append(b, abm.CSVField(a.p.names[k])...)
			for _, v := range []float64{s.S1, s.S1Lo, s.S1Hi, s.ST, s.STLo, s.STHi} {
				b = append(b, ',')
				b = abm.AppendFloat(b, v)
			}
			b = append(b, '\n')
		}
	}
	return b
}

// DiskEstimate returns about how many bytes the files of a sweep (or
// shard) with manifest m take: runs.csv and runs.jsonl at up to 24
// bytes a number plus the JSON keys, and points.csv.
func DiskEstimate(m Manifest) uint64 {
	nums := uint64(4 + len(m.Parameters) + len(m.Outputs))
	keys := uint64(60)
	for _, n := range m.Parameters {
		keys += uint64(len(n)) + 4
	}
	for _, n := range m.Outputs {
		keys += uint64(len(n)) + 4
	}
	perRun := nums*24*2 + keys
	perPoint := uint64(len(m.Parameters)+4*len(m.Outputs)) * 24
	return addSat(addSat(mulSat(uint64(max(m.ShardRuns, 0)), perRun), mulSat(uint64(max(m.ShardPoints, 0)), perPoint)), 1<<16)
}

// ErrDiskTooSmall is returned when a sweep's files would not fit on the
// disk of its directory.
var ErrDiskTooSmall = errors.New("sweep: not enough disk space")

// minDiskCheck is the smallest estimate checkDisk refuses: 1 GiB.
const minDiskCheck = 1 << 30

// checkDisk refuses a sweep whose estimated files exceed the space free
// on dir's file system (or its nearest existing ancestor's).
func checkDisk(dir string, need uint64) error {
	d := filepath.Clean(dir)
	for {
		if free, ok := freeBytes(d); ok {
			// Small sweeps that run out of space stop resumably (the
			// error prints the --resume command); the up-front check is
			// for the hopeless ones.
			if need > free && need >= minDiskCheck {
				return fmt.Errorf("%w: its files need about %.3g GB, %s has %.3g GB free: use fewer runs or another --out", ErrDiskTooSmall, float64(need)/1e9, d, float64(free)/1e9)
			}
			return nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil
		}
		d = parent
	}
}
