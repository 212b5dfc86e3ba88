package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/turncoat-abm/turncoat/internal/sysmem"
	"github.com/turncoat-abm/turncoat/sweep"
)

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep", "turncoat sweep SWEEP.yaml [--workers N] [--out DIR] [--resume | --force] [--shard i/n | --shard auto [--shards N]] [--set k=v]... [--quiet]", stderr)
	workers := fs.Int("workers", 0, "worker goroutines (default: the sweep file's, else all cores); never changes results")
	out := fs.String("out", "", "sweep directory (default: a fresh runs/<name>-<time>/)")
	resume := fs.Bool("resume", false, "finish an interrupted sweep in --out, skipping finished runs")
	shard := fs.String("shard", "", "run only shard i/n of the points (combine shards with turncoat merge); auto: the array task's shard, from the scheduler's environment, into --out DIR/shard-I-of-N")
	shards := fs.Int("shards", 0, "with --shard auto: the number of shards, where the scheduler does not tell it (Kubernetes, PBS, LSF, HTCondor)")
	quiet := fs.Bool("quiet", false, "no progress output")
	force := fs.Bool("force", false, "start the sweep again in a non-empty --out, replacing its sweep files")
	plotFormat := fs.String("plot", "", "also draw the figures into DIR/figures: png or svg")
	var sets setFlags
	fs.Var(&sets, "set", "override a field of the sweep file, key=value (repeatable), e.g. replicates=50")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: sweep needs exactly one sweep file", errUsage)
	}
	if *workers < 0 {
		return fmt.Errorf("%w: --workers must be >= 0", errUsage)
	}
	if *plotFormat != "" && *plotFormat != "png" && *plotFormat != "svg" {
		return fmt.Errorf("%w: --plot must be png or svg, got %q", errUsage, *plotFormat)
	}
	if *resume && *force {
		return fmt.Errorf("%w: --resume and --force exclude each other", errUsage)
	}
	if *resume && *out == "" {
		return fmt.Errorf("%w: --resume needs --out DIR, the directory of the sweep to finish", errUsage)
	}
	if *shards != 0 && *shard != "auto" {
		return fmt.Errorf("%w: --shards goes with --shard auto", errUsage)
	}
	if *shard == "auto" {
		switch {
		case *out == "":
			return fmt.Errorf("%w: --shard auto needs --out DIR, the directory every shard writes under (as DIR/shard-I-of-N)", errUsage)
		case *resume || *force:
			return fmt.Errorf("%w: --shard auto resumes an unfinished shard and skips a finished one by itself: drop --resume and --force", errUsage)
		case *plotFormat != "":
			return fmt.Errorf("%w: --plot needs the whole sweep: plot the merged directory", errUsage)
		}
		env, err := sweep.ShardFromEnv(os.LookupEnv, *shards)
		if err != nil { // the array or the command line needs fixing
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		spec, err := sweep.Load(pos[0], sets...)
		if err != nil {
			return err
		}
		return runAutoShard(ctx, spec, env, *out, *workers, *quiet, stdout, stderr)
	}
	var sh sweep.Shard
	if *shard != "" {
		if sh, err = sweep.ParseShard(*shard); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	spec, err := sweep.Load(pos[0], sets...)
	if err != nil {
		return sweepSetHint(err, sets)
	}
	dir := *out
	if dir == "" {
		name := spec.Name
		if sh.N > 0 {
			name += fmt.Sprintf("-shard%dof%d", sh.I, sh.N)
		}
		if dir, err = freshDir("runs", name); err != nil {
			return err
		}
	}
	prog := newProgress(stderr, spec.Name, *quiet)
	memCheck := func(need uint64) error {
		return sysmem.Check(need, "this sweep", "use fewer --workers, fewer samples, or a smaller scale")
	}
	res, err := sweep.Run(ctx, spec, sweep.Options{Dir: dir, Workers: *workers, Resume: *resume, Force: *force, Shard: sh,
		Progress: prog, MemoryCheck: memCheck})
	if err != nil {
		resumeCmd := fmt.Sprintf("turncoat sweep %s --out %s --resume", shellQuote(pos[0]), shellQuote(dir))
		if sh.N > 0 {
			resumeCmd += " --shard " + sh.String()
		}
		for _, s := range sets {
			resumeCmd += " --set " + shellQuote(s)
		}
		switch {
		case errors.Is(err, context.Canceled) && res != nil:
			return fmt.Errorf("interrupted after %d of %d runs; finish with: %s", res.Done+res.Skipped, res.Manifest.ShardRuns, resumeCmd)
		case errors.Is(err, syscall.ENOSPC) && res != nil:
			return fmt.Errorf("the disk is full (%w) after %d of %d runs; the sweep is resumable: free some space, then finish with: %s", err, res.Done+res.Skipped, res.Manifest.ShardRuns, resumeCmd)
		}
		if *out == "" && !*resume {
			os.RemoveAll(dir) // a fresh default directory that failed before starting
		}
		return err
	}
	m := res.Manifest
	rate := float64(res.Done) / res.Elapsed.Seconds()
	fmt.Fprintf(stdout, "%s: %s (%s × %s", m.Name, plural(m.ShardRuns, "run"), plural(m.ShardRuns/m.Replicates, "point"), plural(m.Replicates, "replicate"))
	if m.Shard != "" {
		fmt.Fprintf(stdout, ", shard %s of %d runs", m.Shard, m.Runs)
	}
	fmt.Fprintf(stdout, ") of %s in %s", m.ScenarioName, res.Elapsed.Round(time.Millisecond))
	if res.Done > 0 {
		fmt.Fprintf(stdout, ", %.1f runs/s", rate)
	}
	if res.Skipped > 0 {
		fmt.Fprintf(stdout, "; %d runs were already done", res.Skipped)
	}
	fmt.Fprintf(stdout, "\nsweep directory: %s\n", dir)
	files := []string{sweep.RunsFile, sweep.RunsJSONFile, sweep.PointsFile}
	if m.Sampler == "sobol" && m.Shard == "" {
		files = append(files, sweep.SensitivityFile)
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "  %s\n", filepath.Join(dir, f))
	}
	if *plotFormat != "" && m.Shard == "" {
		paths, err := plotDir(dir, "", *plotFormat)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %s (%d figures)\n", filepath.Dir(paths[0]), len(paths))
	}
	if m.Shard == "" {
		return printPointsTable(stdout, dir, m.Replicates)
	}
	return nil
}

// runAutoShard runs the shard a scheduler gave this process, atomically
// and idempotently (sweep.RunShard), and reports it.
func runAutoShard(ctx context.Context, spec *sweep.Spec, env sweep.ShardEnv, parent string, workers int, quiet bool, stdout, stderr io.Writer) error {
	fmt.Fprintf(stdout, "%s: shard %s, from %s: %s\n", spec.Name, env.Shard, env.Scheduler, strings.Join(env.Vars, " "))
	memCheck := func(need uint64) error {
		return sysmem.Check(need, "this sweep", "use fewer --workers, fewer samples, or a smaller scale")
	}
	res, err := sweep.RunShard(ctx, spec, parent, sweep.Options{Workers: workers, Shard: env.Shard,
		Progress: newProgress(stderr, spec.Name, quiet), MemoryCheck: memCheck})
	if err != nil {
		if res != nil && res.Result != nil && (errors.Is(err, context.Canceled) || errors.Is(err, syscall.ENOSPC)) {
			return fmt.Errorf("stopped after %d of %d runs (%w); run the same command again to resume shard %s", res.Done+res.Skipped, res.Manifest.ShardRuns, err, env.Shard)
		}
		return err
	}
	m := res.Manifest
	if res.AlreadyComplete {
		fmt.Fprintf(stdout, "shard %s is already complete in %s (%d runs, checksums verified): nothing to do\n", m.Shard, res.Dir, m.ShardRuns)
		return nil
	}
	fmt.Fprintf(stdout, "shard %s: %d runs of %d (%d points × %d replicates) in %s", m.Shard, m.ShardRuns, m.Runs, m.ShardPoints, m.Replicates, res.Elapsed.Round(time.Millisecond))
	if res.Done > 0 {
		fmt.Fprintf(stdout, ", %.1f runs/s", float64(res.Done)/res.Elapsed.Seconds())
	}
	if res.Skipped > 0 {
		fmt.Fprintf(stdout, "; %d runs were already done", res.Skipped)
	}
	fmt.Fprintf(stdout, "\nshard directory: %s\nwhen every shard is done: turncoat merge %s --out MERGED\n", res.Dir, shellQuote(parent))
	return nil
}

func cmdMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", "turncoat merge SHARD_DIR... --out DIR  (or the --out of sweep --shard auto: turncoat merge DIR --out MERGED)", stderr)
	out := fs.String("out", "", "directory for the merged sweep (required)")
	dirs, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 || *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: merge needs shard directories and --out", errUsage)
	}
	if err := sweep.Merge(ctx, dirs, *out); err != nil {
		return err
	}
	m, err := sweep.ReadManifest(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "merged %d runs into %s\n", m.Runs, *out)
	return nil
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain
// characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
