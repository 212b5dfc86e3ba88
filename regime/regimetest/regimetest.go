package regimetest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
)

// Setup installs extensions (SetDecider, SetPolicy, SetObserver) on m.
type Setup func(m *regime.Model) error

// build returns a model of cfg with setup applied and w workers.
func build(cfg regime.Config, setup Setup, w int) (*regime.Model, error) {
	m, err := regime.New(cfg)
	if err != nil {
		return nil, err
	}
	if setup != nil {
		if err := setup(m); err != nil {
			return nil, err
		}
	}
	m.SetWorkers(w)
	return m, nil
}

// fingerprint runs m with seed and returns its summary, ticks and events as
// JSON.
func fingerprint(m *regime.Model, seed uint64) (string, error) {
	res, err := m.Run(context.Background(), seed)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(struct {
		S regime.Summary
		T []regime.TickRecord
		E []regime.Event
	}{res.Summary, res.Ticks, res.Events})
	return string(b), err
}

// Deterministic checks that cfg with setup gives identical results for
// seeds 1 and 2 with 1, 2 and 4 workers, and when the model is reused for
// a second run of the same seed (a stateful policy must reset).
func Deterministic(t testing.TB, cfg regime.Config, setup Setup) {
	t.Helper()
	if err := deterministic(cfg, setup); err != nil {
		t.Error(err)
	}
}

func deterministic(cfg regime.Config, setup Setup) error {
	for seed := uint64(1); seed <= 2; seed++ {
		var want string
		for _, w := range []int{1, 2, 4} {
			m, err := build(cfg, setup, w)
			if err != nil {
				return err
			}
			got, err := fingerprint(m, seed)
			if err != nil {
				return err
			}
			if w == 1 {
				want = got
				again, err := fingerprint(m, seed)
				if err != nil {
					return err
				}
				if again != want {
					return fmt.Errorf("regimetest: seed %d: a second run on the same model differs from the first (state kept across Reset?)", seed)
				}
				continue
			}
			if got != want {
				return fmt.Errorf("regimetest: seed %d: %d workers give a different run than 1 worker", seed, w)
			}
		}
	}
	return nil
}

// ZeroAllocs checks that a tick of cfg with setup allocates nothing, with
// one worker and with two (ticks without events: events append to a
// buffer that grows).
func ZeroAllocs(t testing.TB, cfg regime.Config, setup Setup) {
	t.Helper()
	for _, w := range []int{1, 2} {
		a, err := allocsPerTick(cfg, setup, w)
		if err != nil {
			t.Error(err)
			return
		}
		if a > 0 {
			t.Errorf("regimetest: %.2f allocations per tick with %d workers, want 0", a, w)
		}
	}
}

// allocsPerTick returns the mean allocations of a tick after the first
// few (which may start goroutines and record first events).
func allocsPerTick(cfg regime.Config, setup Setup, w int) (float64, error) {
	m, err := build(cfg, setup, w)
	if err != nil {
		return 0, err
	}
	defer m.Close()
	r := rand.New(rand.NewPCG(1, 2))
	if err := m.Reset(r); err != nil {
		return 0, err
	}
	ctx := context.Background()
	tick := 0
	var stepErr error
	step := func() {
		if tick == cfg.Ticks {
			return
		}
		if err := m.Step(ctx, tick, r); err != nil && stepErr == nil {
			stepErr = err
		}
		tick++
	}
	for range 3 {
		step()
	}
	// AllocsPerRun(1, step) steps twice (a warm-up and the measured run).
	n := min(10, (cfg.Ticks-tick)/2)
	if n <= 0 {
		return 0, fmt.Errorf("regimetest: the scenario needs at least %d ticks", tick+2)
	}
	// Events are rare and preallocated; count the minimum over ticks so
	// an event's occasional growth of its buffer is not charged to the
	// extension.
	best := -1.0
	for range n {
		a := testing.AllocsPerRun(1, step)
		if best < 0 || a < best {
			best = a
		}
	}
	return best, stepErr
}
