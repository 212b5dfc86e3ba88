package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/sweep"
)

func cmdPlot(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plot", "turncoat plot DIR [--format png|svg] [--out DIR]", stderr)
	format := fs.String("format", "png", "png or svg")
	out := fs.String("out", "", "directory for the figures (default: DIR/figures)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: plot needs one run or sweep directory", errUsage)
	}
	if *format != "png" && *format != "svg" {
		return fmt.Errorf("%w: --format must be png or svg, got %q", errUsage, *format)
	}
	paths, err := plotDir(pos[0], *out, *format)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	return nil
}

// plotDir draws the figures of a run or sweep directory.
func plotDir(dir, out, format string) ([]string, error) {
	if out == "" {
		out = filepath.Join(dir, "figures")
	}
	var figs []plots.Figure
	if plots.IsCalibration(dir) {
		figs, err := plots.CalibrationFigures(dir)
		if err != nil {
			return nil, err
		}
		return plots.Write(figs, out, format)
	}
	if _, err := os.Stat(filepath.Join(dir, sweep.ManifestFile)); err == nil {
		figs, err = plots.SweepFigures(dir)
		if err != nil {
			return nil, err
		}
	} else if plots.IsGridRun(dir) {
		if figs, err = plots.GridRunFigures(dir); err != nil {
			return nil, err
		}
	} else {
		res, err := plots.LoadRun(dir)
		if err != nil {
			return nil, err
		}
		if figs, err = plots.RunFigures(res); err != nil {
			return nil, err
		}
		if figs, err = appendRunExtras(figs, dir, res); err != nil {
			return nil, err
		}
	}
	return plots.Write(figs, out, format)
}
