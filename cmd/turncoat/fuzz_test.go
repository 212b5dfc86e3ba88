package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// FuzzCLI runs the command line with arbitrary arguments under a cancelled
// context (so nothing runs for long): usage errors and clear messages,
// never a panic. Arguments that size the population are skipped, to keep
// each input cheap.
func FuzzCLI(f *testing.F) {
	for _, a := range []string{
		"run soviet1991 --seed 3 --json", "run --set regime.repression=7 soviet1991", "show soviet1991 --set regions.Ukraine.legitimacy=0.2",
		"scenarios", "help run", "help sweep", "sweep ../../sweep/testdata/grid.yaml --shard 1/2 --quiet", "merge --out x a b",
		"run soviet1991 --ticks -1", "run soviet1991 --every 0", "sweep --resume", "run -- -x", "fly", "run soviet1991 --out",
	} {
		f.Add(a)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.Contains(line, "scale") || strings.Contains(line, "per_million") || strings.Contains(line, "min_per_region") || strings.Contains(line, "ticks") {
			t.Skip("population size")
		}
		t.Chdir(t.TempDir())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		run(ctx, strings.Fields(line), io.Discard, io.Discard)
	})
}
