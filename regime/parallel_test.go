package regime_test

import (
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
)

// TestParallelSteppingIsIdentical: the same seed gives the same trajectory,
// regions and events with 1, 2, 3 and 8 stepping goroutines.
func TestParallelSteppingIsIdentical(t *testing.T) {
	cfg := load(t, "soviet1991", "scale=0.5")
	ref := runFingerprint(t, cfg, 4, 1)
	for _, w := range []int{2, 3, 8} {
		if runFingerprint(t, cfg, 4, w) != ref {
			t.Errorf("%d workers: result differs from the sequential run", w)
		}
	}
}

func TestParallelTickAllocatesNothing(t *testing.T) {
	m, err := regime.New(load(t, "soviet1991"))
	if err != nil {
		t.Fatal(err)
	}
	m.SetWorkers(2)
	defer m.Close()
	if allocs := tickAllocs(t, m, 60, 20); allocs != 0 {
		t.Errorf("parallel Step allocates %.1f times per tick, want 0", allocs)
	}
}
