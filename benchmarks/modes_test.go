package benchmarks

import "testing"

// modes turns on every defection mode (exit, switch, shirk) under the
// multinomial logit, with a guarded border so that the population stays
// about the same over the run.
var modes = []string{"modes.exit.enabled=true", "modes.switch.enabled=true", "modes.shirk.enabled=true",
	"regime.border_control=0.95", "regime.border_lethality=0.3", "regime.welcome=1"}

// BenchmarkStepModes_1M steps about 10⁶ agents with every defection mode
// on: compare its ns/op with BenchmarkStep_1M (threshold rule, voice only)
// and BenchmarkStepLogit_1M (binary logit).
func BenchmarkStepModes_1M(b *testing.B) { benchStep(b, 1_000_000, modes...) }

// BenchmarkStepModesMax_1M is BenchmarkStepModes_1M with the choice of the
// highest utility (no logit draw; exit's opportunity draw remains).
func BenchmarkStepModesMax_1M(b *testing.B) {
	benchStep(b, 1_000_000, append(modes, "modes.choice=max")...)
}
