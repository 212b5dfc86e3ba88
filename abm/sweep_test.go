package abm_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/abm"
)

// walker runs the toy random walk for a few ticks with the task's seed and
// reports its final position and the first parameter.
type walker struct{ jitter bool }

func (w walker) Do(ctx context.Context, t abm.Task, out []float64) error {
	if w.jitter { // scramble completion order
		time.Sleep(time.Duration(t.Seed%300) * time.Microsecond)
	}
	m := &counter{}
	if _, err := abm.Run(ctx, m, abm.Config{Ticks: 10, Seed: t.Seed}); err != nil {
		return err
	}
	out[0], out[1] = m.x, t.Params[0]
	return nil
}

func sweep(t *testing.T, workers int) *abm.Sweep {
	g, err := abm.NewGrid([]abm.Param{{Name: "a", Values: []float64{1, 2, 3, 4, 5}}, {Name: "b", Min: 0, Max: 1, Steps: 4}})
	require.NoError(t, err)
	return &abm.Sweep{Design: g, Replicates: 3, Seed: 42, Outputs: 2, Workers: workers}
}

func collect(t *testing.T, s *abm.Sweep, ctx context.Context) ([]string, error) {
	var rows []string
	err := s.Run(ctx, func() (abm.Worker, error) { return walker{jitter: true}, nil }, func(tk abm.Task, out []float64, _ []byte) error {
		rows = append(rows, fmt.Sprintf("%d,%d,%d,%d,%v,%v", tk.Run, tk.Point, tk.Replicate, tk.Seed, tk.Params, out))
		return nil
	})
	return rows, err
}

func TestSweepOrderAndDeterminismAcrossWorkers(t *testing.T) {
	ref, err := collect(t, sweep(t, 1), context.Background())
	require.NoError(t, err)
	require.Len(t, ref, 60)
	for _, w := range []int{2, 3, 8} {
		got, err := collect(t, sweep(t, w), context.Background())
		require.NoError(t, err)
		assert.Equal(t, ref, got, "%d workers", w)
	}
}

func TestSweepStartAndKeep(t *testing.T) {
	ref, _ := collect(t, sweep(t, 2), context.Background())
	s := sweep(t, 4)
	s.Start = 25
	tail, err := collect(t, s, context.Background())
	require.NoError(t, err)
	assert.Equal(t, ref[25:], tail, "resuming at run 25 gives the remaining rows")

	var merged []string
	for shard := 0; shard < 3; shard++ {
		s := sweep(t, 2)
		s.Keep = func(p int) bool { return p%3 == shard }
		rows, err := collect(t, s, context.Background())
		require.NoError(t, err)
		merged = append(merged, rows...)
	}
	assert.ElementsMatch(t, ref, merged, "three shards cover every run once")
}

func TestSweepCancelLeavesPrefix(t *testing.T) {
	ref, _ := collect(t, sweep(t, 1), context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	s := sweep(t, 4)
	var rows []string
	err := s.Run(ctx, func() (abm.Worker, error) { return walker{jitter: true}, nil }, func(tk abm.Task, out []float64, _ []byte) error {
		rows = append(rows, fmt.Sprintf("%d,%d,%d,%d,%v,%v", tk.Run, tk.Point, tk.Replicate, tk.Seed, tk.Params, out))
		if len(rows) == 17 {
			cancel()
		}
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, ref[:len(rows)], rows, "what was emitted is a prefix in run order")
}

type failing struct{}

func (failing) Do(_ context.Context, t abm.Task, _ []float64) error {
	if t.Run == 7 {
		return errors.New("boom")
	}
	return nil
}

func TestSweepWorkerError(t *testing.T) {
	s := sweep(t, 3)
	n := 0
	err := s.Run(context.Background(), func() (abm.Worker, error) { return failing{}, nil }, func(abm.Task, []float64, []byte) error { n++; return nil })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "run 7")
	assert.Equal(t, 7, n, "runs before the failing one are emitted")
}

func BenchmarkSweepOverhead(b *testing.B) {
	g, _ := abm.NewGrid([]abm.Param{{Name: "a", Min: 0, Max: 1, Steps: 1000}})
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			runs := 0
			for b.Loop() {
				s := &abm.Sweep{Design: g, Replicates: 10, Seed: 1, Outputs: 2, Workers: w}
				s.Run(context.Background(), func() (abm.Worker, error) { return walker{}, nil }, func(abm.Task, []float64, []byte) error { runs++; return nil })
			}
			b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
