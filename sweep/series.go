package sweep

import (
	"slices"

	"github.com/turncoat-abm/turncoat/regime"
)

// seriesOutputs are the outputs that read a history series' fit
// (regime.Summary.Series) by the series' name: the model's statistics on
// the shape (docs/GDR.md).
var seriesOutputs = map[string]func(f *regime.Fit) *float64{
	"series_pearson_log":      func(f *regime.Fit) *float64 { return f.PearsonLog },
	"series_rmse_log":         func(f *regime.Fit) *float64 { return f.RMSELog },
	"series_peak_error_weeks": func(f *regime.Fit) *float64 { return f.PeakErrorWeeks },
	"series_break_ratio":      func(f *regime.Fit) *float64 { return f.BreakRatio },
	"series_break_log_error":  func(f *regime.Fit) *float64 { return f.BreakLogError },
}

func init() {
	outputNames = append(outputNames, "series_pearson_log.<series>", "series_rmse_log.<series>",
		"series_peak_error_weeks.<series>", "series_break_ratio.<series>", "series_break_log_error.<series>")
}

// seriesOutput resolves head.arg as a series output (ok false when head is
// not one); the value is NaN when the run has no such series or the
// statistic is undefined.
func seriesOutput(o output, head, arg string) (output, bool) {
	get, ok := seriesOutputs[head]
	if !ok || arg == "" {
		return o, false
	}
	o.series = arg
	o.get = func(r *regime.Result) float64 {
		i := slices.IndexFunc(r.Summary.Series, func(f regime.SeriesFit) bool { return f.Name == arg })
		if i < 0 {
			return nan
		}
		return floatp(get(&r.Summary.Series[i].Model))
	}
	return o, true
}

// hasSeries reports whether the scenario cfg lists a history series name.
func hasSeries(cfg *regime.Config, name string) bool {
	return slices.ContainsFunc(cfg.History.Series, func(s regime.Series) bool { return s.Name == name })
}
