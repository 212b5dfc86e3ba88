package regime

// The optional values of a Summary and an Exit are pointers so that their
// JSON is null when absent (a public contract). The methods below read them
// without a nil check: each returns the value and whether it is set.

func deref[T any](p *T) (T, bool) {
	if p == nil {
		var zero T
		return zero, false
	}
	return *p, true
}

// CollapseTickValue returns the tick of the collapse and true, or 0 and
// false when the regime did not collapse.
func (s *Summary) CollapseTickValue() (int, bool) { return deref(s.CollapseTick) }

// CollapseDateValue returns the date of the collapse (YYYY-MM-DD) and true,
// or "" and false when the regime did not collapse.
func (s *Summary) CollapseDateValue() (string, bool) { return deref(s.CollapseDate) }

// SpearmanVsHistoryValue returns the rank correlation with the historical
// exit order and true, or 0 and false when the scenario has no history.
func (s *Summary) SpearmanVsHistoryValue() (float64, bool) { return deref(s.SpearmanVsHistory) }

// TimingErrorWeeksValue returns the mean absolute exit timing error in
// weeks and true, or 0 and false when the scenario has no history.
func (s *Summary) TimingErrorWeeksValue() (float64, bool) { return deref(s.TimingErrorWeeks) }

// DateValue returns the simulated exit date (YYYY-MM-DD) and true, or ""
// and false when it is not set.
func (e Exit) DateValue() (string, bool) { return deref(e.Date) }

// HistoricalDateValue returns the historical exit date and true, or "" and
// false when the history gives none for the region.
func (e Exit) HistoricalDateValue() (string, bool) { return deref(e.HistoricalDate) }

// ErrorWeeksValue returns the simulated minus the historical exit date in
// weeks and true, or 0 and false without a historical date.
func (e Exit) ErrorWeeksValue() (float64, bool) { return deref(e.ErrorWeeks) }
