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
	channels := false // a channel column only when the channels are recorded (AssetsRule)
	for _, e := range s.Declarations {
		channels = channels || e.Channel != ""
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "  region\t%s\tsimulated\thistorical\terror (weeks)\t"
	if channels {
		head += "channel\t"
	}
	fmt.Fprintf(tw, head+"\n", strings.TrimSuffix(unit, "s"))
	for _, e := range s.Declarations {
		cells := e.Cells()
		if channels {
			cells = append(cells, e.Channel)
		}
		fmt.Fprintf(tw, "  %s\t\n", strings.Join(cells, "\t"))
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
