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

const usage = `turncoat — regime defection-risk agent-based modelling

Usage:
  turncoat scenarios                       list the built-in scenarios
  turncoat show SCENARIO|FILE [--set k=v]  print the resolved scenario as YAML
  turncoat run SCENARIO|FILE [flags]       run a scenario and write a run directory
  turncoat run PACK [--replicates N]       run a pack (arabspring2011): outcome classes per scenario
  turncoat sweep SWEEP.yaml [flags]        run a Monte Carlo sweep (grid, lhs, sobol)
  turncoat merge SHARD_DIR... --out DIR    combine the shards of a sweep
  turncoat bench [--json] [--long] [--only TEXT]  benchmark the cascade scenarios
  turncoat plot DIR [--format png|svg]     figures of a run or sweep directory
  turncoat report DIR [--out FILE.html]    one self-contained HTML report
  turncoat validate [--json]               reproduce the classic models and check the results
  turncoat cases build FILE.csv [--out DIR]  build scenario files from a case table (run FILE.csv#CASE)
  turncoat serve [--addr 127.0.0.1:8080] [SCENARIO|FILE|DIR]  explore a scenario live in the browser
  turncoat help [COMMAND]                  show help

Run "turncoat help run" or "turncoat help sweep" for the flags.
`

// errUsage marks command-line mistakes (exit status 2).
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "turncoat:", strings.TrimPrefix(err.Error(), "usage: "))
		}
		if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: no command", errUsage)
	}
	switch cmd, rest := args[0], args[1:]; cmd {
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
	case "help", "-h", "--help":
		if len(rest) > 0 {
			switch rest[0] {
			case "run":
				runFlags(io.Discard, &runOptions{}).SetOutput(stdout)
				fs := runFlags(stdout, &runOptions{})
				fs.Usage()
				return nil
			case "sweep":
				if err := cmdSweep(ctx, []string{"-h"}, stdout, stdout); !errors.Is(err, flag.ErrHelp) {
					return err
				}
				return nil
			case "cases":
				fmt.Fprint(stdout, casesUsage)
				return nil
			case "serve":
				fmt.Fprintln(stdout, "usage: "+serveUsage+"\nSee docs/SERVE.md.")
				return nil
			case "show":
				fmt.Fprintln(stdout, "usage: turncoat show SCENARIO|FILE.yaml [--set key=value]...")
				return nil
			}
		}
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
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
			return nil, err
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
