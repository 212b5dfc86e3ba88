package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSweepTable: a sweep ends with a compact table: parameters rounded,
// each bounded output's interval within its bounds, a note when
// replicates are few, and "1 replicate" in the singular.
func TestSweepTable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.yaml")
	src := `name: t
scenario: kuran
sampler: grid
replicates: 2
parameters:
  - {name: regime.repression, range: [0.05, 0.35], steps: 7}
outputs: [collapsed, final_share.citizen, peak_share.citizen]
`
	require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	out, _, err := runCLI(t, "sweep", p, "--out", filepath.Join(dir, "o"), "--quiet")
	require.NoError(t, err)
	assert.Contains(t, out, "regime.repression")
	assert.NotRegexp(t, `\d\.\d{6,}`, out, "parameters and means rounded")
	assert.Contains(t, out, "note: only 2 replicates")
	ivs := regexp.MustCompile(`\[(-?[\d.e+-]+), (-?[\d.e+-]+)\]`).FindAllStringSubmatch(out, -1)
	require.Len(t, ivs, 7*3)
	for _, iv := range ivs {
		lo, err1 := strconv.ParseFloat(iv[1], 64)
		hi, err2 := strconv.ParseFloat(iv[2], 64)
		require.NoError(t, err1)
		require.NoError(t, err2)
		assert.True(t, lo >= 0 && hi <= 1 && lo <= hi, "interval %s within [0,1]", iv[0])
	}

	out, _, err = runCLI(t, "sweep", p, "--out", filepath.Join(dir, "o1"), "--quiet", "--set", "replicates=1")
	require.NoError(t, err)
	assert.Contains(t, out, "× 1 replicate)")
	assert.Contains(t, out, "note: 1 replicate per point")
	assert.NotContains(t, out, "[")
}
