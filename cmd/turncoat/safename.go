package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/turncoat-abm/turncoat/regime"
)

// safeName turns a scenario or sweep name into one path element for a
// directory under runs/: separators, "..", leading dots, control
// characters and NUL become "_", so that name: "../escaped" or "a/b"
// stays inside runs/ (issue 20 item 7).
func safeName(name string) string {
	b := []rune(name)
	for i, r := range b {
		if r == '/' || r == '\\' || r < 0x20 || r == 0x7f || r == ':' {
			b[i] = '_'
		}
	}
	s := strings.TrimLeft(string(b), ".")
	s = strings.ReplaceAll(s, "..", "_")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100])
	}
	if s == "" {
		s = "run"
	}
	return s
}

// epsteinRunFiles are the files of an Epstein run directory.
var epsteinRunFiles = []string{"scenario.yaml", "ticks.csv", "grid.csv", "summary.json", "meta.json"}

// removeStaleRunFiles removes, after a successful run into dir, the run
// files of the other kind of run that an earlier run (with --force) left
// there: a grid.csv beside a regime run made plot and report read it as
// an Epstein run (issue 20 item 8). Only those known names, and only
// regular files, are removed: nothing turncoat did not write.
func removeStaleRunFiles(dir string, written []string) {
	for _, f := range append(append([]string{}, regime.RunFiles...), epsteinRunFiles...) {
		if slices.Contains(written, f) {
			continue
		}
		p := filepath.Join(dir, f)
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() {
			os.Remove(p)
		}
	}
}
