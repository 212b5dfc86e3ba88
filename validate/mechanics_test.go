package validate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReportCounts: passed + failed count the check rows only; info rows
// carry "pass": null in JSON.
func TestReportCounts(t *testing.T) {
	r := &Report{}
	r.add(near("a", 1, 1, 0, "ref"))
	r.add(near("b", 1, 2, 0.5, "ref"))
	r.add(info("c", 3, "ref"))
	r.add(verdict("d", 4, false, "ref"))
	assert.Equal(t, 1, r.Passed)
	assert.Equal(t, 2, r.Failed)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var got struct {
		Checks []map[string]any `json:"checks"`
	}
	require.NoError(t, json.Unmarshal(b, &got))
	require.Len(t, got.Checks, 4)
	assert.Equal(t, "check", got.Checks[0]["kind"])
	assert.Equal(t, true, got.Checks[0]["pass"])
	assert.Equal(t, false, got.Checks[1]["pass"])
	assert.Equal(t, "info", got.Checks[2]["kind"])
	v, ok := got.Checks[2]["pass"]
	assert.True(t, ok, "an info row has a pass key")
	assert.Nil(t, v, "an info row's pass is null")
}

// constantPass matches a verdict that cannot fail: a literal true given as
// a row's pass (field, assignment or the pass argument of verdict).
var constantPass = regexp.MustCompile(`(?i)(\bpass\w*\s*(:|=|:=)\s*(&)?true\b)|(\bverdict\([^\n]*,\s*true\s*,)|(\bnear\([^\n]*,\s*0\s*,\s*math\.Inf\()`)

// TestNoConstantPasses greps the package's sources for rows that pass by
// construction.
func TestNoConstantPasses(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, line := range strings.Split(string(b), "\n") {
			assert.False(t, constantPass.MatchString(line), "%s:%d: a row that passes by construction: %s", f, i+1, strings.TrimSpace(line))
		}
	}
	// the pattern itself catches what it is for
	for _, bad := range []string{`Pass: true,`, `c.Pass = true`, `pass := true`, `r.add(verdict("x", v, true, ref))`, `Pass: &true`} {
		assert.True(t, constantPass.MatchString(bad), bad)
	}
	for _, good := range []string{`pass := v > 2`, `verdict("x", v, ok, ref)`, `Pass: &pass`} {
		assert.False(t, constantPass.MatchString(good), good)
	}
}
