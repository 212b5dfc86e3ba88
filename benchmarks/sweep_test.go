package benchmarks

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/turncoat-abm/turncoat/sweep"
)

// benchSweep runs a grid sweep of `runs` runs of scenario per iteration
// with the given workers (no files) and reports runs/s.
func benchSweep(b *testing.B, scenario string, runs, workers int) {
	spec, err := sweep.Parse("bench.yaml", []byte(fmt.Sprintf(`
scenario: %s
parameters: [{name: regime.repression, values: [0.6]}]
sampler: grid
replicates: %d
outputs: [collapsed, exits, final_share.soldier]
`, scenario, runs)))
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	b.ReportAllocs()
	for b.Loop() {
		res, err := sweep.Run(context.Background(), spec, sweep.Options{Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		total += res.Done
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "runs/s")
}

// BenchmarkSweepSoviet1991 measures runs/s of the default soviet1991 run
// (270 000 agents, 104 weeks) with 1 and 2 workers: the ratio is the
// parallel efficiency of the sweep runner on this 2-core machine.
func BenchmarkSweepSoviet1991(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchSweep(b, "soviet1991", 8, w) })
	}
}

// BenchmarkSweepShortRuns measures the runner's overhead on tiny runs
// (a handful of agents for five ticks).
func BenchmarkSweepShortRuns(b *testing.B) {
	micro, _ := filepath.Abs("testdata/micro.yaml")
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchSweep(b, micro, 20000, w) })
	}
}
