package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/epstein"
	"github.com/turncoat-abm/turncoat/internal/sysmem"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

type runOptions struct {
	seed    uint64
	ticks   int
	sets    setFlags
	out     string
	json    bool
	every   int
	force   bool
	workers int
	plot    string
	reps    int
	tmpDir  string // the scratch run directory of --json without --out, removed at the end
	outNew  bool   // --out did not exist before the run (removed again if a failed run leaves it empty)
}

func runFlags(stderr io.Writer, o *runOptions) *flag.FlagSet {
	fs := newFlags("run", "turncoat run SCENARIO|PACK|FILE.yaml [--seed N] [--ticks N] [--set k=v]... [--out DIR [--force]] [--json] [--plot png|svg] [--workers N] [--replicates N]", stderr)
	fs.Uint64Var(&o.seed, "seed", 1, "run seed: the same scenario and seed give identical output bytes")
	fs.IntVar(&o.ticks, "ticks", 0, "number of ticks to run (default: the scenario's horizon)")
	fs.Var(&o.sets, "set", "override a scenario field, key=value (repeatable), e.g. regime.repression=0.6")
	fs.StringVar(&o.out, "out", "", "run directory to write (default: a fresh directory under runs/)")
	fs.BoolVar(&o.json, "json", false, "print the summary as JSON on stdout")
	fs.IntVar(&o.every, "every", 8, "print the time series every N ticks")
	fs.BoolVar(&o.force, "force", false, "replace the files of an existing run directory given with --out")
	fs.StringVar(&o.plot, "plot", "", "also draw the figures into DIR/figures: png or svg")
	fs.IntVar(&o.workers, "workers", 0, "goroutines stepping the agents (default: all cores); results are identical for any count")
	fs.IntVar(&o.reps, "replicates", 20, "for a pack of scenarios (arabspring2011): runs per scenario, seeds 1..N")
	return fs
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	defer func() {
		if o.tmpDir != "" {
			os.RemoveAll(o.tmpDir)
		}
	}()
	fs := runFlags(stderr, &o)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: run needs exactly one scenario name or file, got %d arguments", errUsage, len(pos))
	}
	if o.plot != "" && o.plot != "png" && o.plot != "svg" {
		return fmt.Errorf("%w: --plot must be png or svg, got %q", errUsage, o.plot)
	}
	if o.ticks < 0 || o.every < 1 || o.workers < 0 || o.reps < 1 {
		return fmt.Errorf("%w: --ticks and --workers must be >= 0, --every and --replicates >= 1", errUsage)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["ticks"] && o.ticks == 0 {
		return fmt.Errorf("%w: --ticks must be >= 1 (as Ticks in Go); omit --ticks for the scenario's horizon", errUsage)
	}
	if isPack(pos[0]) {
		if given["seed"] || given["workers"] {
			return fmt.Errorf("%w: %s is a pack of scenarios, run with seeds 1..--replicates: --seed and --workers apply to one scenario (%s)", errUsage, pos[0], strings.Join(scenarios.Pack(pos[0]), ", "))
		}
		return runPack(ctx, pos[0], &o, stdout, stderr)
	}
	if given["replicates"] {
		return fmt.Errorf("%w: --replicates is for a pack of scenarios (arabspring2011); for replicates of one scenario use turncoat sweep", errUsage)
	}
	if epstein.IsScenario(pos[0]) {
		return runEpstein(ctx, pos[0], &o, stdout, stderr)
	}
	cfg, err := scenarios.Load(pos[0], o.sets...)
	if err != nil {
		return scenarioError(pos[0], err)
	}
	if o.ticks > 0 {
		cfg.Ticks = o.ticks
		if err := cfg.Validate(); err != nil {
			if strings.Contains(err.Error(), "after the end of the run") {
				return fmt.Errorf("--ticks %d: %w\nhint: a shorter run needs no shock after its end: add --set 'shocks=[]' (or run more ticks)", o.ticks, err)
			}
			return fmt.Errorf("--ticks %d: %w", o.ticks, err)
		}
	}
	hint := "lower scale (--set scale=…) or the number of ticks"
	if cfg.Network.Enabled() {
		hint = "lower scale (--set scale=…), network.degree or the number of ticks"
	}
	if err := sysmem.Check(cfg.MemoryEstimate(), fmt.Sprintf("this run (%d agents, %d ticks)", cfg.Agents(), cfg.Ticks), hint); err != nil {
		return err
	}
	dir, err := o.runDir(cfg.Name)
	if err != nil {
		return err
	}
	m, err := regime.New(cfg)
	if err != nil {
		return err
	}
	workers := o.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	m.SetWorkers(workers)
	prog := &tickProgress{total: cfg.Ticks}
	m.SetObserver(prog.observer())
	stopBeat := startHeartbeat(stderr, fmt.Sprintf("%s (%d agents, %d ticks)", cfg.Name, cfg.Agents(), cfg.Ticks), prog)
	res, err := m.RunDir(ctx, o.seed, dir)
	stopBeat()
	if err != nil {
		return o.runFailed(err, dir)
	}
	removeStaleRunFiles(dir, regime.RunFiles)
	if done, err := o.afterRun(dir, res.Summary, stdout, stderr); done || err != nil {
		return err
	}
	printRun(stdout, res, dir, o.every)
	return nil
}

// freshDir creates and returns a new directory parent/name-YYYYMMDD-HHMMSS
// (with a numeric suffix if that exists).
func freshDir(parent, name string) (string, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	base := filepath.Join(parent, safeName(name)+"-"+time.Now().Format("20060102-150405"))
	for i := 0; ; i++ {
		d := base
		if i > 0 {
			d = fmt.Sprintf("%s-%d", base, i)
		}
		err := os.Mkdir(d, 0o755)
		if err == nil {
			return d, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", err
		}
	}
}

func printRun(w io.Writer, res *regime.Result, dir string, every int) {
	c := &res.Config
	s := &res.Summary
	unit := "ticks"
	if c.TickDays == 7 {
		unit = "weeks"
	}
	total := res.Agents[0] + res.Agents[1] + res.Agents[2]
	fmt.Fprintf(w, "%s — seed %d, %d %s from %s, %d agents (%d citizens, %d soldiers, %d elites), %.2fs\n",
		c.Name, res.Seed, s.Ticks, unit, c.Start, total, res.Agents[agents.Citizen], res.Agents[agents.Soldier], res.Agents[agents.Elite], res.Elapsed.Seconds())
	fmt.Fprintf(w, "run directory: %s\n\n", dir)

	printDeclarations(w, res, unit)
	if len(c.Regions) > 1 || len(s.Exits) > 0 {
		fmt.Fprintln(w, "Exits, in simulated order:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		if len(c.History.Exits) > 0 {
			fmt.Fprintf(tw, "  region\t%s\tsimulated\thistorical\terror (weeks)\t\n", strings.TrimSuffix(unit, "s"))
		} else { // no history to compare with: no empty columns
			fmt.Fprintf(tw, "  region\t%s\tsimulated\t\n", strings.TrimSuffix(unit, "s"))
		}
		for _, e := range s.Exits {
			cells := e.Cells()
			if len(c.History.Exits) == 0 {
				cells = cells[:3]
			}
			fmt.Fprintf(tw, "  %s\t\n", strings.Join(cells, "\t"))
		}
		tw.Flush()
		exited := map[string]bool{}
		for _, e := range s.Exits {
			exited[e.Region] = true
		}
		var stay []string
		for _, g := range c.Regions {
			if !exited[g.Name] {
				stay = append(stay, g.Name)
			}
		}
		if len(stay) > 0 {
			fmt.Fprintf(w, "  never exited: %s\n", strings.Join(stay, ", "))
		}
		fmt.Fprintln(w)
	}
	if s.Collapsed {
		fmt.Fprintf(w, "Regime collapse: %s %d (%s), by %s\n", strings.TrimSuffix(unit, "s"), *s.CollapseTick, *s.CollapseDate, strings.ReplaceAll(s.CollapseCause, "_", " "))
	} else {
		fmt.Fprintln(w, "Regime collapse: none within the horizon")
	}
	if s.Outcome != "" {
		fmt.Fprintf(w, "Outcome: %s (%s)", s.Outcome, outcomeRule(c))
		if h := c.History.Outcome; h != "" {
			fmt.Fprintf(w, "; history: %s", h)
		}
		fmt.Fprintln(w)
	}
	if s.SpearmanVsHistory != nil || s.TimingErrorWeeks != nil {
		rho, te := "n/a", "n/a"
		if s.SpearmanVsHistory != nil {
			rho = fmt.Sprintf("%.3f", *s.SpearmanVsHistory)
		}
		if s.TimingErrorWeeks != nil {
			te = fmt.Sprintf("%.1f weeks", *s.TimingErrorWeeks)
		}
		fmt.Fprintf(w, "Against history: Spearman rank correlation of exit order %s, mean absolute timing error %s\n", rho, te)
	}
	fmt.Fprintln(w)
	printInterpretation(w, res)
	fmt.Fprintln(w, "Defected share over time (exited regions count as defected):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  %s\tdate\tcitizens\tsoldiers\telites\tlegitimacy\trepression\tpay delivered\texited\t\n", strings.TrimSuffix(unit, "s"))
	for i, t := range res.Ticks {
		if i%every != 0 && i != len(res.Ticks)-1 {
			continue
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%d\t\n", t.Tick, t.Date, bar(t.Defected[0]), bar(t.Defected[1]), bar(t.Defected[2]),
			t.Legitimacy, t.Repression, t.Delivery, t.Exited)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nFinal defected share: citizens %.3f, soldiers %.3f, elites %.3f\n", s.FinalShare.Citizen, s.FinalShare.Soldier, s.FinalShare.Elite)
	printModes(w, res, unit)
	printGame(w, s)
	printSeries(w, s)
}

// bar renders a share as a percentage with a small bar.
func bar(v float64) string {
	n := int(math.Round(v * 10))
	return fmt.Sprintf("%5.1f%% %s%s", 100*v, strings.Repeat("█", n), strings.Repeat("·", 10-n))
}

// runEpstein runs an Epstein scenario (a grid model) like any scenario.
func runEpstein(ctx context.Context, name string, o *runOptions, stdout, stderr io.Writer) error {
	sc, err := epstein.Load(name, o.sets...)
	if err != nil {
		return err
	}
	if o.ticks > 0 {
		sc.Ticks = o.ticks
		sc.Snapshots = slices.DeleteFunc(sc.Snapshots, func(t int) bool { return t >= sc.Ticks })
	}
	dir, err := o.runDir(sc.Name)
	if err != nil {
		return err
	}
	sum, err := epstein.RunDir(ctx, sc, o.seed, dir)
	if err != nil {
		return o.runFailed(err, dir)
	}
	removeStaleRunFiles(dir, epsteinRunFiles)
	if done, err := o.afterRun(dir, sum, stdout, stderr); done || err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s (%s variant) — seed %d, %d ticks, %d citizens, %d cops\nrun directory: %s\n",
		sc.Name, sc.Variant, o.seed, sum.Ticks, sum.Citizens, sum.Cops, dir)
	fmt.Fprintf(stdout, "active citizens: mean %.1f, peak %d; bursts (> 50 active, from tick 100): %d; arrests: %d\n",
		sum.MeanActive, sum.PeakActive, sum.Bursts, sum.Arrests)
	return nil
}

// runDir returns the run directory: --out (refused when it holds files,
// unless --force) or a fresh directory under runs/.
func (o *runOptions) runDir(name string) (string, error) {
	if o.out == "" && o.json && o.plot == "" {
		// --json alone prints the summary and leaves no run directory.
		d, err := os.MkdirTemp("", "turncoat-run-")
		o.tmpDir = d
		return d, err
	}
	if o.out == "" {
		return freshDir("runs", fmt.Sprintf("%s-seed%d", name, o.seed))
	}
	if _, err := os.Stat(o.out); errors.Is(err, os.ErrNotExist) {
		o.outNew = true
	}
	if !o.force {
		if entries, err := os.ReadDir(o.out); err == nil && len(entries) > 0 {
			return "", fmt.Errorf("%s exists and is not empty: use --force to replace its run files, or another --out", o.out)
		}
	}
	return o.out, nil
}

// runFailed explains a failed run; a fresh default directory left empty is
// removed.
func (o *runOptions) runFailed(err error, dir string) error {
	if o.out == "" || o.outNew {
		os.Remove(dir) // only removes it if empty
	}
	switch {
	case errors.Is(err, context.Canceled) && o.tmpDir != "":
		return fmt.Errorf("interrupted: %w", err)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted; nothing was written to %s", dir)
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("the disk is full (%w); no partial file was left in %s: free some space and run again", err, dir)
	}
	return err
}

// afterRun draws the figures when --plot asks and, with --json, prints the
// summary; it reports whether the output is complete.
func (o *runOptions) afterRun(dir string, summary any, stdout, stderr io.Writer) (bool, error) {
	if o.plot != "" {
		paths, err := plotDir(dir, "", o.plot)
		if err != nil {
			return true, err
		}
		fmt.Fprintf(stderr, "figures: %s\n", filepath.Dir(paths[0]))
	}
	if !o.json {
		return false, nil
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(summary); err != nil {
		return true, err
	}
	if o.tmpDir == "" {
		fmt.Fprintf(stderr, "wrote %s\n", dir)
	}
	return true, nil
}
