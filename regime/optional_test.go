package regime_test

import (
	"context"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
)

// TestOptionalValues reads the optional values of a run with history and
// of one without: the (value, ok) methods agree with the pointers and never
// panic.
func TestOptionalValues(t *testing.T) {
	with := load(t, "soviet1991", "scale=0.25")
	res, err := regime.Run(context.Background(), with, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if rho, ok := s.SpearmanVsHistoryValue(); !ok || s.SpearmanVsHistory == nil || rho != *s.SpearmanVsHistory {
		t.Errorf("Spearman = %v, %v; pointer %v", rho, ok, s.SpearmanVsHistory)
	}
	if w, ok := s.TimingErrorWeeksValue(); !ok || w != *s.TimingErrorWeeks {
		t.Errorf("timing error = %v, %v", w, ok)
	}
	if tick, ok := s.CollapseTickValue(); ok != s.Collapsed || ok && tick != *s.CollapseTick {
		t.Errorf("collapse tick = %v, %v; collapsed %v", tick, ok, s.Collapsed)
	}
	if len(s.Exits) == 0 {
		t.Fatal("soviet1991 seed 1 has no exits")
	}
	for _, e := range s.Exits {
		if d, ok := e.DateValue(); !ok || d != *e.Date {
			t.Errorf("%s: date %q, %v", e.Region, d, ok)
		}
		h, ok := e.HistoricalDateValue()
		if ok != (e.HistoricalDate != nil) || ok && h != *e.HistoricalDate {
			t.Errorf("%s: historical %q, %v", e.Region, h, ok)
		}
	}

	without := with.Clone()
	without.History = regime.History{}
	res, err = regime.Run(context.Background(), without, 1)
	if err != nil {
		t.Fatal(err)
	}
	s = res.Summary
	if v, ok := s.SpearmanVsHistoryValue(); ok || v != 0 {
		t.Errorf("no history: Spearman = %v, %v", v, ok)
	}
	if v, ok := s.TimingErrorWeeksValue(); ok || v != 0 {
		t.Errorf("no history: timing error = %v, %v", v, ok)
	}
	for _, e := range s.Exits {
		if h, ok := e.HistoricalDateValue(); ok || h != "" {
			t.Errorf("no history: %s historical %q", e.Region, h)
		}
		if _, ok := e.ErrorWeeksValue(); ok {
			t.Errorf("no history: %s has an error in weeks", e.Region)
		}
	}
}

// TestEventRegionName checks that events name their region as exits do.
func TestEventRegionName(t *testing.T) {
	cfg := load(t, "soviet1991", "scale=0.25")
	res, err := regime.Run(context.Background(), cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	exits := map[string]int{}
	for _, e := range res.Summary.Exits {
		exits[e.Region] = e.Tick
	}
	n := 0
	for _, ev := range res.Events {
		switch {
		case ev.Region < 0 && ev.RegionName != "":
			t.Errorf("%s event without a region names %q", ev.Kind, ev.RegionName)
		case ev.Region >= 0 && ev.RegionName != cfg.Regions[ev.Region].Name:
			t.Errorf("%s event: region %d named %q", ev.Kind, ev.Region, ev.RegionName)
		}
		if ev.Kind == regime.EventExit {
			n++
			if tick, ok := exits[ev.RegionName]; !ok || tick != ev.Tick {
				t.Errorf("exit event %s at %d, summary %d (%v)", ev.RegionName, ev.Tick, tick, ok)
			}
		}
	}
	if n != len(exits) {
		t.Errorf("%d exit events, %d exits", n, len(exits))
	}
}
