package regime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
)

// TestParallelSteppingIsIdentical: the same seed gives the same trajectory,
// regions and events with 1, 2, 3 and 8 stepping goroutines.
func TestParallelSteppingIsIdentical(t *testing.T) {
	cfg := load(t, "soviet1991", "scale=0.5")
	var ref string
	for _, w := range []int{1, 2, 3, 8} {
		m, err := regime.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.SetWorkers(w)
		res, err := m.Run(context.Background(), 4)
		if err != nil {
			t.Fatal(err)
		}
		sum, _ := json.Marshal(res.Summary)
		got := fmt.Sprint(res.Ticks, res.Regions, res.Events) + string(sum)
		if w == 1 {
			ref = got
		} else if got != ref {
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
	r := rand.New(rand.NewPCG(1, 2))
	m.Reset(r)
	ctx := context.Background()
	tick := 0
	for ; tick < 60; tick++ {
		m.Step(ctx, tick, r)
	}
	if allocs := testing.AllocsPerRun(20, func() { m.Step(ctx, tick, r); tick++ }); allocs != 0 {
		t.Errorf("parallel Step allocates %.1f times per tick, want 0", allocs)
	}
}
