package abm

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/turncoat-abm/turncoat/internal/seed"
)

// Model is a simulation the engine can run. Reset prepares a fresh run from
// the run's random stream; Step advances it by one tick. Implementations must
// draw every random number from r (or from streams derived from it) so that a
// run is a pure function of its seed.
type Model interface {
	Reset(r *rand.Rand) error
	Step(ctx context.Context, t int, r *rand.Rand) error
}

// Stopper is implemented by models that can end a run before its last tick
// (for example when nothing can change any more).
type Stopper interface {
	Done() bool
}

// Recorder is called after every tick with the tick just completed. Record
// errors stop the run.
type Recorder interface {
	Record(t int) error
}

// Config says how long to run and from which seed.
type Config struct {
	// Ticks is the number of ticks to run; it must be positive.
	Ticks int
	// Seed is the run seed. The run stream is NewStream(Seed).
	Seed uint64
	// Recorders are called after each tick, in order.
	Recorders []Recorder
}

// Stats describes a finished run.
type Stats struct {
	Ticks   int           // ticks completed
	Elapsed time.Duration // wall time of Reset and all Steps (not deterministic)
}

// ErrBadConfig is returned for an invalid Config.
var ErrBadConfig = errors.New("abm: invalid run config")

// NewStream returns the run stream for a run seed: a PCG generator from
// math/rand/v2 whose state is derived from seed with a SplitMix64 finaliser.
func NewStream(runSeed uint64) *rand.Rand { return seed.New(runSeed) }

// RunSeed derives the seed of one run in a design from the master seed, the
// design point and the replicate. It depends on nothing else, so results do
// not depend on scheduling.
func RunSeed(master uint64, point, replicate int) uint64 {
	return seed.Mix3(master, uint64(point), uint64(replicate))
}

// Run resets m with the stream of cfg.Seed and steps it cfg.Ticks times,
// calling each recorder after every tick. It checks ctx once per tick and
// returns an error wrapping ctx.Err() if the context ends.
func Run(ctx context.Context, m Model, cfg Config) (Stats, error) {
	if cfg.Ticks <= 0 {
		return Stats{}, fmt.Errorf("%w: Ticks must be positive, got %d", ErrBadConfig, cfg.Ticks)
	}
	start := time.Now()
	r := NewStream(cfg.Seed)
	if err := m.Reset(r); err != nil {
		return Stats{}, fmt.Errorf("abm: reset: %w", err)
	}
	stop, _ := m.(Stopper)
	st := Stats{}
	for t := 0; t < cfg.Ticks; t++ {
		if err := ctx.Err(); err != nil {
			st.Elapsed = time.Since(start)
			return st, fmt.Errorf("abm: run stopped at tick %d: %w", t, context.Cause(ctx))
		}
		if err := m.Step(ctx, t, r); err != nil {
			st.Elapsed = time.Since(start)
			return st, fmt.Errorf("abm: tick %d: %w", t, err)
		}
		st.Ticks = t + 1
		for _, rec := range cfg.Recorders {
			if err := rec.Record(t); err != nil {
				st.Elapsed = time.Since(start)
				return st, fmt.Errorf("abm: record tick %d: %w", t, err)
			}
		}
		if stop != nil && stop.Done() {
			break
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
}
