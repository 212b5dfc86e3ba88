package scenarios_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestPackBuiltFromTable: the builder is the only way the pack's inputs
// are made. Every arabspring2011 scenario file is byte for byte what the
// builder makes from its row of scenarios/data/uprisings.csv, and every
// row of that sample has its file. After a change to the table or the
// mapping, rebuild with `go test ./scenarios -run PackBuilt -update` (or
// `turncoat cases build scenarios/data/uprisings.csv --sample
// arabspring2011 --out scenarios`) and review the diff.
func TestPackBuiltFromTable(t *testing.T) {
	tab, err := scenarios.Uprisings()
	require.NoError(t, err)
	m := cases.DefaultMapping()
	var built []string
	for i := range tab.Cases {
		c := &tab.Cases[i]
		if c.Inputs.Sample != "arabspring2011" {
			continue
		}
		built = append(built, c.Name())
		want, err := m.YAML(tab, c)
		require.NoError(t, err, c.Name())
		file := c.Name() + ".yaml"
		if *update { // the embedded files are read at build time: run the test again
			require.NoError(t, os.WriteFile(file, want, 0o644))
			continue
		}
		got, err := scenarios.Source(c.Name())
		require.NoError(t, err, "%s: the row has no built-in scenario file", c.Name())
		assert.Equal(t, string(want), string(got), "%s differs from what the builder makes of its row (rebuild with -update)", file)

		// the file and FILE.csv#CASE load to the same scenario
		a, err := scenarios.Load(c.Name())
		require.NoError(t, err)
		b, err := scenarios.Load("uprisings.csv#" + c.Name())
		require.NoError(t, err)
		assert.Equal(t, a, b, c.Name())
		assert.Equal(t, c.Outcome.Military, a.History.Outcome, "%s: history comes from the row", c.Name())
	}
	slices.Sort(built)
	assert.Equal(t, built, scenarios.Pack("arabspring2011"), "the pack is exactly the rows of its sample")
	files, err := filepath.Glob("arabspring2011-*.yaml")
	require.NoError(t, err)
	assert.Len(t, files, len(built), "a hand-written arabspring2011 file without a row")
}

// scramble rewrites a case table with the outcome columns of every row
// replaced by another row's (and the sources by junk).
func scramble(t *testing.T, data []byte) []byte {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	head := recs[0]
	idx := map[string]int{}
	for i, h := range head {
		idx[h] = i
	}
	rows := recs[1:]
	n := len(rows)
	out := [][]string{head}
	for i, r := range rows {
		s := slices.Clone(r)
		o := rows[(i+1)%n]
		for _, col := range cases.OutcomeColumns() {
			s[idx[col]] = o[idx[col]]
		}
		s[idx["military_response"]] = []string{"defected", "split", "loyal"}[(i*7+1)%3]
		if s[idx["military_response"]] == r[idx["military_response"]] {
			s[idx["military_response"]] = []string{"defected", "split", "loyal"}[(i*7+2)%3]
		}
		s[idx["regime_fell"]], s[idx["fell_date"]] = "yes", "2099-01-01"
		s[idx["outcome_source"]] = "scrambled"
		out = append(out, s)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.WriteAll(out))
	return b.Bytes()
}

// TestOutcomesNeverBuilt: scrambling the outcome columns of the table
// (military response, regime fell, its date, the source) leaves every
// built scenario file identical, byte for byte.
func TestOutcomesNeverBuilt(t *testing.T) {
	data, err := os.ReadFile("data/uprisings.csv")
	require.NoError(t, err)
	orig, err := cases.Parse("uprisings.csv", data)
	require.NoError(t, err)
	scr, err := cases.Parse("uprisings.csv", scramble(t, data))
	require.NoError(t, err)
	m := cases.DefaultMapping()
	changed := 0
	for i := range orig.Cases {
		a, b := &orig.Cases[i], &scr.Cases[i]
		if a.Outcome.Military != b.Outcome.Military {
			changed++
		}
		ya, err := m.YAML(orig, a)
		require.NoError(t, err)
		yb, err := m.YAML(scr, b)
		require.NoError(t, err)
		assert.Equal(t, string(ya), string(yb), "%s: a scenario file depends on the outcome columns", a.Name())
	}
	assert.Equal(t, len(orig.Cases), changed, "the scramble must change every row's outcome")
}

// TestCaseTableRun: FILE.csv#CASE loads a row of a user's table, a table
// is a pack of its rows, and the errors name the file.
func TestCaseTableRun(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("data/uprisings.csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	mine := filepath.Join(dir, "mine.csv")
	// a user's table: the header and one row, renamed
	row := strings.Replace(lines[2], "arabspring2011-egypt", "egypt-again", 1)
	require.NoError(t, os.WriteFile(mine, []byte(lines[0]+"\n"+row+"\n"), 0o644))
	cfg, err := scenarios.Load(mine+"#egypt-again", "regime.surveillance=0.9")
	require.NoError(t, err)
	assert.Equal(t, "egypt-again", cfg.Name)
	assert.Equal(t, 0.9, cfg.Regime.Surveillance, "--set applies to a built case")
	assert.Equal(t, []string{mine + "#egypt-again"}, scenarios.Pack(mine))
	egypt, err := scenarios.Load("arabspring2011-egypt")
	require.NoError(t, err)
	assert.Equal(t, egypt.Regime.ParallelForces, cfg.Regime.ParallelForces)

	_, err = scenarios.Load(mine + "#egypt")
	assert.ErrorContains(t, err, `unknown case "egypt" in `+mine+` (did you mean "egypt-again"?)`)
	_, err = scenarios.Load(mine)
	assert.ErrorContains(t, err, "a case table, not one scenario")
	_, err = scenarios.Load(mine+"#egypt-again", "regime.survey=1")
	assert.ErrorContains(t, err, `regime.survey: unknown field`)
	_, err = scenarios.Load(filepath.Join(dir, "none.csv") + "#x")
	assert.ErrorContains(t, err, "none.csv")

	// a "#" in a path that names no case table is part of the path
	odd := filepath.Join(dir, "a #1", "s.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(odd), 0o755))
	src, err := scenarios.Source("kuran")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(odd, src, 0o644))
	_, err = scenarios.Load(odd)
	assert.NoError(t, err)

	// the embedded table by its base name, and as a pack
	iran, err := scenarios.Load("uprisings.csv#iran1978")
	require.NoError(t, err)
	assert.Equal(t, "defected", string(iran.History.Outcome))
	assert.Len(t, scenarios.Pack("uprisings.csv"), 23)
}
