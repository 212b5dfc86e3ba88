package abm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Task is one run of a sweep: replicate Replicate of design point Point.
// Runs are numbered point-major: Run = Point·Replicates + Replicate.
type Task struct {
	Run, Point, Replicate int
	Seed                  uint64    // RunSeed(master, Point, Replicate)
	Params                []float64 // the point's parameter values (read-only)
}

// Worker performs runs. Each goroutine of a sweep has its own Worker, so a
// Worker may keep a model and reuse it between runs. Do writes the run's
// outputs into out (len = the sweep's output count).
type Worker interface {
	Do(ctx context.Context, t Task, out []float64) error
}

// Sweep runs every replicate of every point of a design with a pool of
// workers and hands the results, in run order, to an emit function.
type Sweep struct {
	Design     Design
	Replicates int    // runs per point (>= 1)
	Seed       uint64 // master seed
	Outputs    int    // values per run
	// Workers is the number of goroutines (0: GOMAXPROCS).
	Workers int
	// Start is the first run to do (for resuming: runs before it are done).
	Start int
	// Keep, when set, selects the points this sweep runs (for sharding);
	// other points are skipped.
	Keep func(point int) bool
	// Encode, when set, serialises a run's result in the worker's
	// goroutine, right after Do, appending to dst; emit receives the bytes.
	// Formatting then runs in parallel and the in-order writer only copies.
	Encode func(t Task, out []float64, dst []byte) []byte
}

// Runs returns the total number of runs of the design (all points).
func (s *Sweep) Runs() int { return s.Design.Len() * s.Replicates }

// ErrBadSweep is returned for an invalid Sweep.
var ErrBadSweep = errors.New("abm: invalid sweep")

// MaxSweepWorkers is the most goroutines a Sweep runs.
const MaxSweepWorkers = 1024

// Run performs the runs from Start on. newWorker is called once per
// goroutine. emit is called from Run's goroutine, once per run, strictly in
// run order, whatever the number of workers; the slices it receives are
// reused after it returns. Memory is bounded: runs travel in chunks (up to
// 32 runs when a sweep has many), and at most 4 chunks per worker are in
// flight or waiting to be emitted. The first error (from a worker, from
// emit, or the context's) stops the sweep; runs emitted before it form a
// prefix in run order, so a sweep can be resumed with Start = the last
// emitted run + 1. enc is what Encode produced (nil without Encode). No
// goroutine outlives Run.
func (s *Sweep) Run(ctx context.Context, newWorker func() (Worker, error), emit func(t Task, out []float64, enc []byte) error) error {
	if s.Replicates < 1 || s.Design == nil || s.Outputs < 0 || s.Start < 0 {
		return fmt.Errorf("%w: need a design, replicates >= 1, outputs >= 0, start >= 0", ErrBadSweep)
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	total := s.Runs()
	// More goroutines than runs left (or than MaxSweepWorkers) would only
	// cost memory: the results are the same for any count.
	workers = min(workers, max(1, total-s.Start), MaxSweepWorkers)
	// Runs travel in chunks of up to 32 when there are many, so that short
	// runs do not pay a hand-off between goroutines each; with few runs
	// every run is its own chunk and the load stays balanced.
	chunk := min(32, max(1, (total-s.Start)/(workers*256)))
	window := 4 * workers
	d := len(s.Design.Params())
	type slot struct {
		tasks []Task
		outs  [][]float64
		encs  [][]byte
		n     int  // tasks in this chunk
		ok    int  // tasks done without error
		last  bool // no chunk follows
		err   error
		done  chan struct{}
		free  chan struct{}
	}
	slots := make([]slot, window)
	for i := range slots {
		sl := &slots[i]
		sl.tasks = make([]Task, chunk)
		sl.outs = make([][]float64, chunk)
		sl.encs = make([][]byte, chunk)
		for j := range sl.tasks {
			sl.tasks[j].Params = make([]float64, d)
			sl.outs[j] = make([]float64, s.Outputs)
		}
		sl.done, sl.free = make(chan struct{}, 1), make(chan struct{}, 1)
		sl.free <- struct{}{}
	}
	keep := func(run int) bool { return s.Keep == nil || s.Keep(run/s.Replicates) }

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup

	// Dispatcher: fills chunks of kept runs in order, each once its slot is free.
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		run := s.Start
		for k := 0; ; k++ {
			sl := &slots[k%window]
			select {
			case <-sl.free:
			case <-ctx.Done():
				return
			}
			sl.n, sl.err = 0, nil
			for ; run < total && sl.n < chunk; run++ {
				if !keep(run) {
					continue
				}
				t := &sl.tasks[sl.n]
				p := run / s.Replicates
				t.Run, t.Point, t.Replicate = run, p, run%s.Replicates
				t.Seed = RunSeed(s.Seed, p, t.Replicate)
				s.Design.Point(p, t.Params)
				sl.n++
			}
			for run < total && !keep(run) {
				run++
			}
			sl.last = run >= total
			select {
			case jobs <- k:
			case <-ctx.Done():
				return
			}
			if sl.last {
				return
			}
		}
	}()

	// Workers.
	for w := 0; w < workers; w++ {
		wk, err := newWorker()
		if err != nil {
			cancel(err)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				sl := &slots[k%window]
				sl.ok = 0
				for j := 0; j < sl.n && sl.err == nil; j++ {
					if ctx.Err() != nil {
						sl.err = context.Cause(ctx)
						break
					}
					t := &sl.tasks[j]
					if err := wk.Do(ctx, *t, sl.outs[j]); err != nil {
						sl.err = fmt.Errorf("abm: run %d (point %d, replicate %d): %w", t.Run, t.Point, t.Replicate, err)
						break
					}
					if s.Encode != nil {
						sl.encs[j] = s.Encode(*t, sl.outs[j], sl.encs[j][:0])
					}
					sl.ok++
				}
				sl.done <- struct{}{}
			}
		}()
	}

	// Emitter: this goroutine, chunk by chunk, run by run.
	var err error
	done := false
	for k := 0; err == nil; k++ {
		sl := &slots[k%window]
		select {
		case <-sl.done:
		case <-ctx.Done():
			err = context.Cause(ctx)
			continue
		}
		for j := 0; j < sl.ok && err == nil; j++ {
			err = emit(sl.tasks[j], sl.outs[j], sl.encs[j])
		}
		if err == nil && sl.err != nil {
			err = sl.err
		}
		if err != nil {
			break
		}
		if sl.last {
			done = true
			break
		}
		sl.free <- struct{}{}
	}
	cancel(err)
	wg.Wait() // the dispatcher stops on cancel and closes jobs; workers finish
	if err == nil && !done {
		err = context.Cause(ctx)
	}
	return err
}
