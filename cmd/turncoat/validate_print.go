package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/turncoat-abm/turncoat/validate"
)

// printValidation prints the check rows, then the info rows (measurements
// without a criterion, not counted) apart, then the count.
func printValidation(w io.Writer, rep *validate.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "check\tvalue\texpected\ttolerance\tpass\treference")
	var infos []validate.Check
	for _, c := range rep.Checks {
		if c.Kind == validate.KindInfo {
			infos = append(infos, c)
			continue
		}
		fmt.Fprintf(tw, "%s\t%.4g\t%s\t%s\t%v\t%s\n", c.Name, c.Value, opt(c.Expected), opt(c.Tolerance), c.Passed(), c.Reference)
	}
	tw.Flush()
	if len(infos) > 0 {
		fmt.Fprintf(w, "\ninformation (no criterion, not counted):\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "row\tvalue\tanalytic\treference")
		for _, c := range infos {
			fmt.Fprintf(tw, "%s\t%.4g\t%s\t%s\n", c.Name, c.Value, opt(c.Analytic), c.Reference)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\n%d passed, %d failed (%d information rows)\n", rep.Passed, rep.Failed, len(infos))
}

// validateProgress prints the group being run on a terminal (stderr), one
// line per group, and nothing elsewhere.
func validateProgress(w io.Writer) func(string, int, int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	start := time.Now()
	return func(group string, done, total int) {
		if group == "" {
			fmt.Fprintf(w, "\rvalidate: %d/%d groups done in %s\033[K\n", done, total, time.Since(start).Round(time.Second))
			return
		}
		fmt.Fprintf(w, "\rvalidate: %d/%d groups done (%s), running %s…\033[K", done, total, time.Since(start).Round(time.Second), group)
	}
}
