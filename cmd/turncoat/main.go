// Command turncoat runs regime defection-risk agent-based models.
//
// Usage:
//
//	turncoat scenarios
//	turncoat show SCENARIO|FILE.yaml [--set k=v]...
//	turncoat run SCENARIO|FILE.yaml [--seed N] [--ticks N] [--set k=v]... [--out DIR [--force]] [--json] [--every N] [--workers N]
//	turncoat run PACK [--replicates N] [--set k=v]... [--json]
//	turncoat sweep SWEEP.yaml [--workers N] [--out DIR] [--resume | --force] [--shard i/n] [--set k=v]... [--quiet]
//	turncoat merge SHARD_DIR... --out DIR
//	turncoat bench [--json] [--long] [--only TEXT]
//	turncoat cases build FILE.csv [--out DIR] | cases list FILE.csv
//	turncoat help [COMMAND] | COMMAND --help | version
//
// See the README for the full reference.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// errUsage marks command-line mistakes (exit status 2).
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	code := exitCode(ctx, err)
	stop()
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "usage: ")
		if code == exitInterrupted && !strings.HasPrefix(msg, "interrupted") {
			msg = "interrupted: " + msg
		}
		fmt.Fprintln(os.Stderr, "turncoat:", msg)
	}
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, generalUsage())
		return fmt.Errorf("%w: no command", errUsage)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			return printHelp(ctx, rest[0], stdout)
		}
		fmt.Fprint(stdout, generalUsage())
		return nil
	case "version", "--version", "-version":
		return cmdVersion(stdout)
	}
	if _, ok := lookupCommand(cmd); ok && wantsHelp(rest) {
		return printHelp(ctx, cmd, stdout)
	}
	return dispatch(ctx, cmd, rest, stdout, stderr)
}

// dispatch runs command cmd with its arguments.
func dispatch(ctx context.Context, cmd string, rest []string, stdout, stderr io.Writer) error {
	switch cmd {
	case "scenarios":
		return cmdScenarios(stdout)
	case "show":
		return cmdShow(rest, stdout, stderr)
	case "run":
		return cmdRun(ctx, rest, stdout, stderr)
	case "sweep":
		return cmdSweep(ctx, rest, stdout, stderr)
	case "merge":
		return cmdMerge(ctx, rest, stdout, stderr)
	case "calibrate":
		return cmdCalibrate(ctx, rest, stdout, stderr)
	case "bench":
		return cmdBench(ctx, rest, stdout, stderr)
	case "plot":
		return cmdPlot(rest, stdout, stderr)
	case "report":
		return cmdReport(rest, stdout, stderr)
	case "validate":
		return cmdValidate(ctx, rest, stdout, stderr)
	case "cases":
		return cmdCases(rest, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	default:
		return unknownCommand(cmd)
	}
}

// setFlags collects repeated --set key=value flags.
type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, " ") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

// newFlags returns a subcommand's flag set writing to stderr, whose usage
// prints the usage line and the flags.
func newFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: "+usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterleaved parses flags that may come before or after positional
// arguments and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %w", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
