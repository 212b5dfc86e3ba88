package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/turncoat-abm/turncoat/calibrate"
)

// printSeriesCheck prints the posterior predictive check of a series
// calibration: per series the observed points beside the model's 90%
// predictive band (its values times the fitted scale), and the shape
// statistics of regime.ScoreSeries for the model (median and 90% interval
// over the draws) beside the naive baselines.
func printSeriesCheck(w io.Writer, s calibrate.Summary, dir string) {
	pr := s.Predictive
	fmt.Fprintf(w, "posterior predictive (%d draws): %d of %d fitted points inside their 90%% bands", pr.Draws, pr.CoveredFitted, pr.Fitted)
	if pr.HeldOut > 0 {
		fmt.Fprintf(w, ", %d of %d held out", pr.CoveredHeldOut, pr.HeldOut)
	}
	fmt.Fprintf(w, "; P(collapse by %s) %s\n", pr.CollapseBy, roundNum(pr.Collapse))
	for _, sc := range s.Series {
		what := "fitted"
		if sc.HeldOut {
			what = "held out"
		}
		fmt.Fprintf(w, "series %s (%s, distance %s", sc.Name, what, sc.Distance)
		if sc.FitDistance != nil {
			fmt.Fprintf(w, " %s [%s, %s]", roundNum(sc.FitDistance.Median), roundNum(sc.FitDistance.Q05), roundNum(sc.FitDistance.Q95))
		}
		fmt.Fprintf(w, "; model × scale %s [%s, %s]):\n", roundNum(sc.Scale.Median), roundNum(sc.Scale.Q05), roundNum(sc.Scale.Q95))
		fmt.Fprintf(w, "  %-10s  %10s  %10s  %-23s %s\n", "date", "observed", "median", "90% band", "inside")
		for _, p := range sc.Points {
			in := "no"
			if p.Inside {
				in = "yes"
			}
			if p.HeldOut {
				in += " (held out)"
			}
			fmt.Fprintf(w, "  %-10s  %10s  %10s  [%s, %s] %s\n", p.Date, roundNum(p.Observed), roundNum(p.Predicted.Median), roundNum(p.Predicted.Q05), roundNum(p.Predicted.Q95), in)
		}
		fmt.Fprintf(w, "  %-18s %-28s", "statistic", "model (median [90%])")
		for _, b := range sc.Baselines {
			fmt.Fprintf(w, " %12s", b.Name)
		}
		fmt.Fprintln(w)
		for _, st := range []string{"pearson_log", "rmse_log", "peak_error_weeks", "break_ratio", "break_log_error"} {
			iv, ok := sc.Model[st]
			m := "-"
			if ok {
				m = fmt.Sprintf("%s [%s, %s]", roundNum(iv.Median), roundNum(iv.Q05), roundNum(iv.Q95))
			}
			fmt.Fprintf(w, "  %-18s %-28s", st, m)
			for _, b := range sc.Baselines {
				v := map[string]*float64{"pearson_log": b.PearsonLog, "rmse_log": b.RMSELog, "peak_error_weeks": b.PeakErrorWeeks, "break_ratio": b.BreakRatio, "break_log_error": b.BreakLogError}[st]
				x := "-"
				if v != nil {
					x = roundNum(*v)
				}
				fmt.Fprintf(w, " %12s", x)
			}
			fmt.Fprintln(w)
		}
		if sc.HistoryBreakRatio != nil {
			fmt.Fprintf(w, "  history break ratio %s\n", roundNum(*sc.HistoryBreakRatio))
		}
		if sc.HeldOutRMSELog != nil {
			fmt.Fprintf(w, "  held-out points: RMS log error of the model × scale %s [%s, %s]", roundNum(sc.HeldOutRMSELog.Median), roundNum(sc.HeldOutRMSELog.Q05), roundNum(sc.HeldOutRMSELog.Q95))
			for _, b := range sc.HeldOutBaselines {
				fmt.Fprintf(w, "; %s %s", b.Name, roundNum(b.RMSELog))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "calibration directory: %s\n", dir)
	for _, f := range []string{calibrate.PosteriorFile, calibrate.GenerationsFile, calibrate.SummaryFile, calibrate.PredictiveFile, calibrate.BestFile, calibrate.MedianFile} {
		fmt.Fprintf(w, "  %s\n", filepath.Join(dir, f))
	}
}
