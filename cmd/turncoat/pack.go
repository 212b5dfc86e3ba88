package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/plots"
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

// packSummary is the JSON object of `run PACK --json` and pack.json.
type packSummary struct {
	Pack       string                 `json:"pack"`
	Replicates int                    `json:"replicates"`
	Matches    int                    `json:"matches"`
	Scenarios  []validate.PackOutcome `json:"scenarios"`
}

// runPack runs every scenario of a pack for seeds 1..--replicates, writes
// a run directory (pack.json, outcomes.csv, figures with --plot) and
// prints each one's outcome classes beside history (or, with --json, the
// pack.json object).
func runPack(ctx context.Context, pack string, o *runOptions, stdout, stderr io.Writer) error {
	sets := o.sets
	if o.ticks > 0 {
		sets = append(slices.Clone(sets), fmt.Sprintf("ticks=%d", o.ticks))
	}
	outs, err := validate.PackOutcomes(ctx, pack, o.reps, sets...)
	if err != nil {
		return err
	}
	sum := packSummary{Pack: pack, Replicates: o.reps, Scenarios: outs}
	for _, p := range outs {
		if p.Match {
			sum.Matches++
		}
	}
	name := strings.TrimSuffix(filepath.Base(pack), ".csv")
	var dir string
	if o.out == "" && !(o.json && o.plot == "") {
		dir, err = freshDir("runs", fmt.Sprintf("%s-%dreps", name, o.reps)) // seeds 1..reps, not one seed
	} else {
		dir, err = o.runDir(name)
	}
	if err != nil {
		return err
	}
	if err := writePackDir(dir, &sum); err != nil {
		return err
	}
	if o.plot != "" {
		labels := make([]string, len(outs))
		dists := make([]regime.OutcomeDist, len(outs))
		for i, p := range outs {
			labels[i], dists[i] = fmt.Sprintf("%s (history: %s)", p.Scenario, p.History), p.Dist
		}
		fig, err := plots.OutcomeBars("outcomes", fmt.Sprintf("%s: outcome classes, %d replicates each", pack, o.reps), labels, dists)
		if err != nil {
			return err
		}
		if _, err := plots.Write([]plots.Figure{fig}, filepath.Join(dir, "figures"), o.plot); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "figures: %s\n", filepath.Join(dir, "figures"))
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			return err
		}
		if o.tmpDir == "" {
			fmt.Fprintf(stderr, "wrote %s\n", dir)
		}
		return nil
	}
	cfg, err := scenarios.Load(outs[0].Scenario, sets...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s — %d scenarios, %s each (seeds 1..%d)\nclasses: %s\nrun directory: %s\n\n", pack, len(outs), plural(o.reps, "replicate"), o.reps, outcomeRule(&cfg), dir)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tdefected\tsplit\tloyal\tmodal\thistory\tmatch")
	for _, p := range outs {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%v\n", p.Scenario, p.Dist.Defected, p.Dist.Split, p.Dist.Loyal, p.Modal, p.History, p.Match)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nmodal class matches history in %d of %d\n", sum.Matches, len(outs))
	return nil
}

// writePackDir writes pack.json and outcomes.csv into dir, each via a
// temporary file and rename.
func writePackDir(dir string, sum *packSummary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"scenario", "defected", "split", "loyal", "modal", "history", "match"})
	for _, p := range sum.Scenarios {
		w.Write([]string{p.Scenario, strconv.Itoa(p.Dist.Defected), strconv.Itoa(p.Dist.Split), strconv.Itoa(p.Dist.Loyal), string(p.Modal), string(p.History), strconv.FormatBool(p.Match)})
	}
	w.Flush()
	for name, data := range map[string][]byte{"pack.json": append(js, '\n'), "outcomes.csv": []byte(b.String())} {
		tmp := filepath.Join(dir, "."+name+".tmp")
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// outcomeRule describes a scenario's outcome classes in one line.
func outcomeRule(c *regime.Config) string {
	r := c.Outcome
	return fmt.Sprintf("defected = the regime collapsed; split = no collapse, soldiers' defected share >= %g for %d ticks; loyal = otherwise", r.Split, r.Persist)
}
