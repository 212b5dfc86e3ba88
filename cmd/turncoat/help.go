package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/turncoat-abm/turncoat/internal/yamlx"
)

// Exit statuses of turncoat, documented in the README ("Exit status").
const (
	exitOK          = 0   // success
	exitFailure     = 1   // the command ran and failed (bad scenario, I/O, a failed check)
	exitUsage       = 2   // command-line mistake: unknown command or flag, bad flag value, missing argument
	exitInterrupted = 130 // interrupted (Ctrl-C / SIGINT or SIGTERM)
)

// command is one entry of the help table. A new command adds an entry here
// (and a case in run's switch): help, --help and "did you mean" for
// commands all read this table.
type command struct {
	name    string
	summary string // one line for the general usage
	usage   string // the usage line(s), description and examples of `turncoat help NAME`
	flags   bool   // NAME -h prints the flags (the command parses a flag set)
}

var commands = []command{
	{"scenarios", "list the built-in scenarios", `usage: turncoat scenarios

Lists every built-in scenario (regime models, packs' cases and the epstein-*
civil-violence variants) with a one-line description.

Examples:
  turncoat scenarios
`, false},
	{"show", "print the resolved scenario as YAML", `usage: turncoat show SCENARIO|FILE.yaml [--set key=value]...

Prints the scenario with every default filled in and the --set overrides
applied: the YAML to copy into a file and edit.

Examples:
  turncoat show soviet1991
  turncoat show epstein-mesa --set vision=2
`, true},
	{"run", "run a scenario (or a pack) and write a run directory", `usage: turncoat run SCENARIO|PACK|FILE.yaml [flags]

Runs one scenario and writes a run directory (series.csv, exits.csv,
summary.json, scenario.yaml) under runs/ or --out. A pack (arabspring2011,
FILE.csv of cases) runs every case --replicates times. --json prints the
summary object on stdout and writes files only when --out is given.

Examples:
  turncoat run soviet1991
  turncoat run soviet1991 --set 'shocks=[]'        # the no-shock counterfactual
  turncoat run soviet1991 --seed 7 --json
  turncoat run arabspring2011 --replicates 10
  turncoat run epstein-paper --plot png
`, true},
	{"sweep", "run a Monte Carlo sweep (grid, lhs, sobol)", `usage: turncoat sweep SWEEP.yaml [flags]

Runs the design of SWEEP.yaml and writes points.csv, replicates.csv and
sweep.json into --out. Note: a sweep's --set edits the SWEEP file, not the
scenario; to change a scenario field for every point use set.FIELD, e.g.
--set set.regime.surveillance=0.5.

Examples:
  turncoat sweep examples/sweep/sweep.yaml --out runs/sweep1
  turncoat sweep s.yaml --set replicates=4 --set set.regime.surveillance=0.5
`, true},
	{"merge", "combine the shards of a sweep", `usage: turncoat merge SHARD_DIR... --out DIR

Combines the directories written by sweep --shard i/n into one sweep
directory, identical to an unsharded run.

Examples:
  turncoat merge runs/s-1of2 runs/s-2of2 --out runs/s
`, true},
	{"calibrate", "fit a scenario to its history (ABC-SMC), check it on held-out targets", `usage: turncoat calibrate SPEC.yaml [flags]

Fits the parameters of SPEC.yaml's scenario to its dated history with ABC-SMC
and checks the fit on held-out targets (--holdout) or by cross-validation.
See docs/CALIBRATION.md.

Examples:
  turncoat calibrate examples/calibrate/soviet1991.yaml --out runs/cal
  turncoat calibrate examples/calibrate/soviet1991.yaml --cross-validate
`, true},
	{"bench", "benchmark the cascade scenarios", `usage: turncoat bench [--json] [--long] [--only TEXT]

Times the built-in cascade cases and the Epstein civil-violence variants and
prints agent-steps per second. --only keeps the cases whose name contains
TEXT.

Examples:
  turncoat bench
  turncoat bench --only epstein --json
`, true},
	{"plot", "figures of a run or sweep directory", `usage: turncoat plot DIR [--format png|svg] [--out DIR]

Draws the figures of a run or sweep directory into DIR/figures.

Examples:
  turncoat plot runs/soviet1991-seed1
`, true},
	{"report", "one self-contained HTML report", `usage: turncoat report DIR [--out FILE.html]

Writes one self-contained HTML page (figures inlined) for a run or sweep
directory.

Examples:
  turncoat report runs/soviet1991-seed1 --out report.html
`, true},
	{"validate", "reproduce the classic models and check the results", `usage: turncoat validate [--json] [--replicates N] [--plot DIR]

Reproduces Granovetter, Kuran, Epstein and the historical cases and checks
each result against its published or documented value; exits 1 if a check
fails. --plot takes a directory (validate has many figures).

Examples:
  turncoat validate
  turncoat validate --json --plot figs
`, true},
	{"cases", "build scenario files from a case table", casesUsage + `
Examples:
  turncoat cases list uprisings.csv
  turncoat run uprisings.csv#egypt2011
`, false},
	{"serve", "explore a scenario live in the browser", "usage: " + serveUsage + `

Serves a local web page to run a scenario (or browse a run or sweep
directory) and watch it live. See docs/SERVE.md.

Examples:
  turncoat serve soviet1991
  turncoat serve --addr 127.0.0.1:9000 runs/soviet1991-seed1
`, true},
	{"version", "print the version and VCS revision", `usage: turncoat version

Prints the module version and the VCS revision the binary was built from
(from Go's build information).
`, false},
	{"help", "show help for a command", `usage: turncoat help [COMMAND]
`, false},
}

// lookupCommand returns the help entry of name.
func lookupCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func commandNames() []string {
	var n []string
	for _, c := range commands {
		n = append(n, c.name)
	}
	return n
}

// generalUsage is the text of `turncoat help`.
func generalUsage() string {
	var b strings.Builder
	b.WriteString("turncoat — regime defection-risk agent-based modelling\n\nUsage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  turncoat %-10s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Run "turncoat help COMMAND" (or "turncoat COMMAND --help") for its flags and examples.
Exit status: 0 ok, 1 failure, 2 usage error (unknown command or flag, bad value), 130 interrupted.
`)
	return b.String()
}

// unknownCommand is the usage error of a name that is no command.
func unknownCommand(name string) error {
	hint := ""
	if s := yamlx.Suggest(name, commandNames()); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%w: unknown command %q%s; commands: %s", errUsage, name, hint, strings.Join(commandNames(), ", "))
}

// printHelp writes the help of command name to w: its usage text and,
// when it has flags, the flags.
func printHelp(ctx context.Context, name string, w io.Writer) error {
	c, ok := lookupCommand(name)
	if !ok {
		return unknownCommand(name)
	}
	fmt.Fprint(w, c.usage)
	if !c.flags {
		return nil
	}
	var buf bytes.Buffer
	err := dispatch(ctx, name, []string{"-h"}, io.Discard, &buf)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return err
	}
	var flags []string
	for _, l := range strings.SplitAfter(buf.String(), "\n") {
		if strings.HasPrefix(l, "usage:") || strings.HasPrefix(l, "Usage of") {
			continue
		}
		flags = append(flags, l)
	}
	if f := strings.Join(flags, ""); strings.TrimSpace(f) != "" {
		fmt.Fprint(w, "\nFlags:\n"+f)
	}
	return nil
}

// wantsHelp reports whether args (before any "--") ask for help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// exitCode maps the error of run to the process exit status.
func exitCode(ctx context.Context, err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return exitInterrupted
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		return exitUsage
	}
	return exitFailure
}
