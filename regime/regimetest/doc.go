// Package regimetest holds conformance checks for Go extensions of the
// regime model, so a user-defined decision rule (agents.Decider) or policy
// (regime.Policy) can be tested like the built-in ones:
//
//   - Deterministic: the same scenario and seed give identical results for
//     every worker count and on a reused model.
//   - ZeroAllocs: a tick allocates nothing.
//
// A Setup installs the extension on a freshly built model; the checks build
// their own models from a scenario, so use a small one (a few thousand
// agents, a few dozen ticks).
package regimetest
