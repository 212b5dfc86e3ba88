package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/turncoat-abm/turncoat/regime"
)

// drivers states in one line what drives a built-in scenario's cascade
// (checked: with shocks=[] soviet1991 has no exit and no collapse).
var drivers = map[string]string{
	"soviet1991": "the cascade is triggered by the scheduled August 1991 coup (shocks \"coup collapse\" and \"August coup\"): without the shocks no republic exits and the regime does not collapse. Collapse here means Russia exits (or coercive capacity falls below 0.2): Russia holds 51% of the population and the rule is exited population >= 0.5",
}

// printInterpretation explains the run output: the sign of the timing
// error, which shocks fired and what they changed, and what drives the
// cascade, with the no-shock counterfactual one command away.
func printInterpretation(w io.Writer, res *regime.Result) {
	c := &res.Config
	s := &res.Summary
	if len(s.Exits) > 0 && len(c.History.Exits) > 0 {
		fmt.Fprintln(w, "error (weeks) = simulated − historical date: negative = the region left earlier than in history, positive = later")
	}
	var fired []string
	for _, e := range res.Events {
		if e.Kind != regime.EventShockStart {
			continue
		}
		fired = append(fired, e.Detail)
	}
	if len(c.Shocks) > 0 {
		fmt.Fprintln(w, "Shocks (scheduled changes; from its start a shock's set/scale overrides the --set value of that field):")
		for _, sh := range c.Shocks {
			when := ""
			switch {
			case sh.At != nil:
				when = sh.At.String()
			case sh.Tick != nil:
				when = fmt.Sprintf("tick %d", *sh.Tick)
			}
			state := "did not fire (after the end of the run)"
			if slices.Contains(fired, sh.Name) {
				state = "fired"
			}
			fmt.Fprintf(w, "  %s, %s, %s: %s\n", sh.Name, when, shockDuration(sh.Duration), state)
			if ch := shockChanges(sh); ch != "" {
				fmt.Fprintf(w, "    %s\n", ch)
			}
		}
	}
	if d, ok := drivers[c.Name]; ok {
		fmt.Fprintf(w, "What drives it: %s.\n", d)
	}
	if len(c.Shocks) > 0 {
		fmt.Fprintf(w, "Counterfactual without the shocks: turncoat run %s --seed %d --set 'shocks=[]'\n", c.Name, res.Seed)
	}
	fmt.Fprintln(w)
}

func shockDuration(d int) string {
	switch d {
	case 0:
		return "to the end of the run"
	case 1:
		return "for 1 tick"
	}
	return fmt.Sprintf("for %d ticks", d)
}

// shockChanges lists a shock's settings and scalings in field order.
func shockChanges(sh regime.Shock) string {
	var parts []string
	for _, k := range slices.Sorted(mapKeys(sh.Set)) {
		parts = append(parts, fmt.Sprintf("%s = %g", k, sh.Set[k]))
	}
	for _, k := range slices.Sorted(mapKeys(sh.Scale)) {
		parts = append(parts, fmt.Sprintf("%s × %g", k, sh.Scale[k]))
	}
	return strings.Join(parts, ", ")
}

func mapKeys(m map[string]float64) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
