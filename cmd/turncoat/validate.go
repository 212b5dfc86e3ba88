package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/validate"
)

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "turncoat validate [--json] [--replicates N] [--plot DIR]", stderr)
	asJSON := fs.Bool("json", false, `print {"checks": [...], "passed": n, "failed": n}`)
	reps := fs.Int("replicates", 20, "replicates of the simulated checks")
	plotDirFlag := fs.String("plot", "", "also write the validation figures (PNG) into this directory")
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if *reps < 1 {
		return fmt.Errorf("%w: --replicates must be >= 1", errUsage)
	}
	rep, err := validate.Run(ctx, validate.Options{Replicates: *reps, Progress: validateProgress(stderr)})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printValidation(stdout, rep)
	}
	if *plotDirFlag != "" {
		figs, err := validate.Figures(ctx, 10)
		if err != nil {
			return err
		}
		paths, err := plots.Write(figs, *plotDirFlag, "png")
		if err != nil {
			return err
		}
		for _, p := range paths {
			fmt.Fprintln(stderr, "figure:", p)
		}
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d validation checks failed", rep.Failed)
	}
	return nil
}

func opt(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(*p, 'g', 4, 64)
}
