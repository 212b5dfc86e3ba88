package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

// printModes prints the final shares by defection mode and the emigrants
// of a run whose scenario has a modes block (nothing otherwise).
func printModes(w io.Writer, res *regime.Result, unit string) {
	s := &res.Summary
	if s.Modes == nil || len(res.Ticks) == 0 {
		return
	}
	fmt.Fprintln(w, "\nDefection modes, final shares of each role:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  role\tloyal\tvoice\texit\tswitch\tshirk\tjailed\t\n")
	last := &res.Ticks[len(res.Ticks)-1]
	for _, r := range agents.Roles {
		m := s.Modes.Get(r)
		loyal := 1 - m.Voice - m.Exit - m.Switch - m.Shirk - last.Jailed[r]
		fmt.Fprintf(tw, "  %s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", r, loyal, m.Voice, m.Exit, m.Switch, m.Shirk, last.Jailed[r])
	}
	tw.Flush()
	peak, at := 0.0, 0
	for _, t := range res.Ticks {
		if t.Emigrants > peak {
			peak, at = t.Emigrants, t.Tick
		}
	}
	fmt.Fprintf(w, "Emigrants: %.0f people in all", *s.EmigrantsTotal)
	if peak > 0 {
		fmt.Fprintf(w, "; most in one %s: %.0f (%s %d, %s)", unitName(unit), peak, unitName(unit), at, res.Config.DateOf(at))
	}
	fmt.Fprintln(w)
}

// unitName returns the singular of a tick unit ("weeks" -> "week").
func unitName(unit string) string {
	if n := len(unit); n > 1 && unit[n-1] == 's' {
		return unit[:n-1]
	}
	return unit
}
