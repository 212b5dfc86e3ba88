package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/plots"
)

func cmdReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", "turncoat report DIR [--out FILE.html]", stderr)
	out := fs.String("out", "", "HTML file to write (default: DIR/report.html)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: report needs one run or sweep directory", errUsage)
	}
	path := *out
	if path == "" {
		path = filepath.Join(pos[0], "report.html")
	}
	f, err := abm.CreateAtomic(path)
	if err != nil {
		return err
	}
	if err := plots.Report(pos[0], f); err != nil {
		f.Abort()
		return err
	}
	if err := f.Commit(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, path)
	return nil
}
