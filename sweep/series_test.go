package sweep_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/sweep"
)

// TestSeriesOutputs: a sweep collects a history series' fit by the
// series' name (a number in every row), and refuses a series the scenario
// does not have and a misspelt statistic.
func TestSeriesOutputs(t *testing.T) {
	const spec = `name: s
scenario: gdr1989
parameters:
  - {name: regime.repression, values: [0.5, 0.7]}
sampler: grid
replicates: 1
seed: 3
outputs: [series_pearson_log.leipzig_turnout, series_break_ratio.leipzig_turnout, series_rmse_log.emigration]
`
	s, err := sweep.Parse("s.yaml", []byte(spec))
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "out")
	_, err = sweep.Run(t.Context(), s, sweep.Options{Dir: dir, Workers: 2})
	require.NoError(t, err)
	f, err := os.Open(filepath.Join(dir, sweep.RunsFile))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, name := range []string{"series_pearson_log.leipzig_turnout", "series_break_ratio.leipzig_turnout", "series_rmse_log.emigration"} {
		i, ok := col[name]
		require.True(t, ok, "column %s in %v", name, rows[0])
		for _, r := range rows[1:] {
			v, err := strconv.ParseFloat(r[i], 64)
			require.NoError(t, err, "%s = %q", name, r[i])
			assert.False(t, v != v, name)
		}
	}

	_, err = sweep.Parse("s.yaml", []byte(strings.Replace(spec, "series_rmse_log.emigration", "series_rmse_log.emigrants", 1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `names no history series of gdr1989: "emigrants"`)
	_, err = sweep.Parse("s.yaml", []byte(strings.Replace(spec, "series_rmse_log.emigration", "series_rmse_logg.emigration", 1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "series_rmse_log.<series>")
}
