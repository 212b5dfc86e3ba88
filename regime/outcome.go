package regime

import (
	"context"
	"errors"
	"fmt"

	"github.com/turncoat-abm/turncoat/agents"
)

// Outcome is the military's response in a run, as classified by an
// OutcomeRule: OutcomeDefected, OutcomeSplit or OutcomeLoyal.
type Outcome string

// The outcome classes (Lee 2015, Barany 2016; the Arab Spring of 2011).
const (
	// OutcomeDefected: the army withdraws its support and the ruler falls
	// (the run's regime collapses within the horizon: coercive capacity
	// below the collapse floor, or exited regions above their population
	// limit).
	OutcomeDefected Outcome = "defected"
	// OutcomeSplit: a substantial part of the army defects (a sustained
	// soldier defected share of at least OutcomeRule.Split) but the regime
	// fights on (no collapse within the horizon).
	OutcomeSplit Outcome = "split"
	// OutcomeLoyal: defection stays marginal (below OutcomeRule.Split, or
	// above it for fewer than OutcomeRule.Persist ticks) and the regime
	// stands.
	OutcomeLoyal Outcome = "loyal"
)

// Outcomes lists the classes in order, from defected to loyal.
var Outcomes = [...]Outcome{OutcomeDefected, OutcomeSplit, OutcomeLoyal}

func (o Outcome) valid() bool {
	return o == OutcomeDefected || o == OutcomeSplit || o == OutcomeLoyal
}

// OutcomeRule classifies a run by measurable thresholds on its outputs:
//
//	defected  the regime collapsed within the horizon (Summary.Collapsed);
//	split     otherwise, if the soldiers' defected share (all regions,
//	          exited regions counting as defected) stayed >= Split for at
//	          least Persist consecutive ticks;
//	loyal     otherwise.
//
// With Enabled set, summaries carry the class (summary.json "outcome");
// Classify works on any result whatever Enabled says.
type OutcomeRule struct {
	// Enabled puts the class into the run's summary.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Split ∈ (0,1] is the soldier defected share that makes a split
	// (default 0.2: a fifth of the army openly refusing orders).
	Split float64 `yaml:"split" json:"split"`
	// Persist ≥ 1 is the number of consecutive ticks the share must stay at
	// or above Split (default 2, so a one-tick flicker is not a split).
	Persist int `yaml:"persist" json:"persist"`
}

// DefaultOutcomeRule returns the documented thresholds (Split 0.2,
// Persist 2), not enabled.
func DefaultOutcomeRule() OutcomeRule { return OutcomeRule{Split: 0.2, Persist: 2} }

func (r *OutcomeRule) validate() error {
	var errs []error
	if !(r.Split > 0 && r.Split <= 1) {
		errs = append(errs, &FieldError{Field: "outcome.split", Err: fmt.Errorf("must be in (0,1], got %g", r.Split)})
	}
	if r.Persist < 1 {
		errs = append(errs, &FieldError{Field: "outcome.persist", Err: fmt.Errorf("must be >= 1 tick, got %d", r.Persist)})
	}
	return errors.Join(errs...)
}

// Classify returns the class of a finished run under r.
func (r OutcomeRule) Classify(res *Result) Outcome {
	collapsed := false
	for _, e := range res.Events {
		if e.Kind == EventCollapse {
			collapsed = true
		}
	}
	return r.classify(res.Ticks, collapsed)
}

func (r OutcomeRule) classify(ticks []TickRecord, collapsed bool) Outcome {
	if collapsed {
		return OutcomeDefected
	}
	if SustainedSoldierShare(ticks, r.Persist) >= r.Split {
		return OutcomeSplit
	}
	return OutcomeLoyal
}

// SustainedSoldierShare returns the highest soldier defected share held
// for persist consecutive ticks: the maximum over windows of persist ticks
// of the window's minimum (the peak share when persist is 1; 0 when the
// run is shorter than persist).
func SustainedSoldierShare(ticks []TickRecord, persist int) float64 {
	persist = max(persist, 1)
	best := 0.0
	for t := 0; t+persist <= len(ticks); t++ {
		low := ticks[t].Defected[agents.Soldier]
		for _, tr := range ticks[t+1 : t+persist] {
			low = min(low, tr.Defected[agents.Soldier])
		}
		best = max(best, low)
	}
	return best
}

// OutcomeDist counts the classes of a set of runs.
type OutcomeDist struct {
	Defected int `json:"defected"`
	Split    int `json:"split"`
	Loyal    int `json:"loyal"`
}

// Add counts one run of class o (an unknown class is ignored).
func (d *OutcomeDist) Add(o Outcome) {
	switch o {
	case OutcomeDefected:
		d.Defected++
	case OutcomeSplit:
		d.Split++
	case OutcomeLoyal:
		d.Loyal++
	}
}

// Count returns the number of runs of class o.
func (d OutcomeDist) Count(o Outcome) int {
	switch o {
	case OutcomeDefected:
		return d.Defected
	case OutcomeSplit:
		return d.Split
	case OutcomeLoyal:
		return d.Loyal
	}
	return 0
}

// Total returns the number of runs counted.
func (d OutcomeDist) Total() int { return d.Defected + d.Split + d.Loyal }

// Share returns the share of runs of class o (0 when none were counted).
func (d OutcomeDist) Share(o Outcome) float64 {
	if d.Total() == 0 {
		return 0
	}
	return float64(d.Count(o)) / float64(d.Total())
}

// Modal returns the most frequent class; ties go to the class listed first
// in Outcomes (defected, split, loyal). It returns "" when nothing was
// counted.
func (d OutcomeDist) Modal() Outcome {
	var best Outcome
	n := 0
	for _, o := range Outcomes {
		if c := d.Count(o); c > n {
			best, n = o, c
		}
	}
	return best
}

// String formats the distribution as "defected 3, split 5, loyal 2".
func (d OutcomeDist) String() string {
	return fmt.Sprintf("defected %d, split %d, loyal %d", d.Defected, d.Split, d.Loyal)
}

// ClassifyRuns runs cfg with seeds 1..replicates (one model, reused) and
// returns the distribution of classes under cfg.Outcome, whether or not
// cfg.Outcome.Enabled is set. The result does not depend on anything but
// cfg and replicates.
func ClassifyRuns(ctx context.Context, cfg Config, replicates int) (OutcomeDist, error) {
	var d OutcomeDist
	m, err := New(cfg)
	if err != nil {
		return d, err
	}
	for s := 1; s <= replicates; s++ {
		res, err := m.RunShared(ctx, uint64(s))
		if err != nil {
			return d, err
		}
		d.Add(cfg.Outcome.Classify(res))
	}
	return d, nil
}
