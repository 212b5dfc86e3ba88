// Package sweep runs Monte Carlo sweeps of turncoat scenarios: many runs
// over a design of parameter points and replicates, in parallel, with
// results that do not depend on the number of workers.
//
// A [Spec] (a YAML sweep file, decoded as strictly as scenarios) names a
// base scenario and overrides, the parameters to vary (any numeric scenario
// field, by the same dotted paths as --set), the sampler — grid (full
// factorial), lhs (Latin hypercube) or sobol (Saltelli design) — the
// replicates per point, the master seed and the outputs to collect
// ([OutputNames]). [Run] performs it:
//
//   - runs.csv and runs.jsonl get one row per run, streamed in run order
//     (run = point × replicates + replicate), so memory stays bounded
//     whatever the number of runs;
//   - points.csv gets, per point and output, the mean, standard deviation,
//     a 95% interval of the mean (Student's t, or Wilson's for 0/1 outputs
//     such as collapsed) and the 5%, 50% and 95% quantiles;
//   - for the sobol sampler, sensitivity.csv gets first- and total-order
//     Sobol indices with bootstrap intervals;
//   - manifest.json records the spec hash, sizes and completion.
//
// [Options] add a Go API: OnRow and OnPoint stream results to the caller,
// with or without files.
//
// # Determinism
//
// Each run's seed is abm.RunSeed(master, point, replicate); lhs and sobol
// designs are drawn from a stream derived from the master seed. The files
// are byte-identical whatever the number of workers, after an interrupted
// sweep is resumed (Options.Resume), and when shards (Options.Shard: the
// points p with p mod n = i) are combined with [Merge].
//
// # Resume
//
// Rows are appended and flushed every second; a manifest with the spec's
// hash is written first. After Ctrl-C or kill -9, Run with Resume reads
// the complete rows back (dropping a partial last row), rebuilds the
// statistics and continues with the next run. A resume with a changed spec
// or scenario is refused.
package sweep
