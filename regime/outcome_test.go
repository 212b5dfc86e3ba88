package regime_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// series returns tick records whose soldier defected shares are v.
func series(v ...float64) []regime.TickRecord {
	out := make([]regime.TickRecord, len(v))
	for i, x := range v {
		out[i].Tick = i
		out[i].Defected[agents.Soldier] = x
	}
	return out
}

func TestOutcomeThresholds(t *testing.T) {
	rule := regime.DefaultOutcomeRule() // split 0.2 for 2 ticks
	collapse := []regime.Event{{Tick: 3, Kind: regime.EventCollapse, Region: -1}}
	tests := []struct {
		name   string
		rule   regime.OutcomeRule
		ticks  []regime.TickRecord
		events []regime.Event
		want   regime.Outcome
	}{
		{"collapse is defected whatever the shares", rule, series(0, 0, 0, 0), collapse, regime.OutcomeDefected},
		{"no defection is loyal", rule, series(0, 0, 0, 0), nil, regime.OutcomeLoyal},
		{"exactly the split share for persist ticks is split", rule, series(0, 0.2, 0.2, 0.1), nil, regime.OutcomeSplit},
		{"just below the split share is loyal", rule, series(0, 0.1999, 0.1999, 0.1999), nil, regime.OutcomeLoyal},
		{"one tick above is a flicker, loyal", rule, series(0, 0.9, 0.1, 0.9), nil, regime.OutcomeLoyal},
		{"the window's minimum counts", rule, series(0, 0.9, 0.2, 0), nil, regime.OutcomeSplit},
		{"persist 1: one tick is enough", regime.OutcomeRule{Split: 0.2, Persist: 1}, series(0, 0.25, 0), nil, regime.OutcomeSplit},
		{"persist longer than the run is loyal", regime.OutcomeRule{Split: 0.2, Persist: 5}, series(0.5, 0.5, 0.5), nil, regime.OutcomeLoyal},
		{"split share 1 needs everyone", regime.OutcomeRule{Split: 1, Persist: 1}, series(0.99, 1), nil, regime.OutcomeSplit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := &regime.Result{Ticks: tc.ticks, Events: tc.events}
			if got := tc.rule.Classify(res); got != tc.want {
				t.Errorf("Classify = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSustainedSoldierShare(t *testing.T) {
	tests := []struct {
		v       []float64
		persist int
		want    float64
	}{
		{[]float64{0.1, 0.5, 0.3}, 1, 0.5},
		{[]float64{0.1, 0.5, 0.3}, 2, 0.3},
		{[]float64{0.1, 0.5, 0.3}, 3, 0.1},
		{[]float64{0.1, 0.5, 0.3}, 4, 0},
		{nil, 2, 0},
	}
	for _, tc := range tests {
		if got := regime.SustainedSoldierShare(series(tc.v...), tc.persist); got != tc.want {
			t.Errorf("SustainedSoldierShare(%v, %d) = %g, want %g", tc.v, tc.persist, got, tc.want)
		}
	}
}

func TestOutcomeValidation(t *testing.T) {
	tests := []struct {
		set   string
		field string
	}{
		{"outcome.split=0", "outcome.split"},
		{"outcome.split=1.5", "outcome.split"},
		{"outcome.persist=0", "outcome.persist"},
		{"history.outcome=toppled", "history.outcome"},
		{"population.elite_stacking=1.2", "population.elite_stacking"},
		{"regime.foreign_forces=-1", "regime.foreign_forces"},
		{"regime.external_funds=-0.1", "regime.external_funds"},
		{"regions.0.parallel_factor=-1", "regions[0].parallel_factor"},
	}
	for _, tc := range tests {
		t.Run(tc.set, func(t *testing.T) {
			_, err := scenarios.Load("testdata/sects.yaml", tc.set)
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("--set %s: error %v, want one naming %s", tc.set, err, tc.field)
			}
		})
	}
}

func TestSummaryOutcomeOnlyWhenEnabled(t *testing.T) {
	for _, enabled := range []bool{false, true} {
		cfg := load(t, "testdata/sects.yaml")
		cfg.Outcome.Enabled = enabled
		res, err := regime.Run(context.Background(), cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res.Summary)
		has := strings.Contains(string(b), `"outcome":`)
		if has != enabled {
			t.Errorf("outcome.enabled %v: summary.json has an outcome field: %v", enabled, has)
		}
		if enabled && res.Summary.Outcome != cfg.Outcome.Classify(res) {
			t.Errorf("summary outcome %q differs from Classify %q", res.Summary.Outcome, cfg.Outcome.Classify(res))
		}
	}
}

func TestOutcomeDist(t *testing.T) {
	var d regime.OutcomeDist
	if d.Modal() != "" || d.Share(regime.OutcomeLoyal) != 0 {
		t.Errorf("empty distribution: modal %q, share %g", d.Modal(), d.Share(regime.OutcomeLoyal))
	}
	for _, o := range []regime.Outcome{regime.OutcomeLoyal, regime.OutcomeSplit, regime.OutcomeLoyal, regime.OutcomeSplit, "bogus"} {
		d.Add(o)
	}
	if d.Total() != 4 || d.Modal() != regime.OutcomeSplit {
		t.Errorf("%v: total %d, modal %q; want 4 and split (ties go to the class listed first)", d, d.Total(), d.Modal())
	}
	d.Add(regime.OutcomeLoyal)
	if d.Modal() != regime.OutcomeLoyal || d.Share(regime.OutcomeLoyal) != 0.6 {
		t.Errorf("%v: modal %q, loyal share %g; want loyal, 0.6", d, d.Modal(), d.Share(regime.OutcomeLoyal))
	}
}
