// Package abm is turncoat's generic agent-based modelling engine: the run
// loop, per-run random streams, recorders and atomic output files. It knows
// nothing about regimes or defection; package regime implements its [Model]
// interface.
//
// A [Model] has two methods: Reset draws a fresh initial state from the
// run's stream, and Step advances one tick. [Run] resets the model with the
// stream of [Config].Seed, steps it Config.Ticks times, checks the context
// once per tick and calls each [Recorder] after every tick. [Table] is a
// Recorder that streams an [Observer]'s values as CSV; [Memory] keeps them.
//
// # Determinism
//
// Every random number of a run comes from [NewStream](seed), a PCG generator
// (math/rand/v2) whose state is derived from the seed by a SplitMix64
// finaliser; the global source is never used. [RunSeed] derives the seed of
// one run of a design from (master seed, point, replicate) only, so results
// never depend on scheduling. Numbers are written in the shortest form that
// round-trips ([AppendFloat]), so equal runs give equal bytes.
//
// # Files
//
// [CreateAtomic] and [WriteFileAtomic] write to a hidden temporary file in
// the target directory and rename it on success: a reader never sees a
// partial file, and an error or interrupt leaves nothing under the final
// name.
//
// # Statistics
//
// [Spearman] and [Ranks] compute rank correlations with exact handling of
// ties (mid-ranks), on top of gonum's stat package.
package abm
