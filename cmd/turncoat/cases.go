package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/scenarios"
)

const casesUsage = `usage: turncoat cases build FILE.csv [--out DIR] [--case NAME]... [--sample NAME]
       turncoat cases list FILE.csv

A case table has one row per uprising: indicators from public datasets
(population, armed forces, GDP per head, fuel rents, the core group's hold
on the officer corps, parallel forces, the military economy, peak protest,
the regime's first response, outside support) and, for scoring only, the
military's observed response. "build" turns each row into a scenario file
DIR/CASE.yaml through the one documented mapping (docs/SCENARIOS.md); the
outcome columns are never read. "list" prints the cases. uprisings.csv
names the embedded table (scenarios/data/uprisings.csv) when no such file
exists. Run one row directly with: turncoat run FILE.csv#CASE; all rows as
a pack with: turncoat run FILE.csv.
`

func cmdCases(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, casesUsage)
		if len(args) == 0 {
			return fmt.Errorf("%w: cases needs a subcommand: build or list", errUsage)
		}
		return nil
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "build":
		return casesBuild(rest, stdout, stderr)
	case "list":
		return casesList(rest, stdout, stderr)
	default:
		fmt.Fprint(stderr, casesUsage)
		return fmt.Errorf("%w: unknown cases subcommand %q (build, list)", errUsage, sub)
	}
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func casesBuild(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cases build", "turncoat cases build FILE.csv [--out DIR] [--case NAME]... [--sample NAME]", stderr)
	out := fs.String("out", ".", "directory for the scenario files (created if missing)")
	var only stringList
	fs.Var(&only, "case", "build only this case (repeatable)")
	sample := fs.String("sample", "", "build only the cases of this sample (the sample column)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: cases build needs one case table (FILE.csv)", errUsage)
	}
	t, err := scenarios.CaseTable(pos[0])
	if err != nil {
		return err
	}
	for _, name := range only {
		if _, err := t.Case(name); err != nil {
			return err
		}
	}
	m := cases.DefaultMapping()
	type file struct {
		name string
		data []byte
	}
	var files []file
	for i := range t.Cases {
		c := &t.Cases[i]
		if len(only) > 0 && !slices.Contains(only, c.Name()) || *sample != "" && c.Inputs.Sample != *sample {
			continue
		}
		data, err := m.YAML(t, c)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", t.File, c.Line, err)
		}
		files = append(files, file{c.Name() + ".yaml", data})
	}
	if len(files) == 0 {
		return fmt.Errorf("%w: no case of %s matches --case/--sample", errUsage, t.File)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, f := range files { // every file is built before any is written
		path := filepath.Join(*out, f.name)
		af, err := abm.CreateAtomic(path)
		if err != nil {
			return err
		}
		if _, err := af.Write(f.data); err != nil {
			af.Abort()
			return err
		}
		if err := af.Commit(); err != nil {
			return err
		}
		fmt.Fprintln(stdout, path)
	}
	return nil
}

func casesList(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cases list", "turncoat cases list FILE.csv", stderr)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: cases list needs one case table (FILE.csv)", errUsage)
	}
	t, err := scenarios.CaseTable(pos[0])
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "case\tcountry\tonset\tsample\tmilitary response (scoring only)\tsource")
	for i := range t.Cases {
		c := &t.Cases[i]
		resp := string(c.Outcome.Military)
		if resp == "" {
			resp = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Name(), c.Inputs.Country, c.Inputs.Onset, c.Inputs.Sample, resp, c.Outcome.Source)
	}
	return tw.Flush()
}
