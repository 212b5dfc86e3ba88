package sweep_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/sweep"
)

// TestExampleSweeps loads every sweep file under examples/sweeps and runs
// it shrunk (few points, one replicate, a short horizon).
func TestExampleSweeps(t *testing.T) {
	files, err := filepath.Glob("../examples/sweeps/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			full, err := sweep.Load(f)
			require.NoError(t, err)
			sets := []string{"replicates=1", "set.ticks=20", "set.scale=0.05", "set.shocks='[]'"}
			switch full.Sampler {
			case "grid":
				for i := range full.Parameters {
					if len(full.Parameters[i].Range) > 0 {
						sets = append(sets, "parameters."+itoa(i)+".steps=2")
					}
				}
			default:
				sets = append(sets, "samples=4", "bootstrap=10")
			}
			s, err := sweep.Load(f, sets...)
			require.NoError(t, err)
			res, err := sweep.Run(context.Background(), s, sweep.Options{Dir: filepath.Join(t.TempDir(), "out")})
			require.NoError(t, err)
			require.True(t, res.Manifest.Complete)
		})
	}
}

func itoa(i int) string { return string(rune('0' + i)) }
