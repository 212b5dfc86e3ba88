// Package benchmarks holds turncoat's cross-package benchmarks: the tick
// loop of the regional (well-mixed) topology at 10⁴ to 10⁷ agents, the
// built-in scenarios end to end, and model construction. Every benchmark
// reports allocations and agent-updates per second:
//
//	go test ./benchmarks -run '^$' -bench . -benchmem
//
// docs/PERFORMANCE.md records the numbers and how to compare runs with
// benchstat.
package benchmarks
