package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/regime"
)

// printSeries prints each history series beside the model's output at its
// points, then the fit on the shape beside the naive baselines.
func printSeries(w io.Writer, s *regime.Summary) {
	for _, f := range s.Series {
		where := f.Output
		if f.Region != "" {
			where += " in " + f.Region
		}
		brk := ""
		if f.Break != nil {
			brk = ", break " + *f.Break
		}
		fmt.Fprintf(w, "\nHistory series %q against %s (%s, %d points%s):\n", f.Name, where, f.Aggregate, f.Points, brk)
		if f.Points == 0 {
			fmt.Fprintln(w, "  no point falls within the run")
			continue
		}
		k := f.Scale
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  date\thistory\tmodel\tmodel × %.3g\t\n", k)
		for i, d := range f.Dates {
			fmt.Fprintf(tw, "  %s\t%s\t%.4g\t%s\t\n", d, count(f.History[i]), f.ModelValues[i], count(k*f.ModelValues[i]))
		}
		tw.Flush()
		fits := []regime.BaselineFit{{Name: "model", Fit: f.Model}}
		fits = append(fits, f.Baselines...)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := "  fit on the shape\t"
		for _, b := range fits {
			head += b.Name + "\t"
		}
		fmt.Fprintln(tw, head)
		rows := []struct {
			name string
			get  func(regime.Fit) *float64
			f    string
		}{
			{"log correlation (higher is better)", func(x regime.Fit) *float64 { return x.PearsonLog }, "%.3f"},
			{"log RMSE, level-free (lower)", func(x regime.Fit) *float64 { return x.RMSELog }, "%.3f"},
			{"peak error, weeks", func(x regime.Fit) *float64 { return x.PeakErrorWeeks }, "%+.0f"},
		}
		if f.Break != nil {
			hr := "n/a"
			if f.HistoryBreakRatio != nil {
				hr = fmt.Sprintf("%.3g", *f.HistoryBreakRatio)
			}
			rows = append(rows,
				struct {
					name string
					get  func(regime.Fit) *float64
					f    string
				}{"after/before break (history " + hr + ")", func(x regime.Fit) *float64 { return x.BreakRatio }, "%.3g"},
				struct {
					name string
					get  func(regime.Fit) *float64
					f    string
				}{"|log break ratio error| (lower)", func(x regime.Fit) *float64 { return x.BreakLogError }, "%.3f"})
		}
		for _, r := range rows {
			line := "  " + r.name + "\t"
			for _, b := range fits {
				if v := r.get(b.Fit); v != nil {
					line += fmt.Sprintf(r.f, *v) + "\t"
				} else {
					line += "n/a\t"
				}
			}
			fmt.Fprintln(tw, line)
		}
		tw.Flush()
	}
}

// count formats a count of people with thousands separators.
func count(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	neg := v < 0
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// appendRunExtras adds to a run's figures the stacked modes figure (when
// ticks.csv has mode columns) and one figure per history series.
func appendRunExtras(figs []plots.Figure, dir string, res *regime.Result) ([]plots.Figure, error) {
	mf, err := plots.ModeFigures(dir)
	if err != nil {
		return nil, err
	}
	sf, err := plots.SeriesFigures(res)
	if err != nil {
		return nil, err
	}
	return append(append(figs, mf...), sf...), nil
}
