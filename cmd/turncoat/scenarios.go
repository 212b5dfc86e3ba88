package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/epstein"
	"github.com/turncoat-abm/turncoat/scenarios"
)

func cmdScenarios(stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, s := range scenarios.List() {
		fmt.Fprintf(tw, "%s\t%s\n", s.Name, s.Description)
	}
	for _, s := range epstein.Builtins() {
		fmt.Fprintf(tw, "%s\t%s\n", s.Name, s.Description)
	}
	return tw.Flush()
}

func cmdShow(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("show", "turncoat show SCENARIO|FILE.yaml [--set key=value]...", stderr)
	var sets setFlags
	fs.Var(&sets, "set", "override a field: key=value (repeatable)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: show needs one scenario name or file", errUsage)
	}
	if epstein.IsScenario(pos[0]) {
		return showEpstein(pos[0], sets, stdout)
	}
	cfg, err := scenarios.Load(pos[0], sets...)
	if err != nil {
		return scenarioError(pos[0], err)
	}
	b, err := cfg.YAML()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
