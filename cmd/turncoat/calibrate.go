package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/turncoat-abm/turncoat/calibrate"
	"github.com/turncoat-abm/turncoat/internal/sysmem"
)

func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", "turncoat calibrate SPEC.yaml [--out DIR] [--workers N] [--resume | --force] [--holdout NAME[,NAME]] [--holdout-after DATE] [--holdout-kind exit|declaration] [--cross-validate [--folds NAME[,NAME]]] [--set k=v]... [--quiet]", stderr)
	workers := fs.Int("workers", 0, "worker goroutines (default: the spec's, else all cores); never changes results")
	out := fs.String("out", "", "calibration directory (default: a fresh runs/<name>-<time>/)")
	resume := fs.Bool("resume", false, "continue an interrupted calibration in --out from its last complete generation")
	force := fs.Bool("force", false, "start again in a non-empty --out, replacing its files")
	shard := fs.String("shard", "", "not supported for calibrations (see docs/CALIBRATION.md)")
	holdout := fs.String("holdout", "", "comma-separated targets (region names; case names for a pack) to leave out of the fit and predict")
	after := fs.String("holdout-after", "", "hold out every dated target observed after DATE (YYYY-MM-DD): fit on what happened before, predict the rest")
	kind := fs.String("holdout-kind", "", "hold out every target of one kind: exit (fit on the declarations of sovereignty, predict the exits) or declaration")
	cv := fs.Bool("cross-validate", false, "leave-one-out: refit with each target held out in turn (Dir/cv-<target>, cv.csv, cv.json); with declaration targets one region (exit and declaration) per fold")
	folds := fs.String("folds", "", "with --cross-validate: run only these comma-separated folds (region or case names)")
	quiet := fs.Bool("quiet", false, "no progress output")
	var sets setFlags
	fs.Var(&sets, "set", "override a field of the spec, key=value (repeatable), e.g. particles=200")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: calibrate needs exactly one spec file", errUsage)
	}
	switch {
	case *shard != "":
		return fmt.Errorf("%w: --shard is not supported by calibrate: each SMC generation depends on the last, so shards cannot run independently; use --workers on one machine (docs/CALIBRATION.md)", errUsage)
	case *workers < 0:
		return fmt.Errorf("%w: --workers must be >= 0", errUsage)
	case *resume && *force:
		return fmt.Errorf("%w: --resume and --force exclude each other", errUsage)
	case *resume && *out == "":
		return fmt.Errorf("%w: --resume needs --out DIR, the directory of the calibration to finish", errUsage)
	case *resume && *cv:
		return fmt.Errorf("%w: --resume does not apply to --cross-validate; rerun the folds", errUsage)
	}
	if *after != "" {
		sets = append(sets, "holdout_after="+*after)
	}
	if *kind != "" {
		sets = append(sets, "holdout_kind="+*kind)
	}
	if *folds != "" && !*cv {
		return fmt.Errorf("%w: --folds needs --cross-validate", errUsage)
	}
	spec, err := loadCalibration(pos[0], sets, *holdout)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		if dir, err = freshDir("runs", spec.Name); err != nil {
			return err
		}
	}
	progress := func(line string) {
		if !*quiet {
			fmt.Fprintf(stderr, "%s %s\n", time.Now().UTC().Format("15:04:05"), line)
		}
	}
	opt := calibrate.Options{Dir: dir, Workers: *workers, Resume: *resume, Force: *force, OnProgress: progress,
		MemoryCheck: func(need uint64) error {
			if !*quiet {
				fmt.Fprintf(stderr, "%s: about %.0f MB of memory; %d particles × %d replicates per generation, up to %d generations, %d predictive draws\n",
					spec.Name, float64(need)/1e6, spec.Particles, spec.Replicates, spec.Generations, spec.Draws)
			}
			return sysmem.Check(need, "this calibration", "use fewer --workers or a smaller scale")
		}}
	if !*quiet && !*cv {
		opt.OnEstimate = func(e calibrate.Estimate) {
			fmt.Fprintf(stderr, "%s: about %d runs (at most %d), %s each (a pilot run), so about %s with %d workers\n",
				spec.Name, e.Runs, e.MaxRuns, e.PerRun.Round(time.Millisecond), e.Wall.Round(time.Second), e.Workers)
		}
	}
	if *folds != "" {
		for _, f := range strings.Split(*folds, ",") {
			opt.Folds = append(opt.Folds, strings.TrimSpace(f))
		}
	}
	if *cv {
		res, err := calibrate.CrossValidate(ctx, spec, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "leave-one-out over %d targets, %d runs\n", len(res.Folds), res.Runs)
		if res.ClassAccuracy != nil {
			printClassCV(stdout, res)
			fmt.Fprintf(stdout, "calibration directory: %s\n", dir)
			return nil
		}
		w := 14 // wider for declaration targets ("declaration:REGION")
		for _, f := range res.Folds {
			w = max(w, len(f.Target))
		}
		fmt.Fprintf(stdout, "%-*s %9s %9s %17s %7s\n", w, "held out", "observed", "median", "90% interval", "error")
		for _, f := range res.Folds {
			fmt.Fprintf(stdout, "%-*s %9.1f %9.1f [%6.1f, %6.1f] %7.1f\n", w, f.Target, f.ObservedWeek, f.Predicted.Median, f.Predicted.Q05, f.Predicted.Q95, f.ErrorWeeks)
		}
		fmt.Fprintf(stdout, "held-out timing error %.2f weeks, Spearman %.3f, %d of %d inside their 90%% intervals\n", res.TimingErrorWeeks, res.Spearman, res.Covered, len(res.Folds))
		printBaselines(stdout, res.Baselines)
		if res.DeclarationTimingErrorWeeks != nil {
			fmt.Fprintf(stdout, "held-out declarations: timing error %.2f weeks, Spearman %.3f\n", *res.DeclarationTimingErrorWeeks, deref(res.DeclarationSpearman))
			printBaselines(stdout, res.DeclarationBaselines)
		}
		fmt.Fprintf(stdout, "calibration directory: %s\n", dir)
		return nil
	}
	res, err := calibrate.Run(ctx, spec, opt)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; continue with: turncoat calibrate %s --out %s --resume", shellQuote(pos[0]), shellQuote(dir))
		}
		return err
	}
	s := res.Summary
	unit := "weeks"
	if s.Predictive.ClassAccuracy != nil {
		unit = "(share misclassified)"
	}
	if len(s.Series) > 0 {
		unit = "(log units)"
	}
	fmt.Fprintf(stdout, "%s: %s, %d generations, %d runs in %s; final tolerance %.3g %s\n", s.Name, s.Scenario, s.Generations, s.Runs, res.Elapsed.Round(time.Millisecond), s.Tolerance, unit)
	narrow := printPosteriorTable(stdout, s.Parameters)
	fmt.Fprintf(stdout, "%d of %d posterior intervals are narrower than half the prior range (*)\n", narrow, len(s.Parameters))
	if len(s.Series) > 0 {
		printSeriesCheck(stdout, s, dir)
		return nil
	}
	pr := s.Predictive
	what := "inside their 90% intervals"
	if pr.ClassAccuracy != nil {
		what = "with the observed class as modal class"
	}
	fmt.Fprintf(stdout, "posterior predictive (%d draws): %d of %d fitted targets %s", pr.Draws, pr.CoveredFitted, pr.Fitted, what)
	if pr.HeldOut > 0 {
		fmt.Fprintf(stdout, ", %d of %d held out", pr.CoveredHeldOut, pr.HeldOut)
	}
	if pr.ClassAccuracy != nil {
		printClassCheck(stdout, pr)
		fmt.Fprintf(stdout, "calibration directory: %s\n", dir)
		for _, f := range []string{calibrate.PosteriorFile, calibrate.GenerationsFile, calibrate.SummaryFile, "best", "posterior-median"} {
			fmt.Fprintf(stdout, "  %s\n", filepath.Join(dir, f))
		}
		return nil
	}
	fmt.Fprintf(stdout, "; P(collapse by %s) %s\n", pr.CollapseBy, roundNum(pr.Collapse))
	for _, t := range pr.Targets {
		if t.HeldOut {
			fmt.Fprintf(stdout, "  held out %-12s observed week %5.1f, predicted %5.1f [%5.1f, %5.1f]\n", t.Name, t.ObservedWeek, t.Predicted.Median, t.Predicted.Q05, t.Predicted.Q95)
		}
	}
	if pr.DeclarationTimingErrorWeeks == nil {
		fmt.Fprintln(stdout, "headline scores, all targets (model: median and 90% interval over the predictive draws):")
		printScoresTable(stdout, "model", &pr.Spearman, &pr.TimingErrorWeeks, s.Baselines)
	} else {
		if s.Baselines != nil || !math.IsNaN(pr.TimingErrorWeeks.Median) {
			fmt.Fprintln(stdout, "headline scores, exit targets (model: median and 90% interval over the predictive draws):")
			printScoresTable(stdout, "model", &pr.Spearman, &pr.TimingErrorWeeks, s.Baselines)
		}
		fmt.Fprintln(stdout, "headline scores, declaration targets:")
		printScoresTable(stdout, "model", pr.DeclarationSpearman, pr.DeclarationTimingErrorWeeks, s.DeclarationBaselines)
	}
	if pr.HeldOutTimingErrorWeeks != nil {
		fmt.Fprintln(stdout, "held-out targets only:")
		printScoresTable(stdout, "model", nil, pr.HeldOutTimingErrorWeeks, s.HeldOutBaselines)
		if s.HeldOutDeclarationBaselines != nil {
			printScoresTable(stdout, "(declarations)", nil, nil, s.HeldOutDeclarationBaselines)
		}
	}
	fmt.Fprintf(stdout, "calibration directory: %s\n", dir)
	for _, f := range []string{calibrate.PosteriorFile, calibrate.GenerationsFile, calibrate.SummaryFile, calibrate.BestFile, calibrate.MedianFile} {
		fmt.Fprintf(stdout, "  %s\n", filepath.Join(dir, f))
	}
	return nil
}

// printClassCheck prints the posterior predictive check of a pack's
// outcome classes (pr.Targets' Inside: the modal class is the observed).
func printClassCheck(w io.Writer, pr calibrate.Predictive) {
	fmt.Fprintf(w, "\n  class accuracy over draws %.3f [%.3f, %.3f] (all targets); fitted cases: modal class right in %.3f, majority-class baseline %.3f\n",
		pr.ClassAccuracy.Median, pr.ClassAccuracy.Q05, pr.ClassAccuracy.Q95, deref(pr.ModalAccuracy), deref(pr.MajorityBaseline))
	if pr.HeldOutModalAccuracy != nil {
		fmt.Fprintf(w, "  held out (%d cases): modal class right in %.3f; majority class of the fitted cases %.3f\n", pr.HeldOut, *pr.HeldOutModalAccuracy, deref(pr.HeldOutMajorityBaseline))
	}
	fmt.Fprintf(w, "  %-28s %-9s %-9s %8s %8s %8s\n", "case", "observed", "modal", "defected", "split", "loyal")
	for _, t := range pr.Targets {
		name := t.Name
		if t.HeldOut {
			name += " (held out)"
		}
		fmt.Fprintf(w, "  %-28s %-9s %-9s %8.2f %8.2f %8.2f\n", name, t.ObservedClass, t.Modal, t.Classes["defected"], t.Classes["split"], t.Classes["loyal"])
	}
}

// printClassCV prints leave-one-case-out class accuracy beside the
// majority class of the other cases.
func printClassCV(w io.Writer, cv *calibrate.CV) {
	fmt.Fprintf(w, "%-28s %-9s %-9s %8s %8s %8s %9s\n", "held out", "observed", "modal", "defected", "split", "loyal", "majority")
	for _, f := range cv.Folds {
		fmt.Fprintf(w, "%-28s %-9s %-9s %8.2f %8.2f %8.2f %9.2f\n", f.Target, f.ObservedClass, f.Modal, f.Classes["defected"], f.Classes["split"], f.Classes["loyal"], f.MajorityBaseline)
	}
	fmt.Fprintf(w, "held-out class accuracy %.3f (modal class over predictive draws); majority-class baseline %.3f\n", deref(cv.ClassAccuracy), deref(cv.MajorityBaseline))
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func printBaselines(w io.Writer, bs []calibrate.BaselineScore) {
	for _, b := range bs {
		sp, te := "-", "-"
		if b.Spearman != nil {
			sp = fmt.Sprintf("%.3f", *b.Spearman)
		}
		if b.TimingErrorWeeks != nil {
			te = fmt.Sprintf("%.2f", *b.TimingErrorWeeks)
		}
		fmt.Fprintf(w, "  baseline %-10s Spearman %6s, timing error %6s weeks (%s)\n", b.Name, sp, te, b.Description)
	}
}

// loadCalibration loads the spec; --holdout replaces the file's holdout
// list and is checked against the targets like it.
func loadCalibration(path string, sets setFlags, holdout string) (*calibrate.Spec, error) {
	if holdout != "" {
		var names []string
		for _, h := range strings.Split(holdout, ",") {
			names = append(names, strings.TrimSpace(h))
		}
		sets = append(sets, "holdout=["+strings.Join(names, ",")+"]")
	}
	return calibrate.Load(path, sets...)
}
