package scenarios_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGoldenSoviet1991 pins the bytes of a soviet1991 run (seed 1): any
// change to the model, the draws or the output format shows up here. After
// an intended change, run `go test ./scenarios -run Golden -update` and
// review the diff.
func TestGoldenSoviet1991(t *testing.T) {
	cfg, err := scenarios.Load("soviet1991")
	require.NoError(t, err)
	dir := t.TempDir()
	_, err = regime.RunDir(context.Background(), cfg, 1, dir)
	require.NoError(t, err)
	for _, f := range []string{"summary.json", "ticks.csv", "events.csv"} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		golden := filepath.Join("testdata", "soviet1991_seed1_"+f)
		if *update {
			require.NoError(t, os.MkdirAll("testdata", 0o755))
			require.NoError(t, os.WriteFile(golden, got, 0o644))
			continue
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err, "missing golden file: run with -update")
		if string(got) != string(want) {
			t.Errorf("%s differs from %s (run with -update after an intended change)", f, golden)
		}
	}
}
