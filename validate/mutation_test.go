package validate_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// mutant is a source rewrite of the kernels that the suite must catch:
// Old occurs exactly once in File (relative to the module root) and is
// replaced by New; the mutant is killed when the tests Run (a go test
// -run pattern over Pkgs) fail with the validate groups Groups
// (TURNCOAT_VALIDATE_ONLY; empty: not TestChecks).
type mutant struct {
	Name, File, Old, New string
	Pkgs                 []string
	Run                  string
	Groups               string
}

var mutants = []mutant{
	{"social-sign", "agents/population.go", "+ e + k.Social + k.GroupSocial[gi]", "+ e - k.Social + k.GroupSocial[gi]",
		[]string{"./validate"}, "^TestChecks$", "granovetter,kuran"},
	{"coercion-sign", "agents/population.go", "u -= float64(k.Coerce * float64(risk[i]))", "u += float64(k.Coerce * float64(risk[i]))",
		[]string{"./validate"}, "^TestChecks$", "arabspring2011,soviet1991"},
	{"threshold+0.05", "agents/population.go", "th := float64(thresh[i])\n", "th := float64(thresh[i]) + 0.05\n",
		[]string{"./validate"}, "^TestChecks$", "granovetter,kuran"},
	{"mesa-rounding-floor", "epstein/epstein.go", "ratio = math.RoundToEven(float64(c) / float64(a+1))", "ratio = math.Floor(float64(c) / float64(a+1))",
		[]string{"./validate"}, "^TestChecks$", "epstein,mesa-dock"},
	{"netlogo-vision-open-disc", "epstein/epstein.go", "in = dx*dx+dy*dy <= v*v", "in = dx*dx+dy*dy < v*v",
		[]string{"./validate", "./epstein"}, "^(TestChecks|TestFingerprints)$", "epstein"},
	{"demonstration-off", "regime/model.go", "m.demo[h] += m.eff.Demonstration * ", "m.demo[h] += 0 * m.eff.Demonstration * ",
		[]string{"./validate", "./scenarios"}, "^(TestChecks|TestSovietFit)$", "soviet1991,arabspring2011"},
	{"tft-forgives-dd", "agents/game.go", "m = Memory1{1, [4]float64{1, 0, 1, 0}}", "m = Memory1{1, [4]float64{1, 0, 1, 1}}",
		[]string{"./validate"}, "^TestChecks$", "pd"},
}

// TestMutants applies each mutant through a go build overlay (the tree is
// not touched: the mutated file is a temporary copy) and runs its tests;
// every mutant must be killed. It runs only with TURNCOAT_MUTATION=quick
// (about a minute on two cores) and writes the table to
// $TURNCOAT_MUTATION_REPORT when set.
func TestMutants(t *testing.T) {
	mode := os.Getenv("TURNCOAT_MUTATION")
	if mode == "" {
		t.Skip("set TURNCOAT_MUTATION=quick to run the mutation test")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dir := t.TempDir()
	var table strings.Builder
	fmt.Fprintf(&table, "| mutant | file | tests | killed | seconds | first failure |\n|---|---|---|---|---|---|\n")
	killed := 0
	for _, m := range mutants {
		src := filepath.Join(root, m.File)
		b, err := os.ReadFile(src)
		require.NoError(t, err)
		require.Equal(t, 1, strings.Count(string(b), m.Old), "%s: %q must occur once in %s", m.Name, m.Old, m.File)
		mut := filepath.Join(dir, m.Name+".go")
		require.NoError(t, os.WriteFile(mut, []byte(strings.Replace(string(b), m.Old, m.New, 1)), 0o644))
		ov := filepath.Join(dir, m.Name+".json")
		j, _ := json.Marshal(map[string]any{"Replace": map[string]string{src: mut}})
		require.NoError(t, os.WriteFile(ov, j, 0o644))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		args := append([]string{"test", "-short", "-count=1", "-overlay", ov, "-run", m.Run}, m.Pkgs...)
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "TURNCOAT_VALIDATE_ONLY="+m.Groups, "TURNCOAT_MUTATION=")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		cancel()
		dead := err != nil
		first := ""
		if dead {
			killed++
			first = firstFailure(string(out))
		}
		fmt.Fprintf(&table, "| %s | %s | %s %s (groups %s) | %v | %.0f | %s |\n", m.Name, m.File, strings.Join(m.Pkgs, " "), m.Run, m.Groups, dead, time.Since(start).Seconds(), first)
		if !dead {
			t.Errorf("mutant %s survived:\n%s", m.Name, out)
		}
	}
	fmt.Fprintf(&table, "\nkill rate: %d/%d\n", killed, len(mutants))
	t.Log("\n" + table.String())
	if p := os.Getenv("TURNCOAT_MUTATION_REPORT"); p != "" {
		require.NoError(t, os.WriteFile(p, []byte(table.String()), 0o644))
	}
}

// firstFailure is the first failing row's message in go test output: a
// testify Messages line, else a t.Errorf line, else the first Error line.
func firstFailure(out string) string {
	lines := strings.Split(out, "\n")
	for _, pre := range []string{"Messages:", "_test.go:", "Error:"} {
		for _, line := range lines {
			if s := strings.TrimSpace(line); strings.HasPrefix(s, pre) || (pre == "_test.go:" && strings.Contains(s, pre) && !strings.Contains(s, "Error Trace")) {
				s = strings.TrimSpace(strings.TrimPrefix(s, pre))
				if len(s) > 100 {
					s = s[:100] + "…"
				}
				return strings.ReplaceAll(s, "|", "/")
			}
		}
	}
	return "(build or run failed)"
}
