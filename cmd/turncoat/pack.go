package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
	"github.com/turncoat-abm/turncoat/validate"
)

// isPack reports whether name is a pack of built-in scenarios (and not a
// file or a built-in scenario of that name), or a case table.
func isPack(name string) bool {
	if scenarios.IsCaseTable(name) { // a case table runs as a pack of its rows
		return len(scenarios.Pack(name)) > 0
	}
	if _, err := scenarios.Source(name); err == nil {
		return false
	}
	if _, err := os.Stat(name); err == nil {
		return false
	}
	return len(scenarios.Pack(name)) > 0
}

// runPack runs every scenario of a pack for seeds 1..--replicates and
// prints each one's outcome classes beside history (or, with --json, the
// same as JSON).
func runPack(ctx context.Context, pack string, o *runOptions, stdout io.Writer) error {
	if o.out != "" || o.plot != "" || o.ticks > 0 {
		return fmt.Errorf("%w: %s is a pack of scenarios: run one of them (%s) for --out, --plot or --ticks", errUsage, pack, strings.Join(scenarios.Pack(pack), ", "))
	}
	outs, err := validate.PackOutcomes(ctx, pack, o.reps, o.sets...)
	if err != nil {
		return err
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(outs)
	}
	cfg, err := scenarios.Load(outs[0].Scenario, o.sets...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s — %d scenarios, %d replicates each (seeds 1..%d)\nclasses: %s\n\n", pack, len(outs), o.reps, o.reps, outcomeRule(&cfg))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tdefected\tsplit\tloyal\tmodal\thistory\tmatch")
	matches := 0
	for _, p := range outs {
		if p.Match {
			matches++
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%v\n", p.Scenario, p.Dist.Defected, p.Dist.Split, p.Dist.Loyal, p.Modal, p.History, p.Match)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nmodal class matches history in %d of %d\n", matches, len(outs))
	return nil
}

// outcomeRule describes a scenario's outcome classes in one line.
func outcomeRule(c *regime.Config) string {
	r := c.Outcome
	return fmt.Sprintf("defected = the regime collapsed; split = no collapse, soldiers' defected share >= %g for %d ticks; loyal = otherwise", r.Split, r.Persist)
}
