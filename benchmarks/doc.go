// Package benchmarks holds turncoat's cross-package benchmarks:
//
//   - the tick loop per topology: regional (well-mixed) at 10⁴ to 10⁷
//     agents (Step_*), random social network of mean degree 10 at 10⁴ to
//     10⁷ (StepNetwork*), the Epstein torus grid (Epstein*), the logit
//     rule, and intra-run parallel stepping on 1 and 2 goroutines;
//   - bare loops (BareLoop) that only read the agent columns and write the
//     new state: the practical limit each tick benchmark is compared with;
//   - every built-in scenario end to end (Scenario), soviet1991 at 10⁷
//     agents, drawing populations and networks, memory per agent and per
//     edge, and sweeps (runs/s).
//
// Every benchmark reports allocations and, where agents are stepped,
// agent-updates per second:
//
//	go test ./benchmarks -run '^$' -bench . -benchmem
//
// docs/PERFORMANCE.md records the numbers, the profiles and how to compare
// runs with benchstat; benchmarks/peers compares with Mesa.
package benchmarks
