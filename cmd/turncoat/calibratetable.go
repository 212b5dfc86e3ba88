package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/calibrate"
)

// printPosteriorTable prints the end-of-run table of a calibration's
// posterior: each parameter's prior range, median and 90% interval, with
// 4 significant digits as the sweep table (roundNum), marking with * an
// interval narrower than half the prior range. It returns how many are.
func printPosteriorTable(w io.Writer, params []calibrate.ParamSummary) (narrow int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tprior\tmedian\t90% interval")
	for _, p := range params {
		mark := ""
		if p.Narrow {
			mark = " *"
			narrow++
		}
		prior := fmt.Sprintf("%s [%s, %s]", p.Kind, roundNum(p.Prior[0]), roundNum(p.Prior[1]))
		if p.Kind == "" {
			prior = prior[1:]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\n", p.Name, prior, roundNum(p.Median), interval(p.Q05, p.Q95), mark)
	}
	tw.Flush()
	return narrow
}

// printScoresTable prints the headline scores of the posterior predictive
// draws (median and 90% interval over draws) beside the naive baselines
// scored on the same targets; a nil score is shown as –.
func printScoresTable(w io.Writer, model string, spearman, timing *calibrate.Interval, baselines []calibrate.BaselineScore) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  forecast\tSpearman\ttiming error (weeks)")
	score := func(iv *calibrate.Interval) string {
		if iv == nil {
			return "–"
		}
		return fmt.Sprintf("%s %s", roundNum(iv.Median), interval(iv.Q05, iv.Q95))
	}
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", model, score(spearman), score(timing))
	one := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return roundNum(*v)
	}
	for _, b := range baselines {
		fmt.Fprintf(tw, "  baseline %s\t%s\t%s\t%s\n", b.Name, one(b.Spearman), one(b.TimingErrorWeeks), b.Description)
	}
	tw.Flush()
}

// interval formats a 90% interval [lo, hi] with roundNum.
func interval(lo, hi float64) string {
	if math.IsNaN(lo) && math.IsNaN(hi) {
		return "–"
	}
	return "[" + strings.Join([]string{roundNum(lo), roundNum(hi)}, ", ") + "]"
}
