// Package sweepbeam runs a turncoat sweep as an Apache Beam pipeline.
//
// The sweep is cut into N shards (the points p with p mod N = i, as
// `turncoat sweep --shard i/N`); each shard is one element, so a runner
// spreads short runs over its workers by the chunk, not one run at a time.
// A DoFn runs its shard with [sweep.RunShard] into OUT/shards/shard-I-of-N:
// the core's shard format, written atomically, resumed or skipped when the
// runner retries the element. When every shard is done, one DoFn merges
// them with the core's order-preserving [sweep.Merge] into OUT/merged,
// byte-identical to the unsharded sweep. Nothing is aggregated with Beam's
// combiners: their floating-point sums depend on how the runner groups
// elements and are not bit-stable.
//
// # Determinism
//
// Run seeds depend only on (master seed, point, replicate), so neither the
// runner, nor the order in which it processes shards, nor retries change a
// byte of the output. A second pipeline into the same OUT finds every shard
// and the merge complete and does nothing.
//
// # Runners
//
// Workers read the sweep file and write OUT through the local file system:
// on the embedded Prism runner (the default; loopback, in process) that is
// this machine; on Flink, Spark or Dataflow, both must be on a file system
// every worker mounts at the same path.
package sweepbeam

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/turncoat-abm/turncoat/sweep"
)

// Config describes the sweep a pipeline runs.
type Config struct {
	// Spec is the sweep file's path (absolute, or relative to the working
	// directory of every worker).
	Spec string
	// Sets are "key=value" overrides of the sweep file, as --set.
	Sets []string
	// Out is the output directory: shards go to Out/shards, the merged
	// sweep to Out/merged.
	Out string
	// Shards is the number of elements the sweep is cut into (>= 1).
	Shards int
	// Workers is the number of goroutines per shard (0: one; the runner
	// parallelises across shards).
	Workers int
}

// ShardsDir and MergedDir are the directories a pipeline writes under
// Config.Out.
func ShardsDir(out string) string { return filepath.Join(out, "shards") }

// MergedDir is the merged sweep's directory under out.
func MergedDir(out string) string { return filepath.Join(out, "merged") }

func init() {
	register.DoFn2x0[[]byte, func(int)](&indexFn{})
	register.DoFn3x1[context.Context, int, func(int), error](&shardFn{})
	register.DoFn3x1[context.Context, int, func(*int) bool, error](&mergeFn{})
	register.Emitter1[int]()
	register.Iter1[int]()
	beam.RegisterType(reflect.TypeOf((*Config)(nil)).Elem())
}

// Pipeline adds the sweep of cfg to scope s: the shards, then the merge.
// It checks cfg and loads the sweep once here, so that a bad file fails
// before the pipeline is submitted.
func Pipeline(s beam.Scope, cfg Config) error {
	if cfg.Shards < 1 {
		return fmt.Errorf("sweepbeam: Config.Shards must be >= 1, got %d", cfg.Shards)
	}
	if cfg.Out == "" {
		return errors.New("sweepbeam: Config.Out is required")
	}
	if _, err := sweep.Load(cfg.Spec, cfg.Sets...); err != nil {
		return err
	}
	s = s.Scope("turncoat-sweep")
	idx := beam.ParDo(s, &indexFn{N: cfg.Shards}, beam.Impulse(s))
	idx = beam.Reshuffle(s, idx) // spread the shards over the workers
	done := beam.ParDo(s, &shardFn{Cfg: cfg}, idx)
	all := beam.GroupByKey(s, beam.AddFixedKey(s, done))
	beam.ParDo0(s, &mergeFn{Cfg: cfg}, all)
	return nil
}

// indexFn emits the shard indices 0..N-1.
type indexFn struct{ N int }

func (f *indexFn) ProcessElement(_ []byte, emit func(int)) {
	for i := 0; i < f.N; i++ {
		emit(i)
	}
}

// shardFn runs one shard and emits its index when it is complete.
type shardFn struct{ Cfg Config }

func (f *shardFn) ProcessElement(ctx context.Context, i int, emit func(int)) error {
	spec, err := sweep.Load(f.Cfg.Spec, f.Cfg.Sets...)
	if err != nil {
		return err
	}
	workers := f.Cfg.Workers
	if workers == 0 {
		workers = 1
	}
	if _, err := sweep.RunShard(ctx, spec, ShardsDir(f.Cfg.Out), sweep.Options{Shard: sweep.Shard{I: i, N: f.Cfg.Shards}, Workers: workers}); err != nil {
		return fmt.Errorf("sweepbeam: shard %d/%d: %w", i, f.Cfg.Shards, err)
	}
	emit(i)
	return nil
}

// mergeFn merges the shards once all are done (it sees them all under one
// key), into MergedDir, atomically: it merges into a ".partial" twin and
// renames it; a merged directory that is already complete is verified and
// left alone.
type mergeFn struct{ Cfg Config }

func (f *mergeFn) ProcessElement(ctx context.Context, _ int, shards func(*int) bool) error {
	n, seen := 0, make([]bool, f.Cfg.Shards)
	var i int
	for shards(&i) {
		if i >= 0 && i < len(seen) && !seen[i] {
			seen[i] = true
			n++
		}
	}
	if n != f.Cfg.Shards {
		return fmt.Errorf("sweepbeam: %d of %d shards reported done", n, f.Cfg.Shards)
	}
	return MergeOnce(ctx, f.Cfg.Out)
}

// MergeOnce merges the shards under out into MergedDir(out) unless that
// is already complete (then it verifies its checksums and does nothing).
func MergeOnce(ctx context.Context, out string) error {
	merged := MergedDir(out)
	if m, err := sweep.ReadManifest(merged); err == nil && m.Complete {
		return sweep.VerifyDir(merged)
	}
	tmp := merged + sweep.PartialSuffix
	if err := os.RemoveAll(tmp); err != nil { // a merge killed half way
		return err
	}
	if err := sweep.Merge(ctx, []string{ShardsDir(out)}, tmp); err != nil {
		return err
	}
	if err := os.RemoveAll(merged); err != nil {
		return err
	}
	return os.Rename(tmp, merged)
}
