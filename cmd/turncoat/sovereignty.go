package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/regime"
)

// printDeclarations prints the declarations of sovereignty of a run whose
// scenario has a sovereignty rule (nothing otherwise).
func printDeclarations(w io.Writer, res *regime.Result, unit string) {
	s := &res.Summary
	if s.Declarations == nil {
		return
	}
	fmt.Fprintln(w, "Declarations of sovereignty, in simulated order:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  region\t%s\tsimulated\thistorical\terror (weeks)\t\n", strings.TrimSuffix(unit, "s"))
	for _, e := range s.Declarations {
		fmt.Fprintf(tw, "  %s\t\n", strings.Join(e.Cells(), "\t"))
	}
	tw.Flush()
	declared := map[string]bool{}
	for _, e := range s.Declarations {
		declared[e.Region] = true
	}
	var none []string
	for _, g := range res.Config.Regions {
		if !declared[g.Name] {
			none = append(none, g.Name)
		}
	}
	if len(none) > 0 {
		fmt.Fprintf(w, "  never declared: %s\n", strings.Join(none, ", "))
	}
	if s.SpearmanSovereignty != nil || s.TimingErrorSovereigntyWeeks != nil {
		rho, te := "n/a", "n/a"
		if s.SpearmanSovereignty != nil {
			rho = fmt.Sprintf("%.3f", *s.SpearmanSovereignty)
		}
		if s.TimingErrorSovereigntyWeeks != nil {
			te = fmt.Sprintf("%.1f weeks", *s.TimingErrorSovereigntyWeeks)
		}
		fmt.Fprintf(w, "  against history: Spearman %s, mean absolute timing error %s\n", rho, te)
	}
	fmt.Fprintln(w)
}
