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
}

// Runs returns the total number of runs of the design (all points).
func (s *Sweep) Runs() int { return s.Design.Len() * s.Replicates }

// ErrBadSweep is returned for an invalid Sweep.
var ErrBadSweep = errors.New("abm: invalid sweep")

// Run performs the runs from Start on. newWorker is called once per
// goroutine. emit is called from Run's goroutine, once per run, strictly in
// run order, whatever the number of workers; the slices it receives are
// reused after it returns. Memory is bounded: at most a small window of
// runs (4 per worker) is in flight or waiting to be emitted. The first
// error (from a worker, from emit, or the context's) stops the sweep; runs
// emitted before it form a prefix in run order, so a sweep can be resumed
// from Start = the number of runs emitted. No goroutine outlives Run.
func (s *Sweep) Run(ctx context.Context, newWorker func() (Worker, error), emit func(t Task, out []float64) error) error {
	if s.Replicates < 1 || s.Design == nil || s.Outputs < 0 || s.Start < 0 {
		return fmt.Errorf("%w: need a design, replicates >= 1, outputs >= 0, start >= 0", ErrBadSweep)
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	window := 4 * workers
	d := len(s.Design.Params())
	type slot struct {
		task Task
		out  []float64
		err  error
		done chan struct{}
		free chan struct{}
	}
	slots := make([]slot, window)
	for i := range slots {
		slots[i] = slot{out: make([]float64, s.Outputs), done: make(chan struct{}, 1), free: make(chan struct{}, 1)}
		slots[i].task.Params = make([]float64, d)
		slots[i].free <- struct{}{}
	}
	total := s.Runs()
	keep := func(run int) bool { return s.Keep == nil || s.Keep(run/s.Replicates) }

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup

	// Dispatcher: hands out runs in order once their slot is free.
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		for run := s.Start; run < total; run++ {
			if !keep(run) {
				continue
			}
			sl := &slots[run%window]
			select {
			case <-sl.free:
			case <-ctx.Done():
				return
			}
			p := run / s.Replicates
			sl.task.Run, sl.task.Point, sl.task.Replicate = run, p, run%s.Replicates
			sl.task.Seed = RunSeed(s.Seed, p, sl.task.Replicate)
			s.Design.Point(p, sl.task.Params)
			select {
			case jobs <- run:
			case <-ctx.Done():
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
			for run := range jobs {
				sl := &slots[run%window]
				if ctx.Err() != nil {
					sl.err = context.Cause(ctx)
				} else {
					sl.err = wk.Do(ctx, sl.task, sl.out)
				}
				sl.done <- struct{}{}
			}
		}()
	}

	// Emitter: this goroutine, in run order.
	var err error
	for run := s.Start; run < total && err == nil; run++ {
		if !keep(run) {
			continue
		}
		sl := &slots[run%window]
		select {
		case <-sl.done:
		case <-ctx.Done():
			err = context.Cause(ctx)
			continue
		}
		if sl.err != nil {
			err = fmt.Errorf("abm: run %d (point %d, replicate %d): %w", run, sl.task.Point, sl.task.Replicate, sl.err)
			continue
		}
		if e := emit(sl.task, sl.out); e != nil {
			err = e
			continue
		}
		sl.free <- struct{}{}
	}
	cancel(err)
	wg.Wait() // the dispatcher stops on cancel and closes jobs; workers finish
	if err == nil {
		err = ctx.Err()
		if errors.Is(err, context.Canceled) && context.Cause(ctx) == context.Canceled {
			err = nil // our own cancel(nil) after success
		}
	}
	return err
}
