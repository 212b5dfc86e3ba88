package benchmarks

import (
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// TestMesaPeerScript runs benchmarks/peers/run.sh (Mesa's own Epstein
// example on the mesa variant's setting) for a few steps: it must exit 0
// and print either its RESULT lines or a SKIP line (when Python or the mesa
// package is missing). With TURNCOAT_PEERS=1 (asked to time the peer) a
// missing peer fails the test instead of skipping it.
func TestMesaPeerScript(t *testing.T) {
	required := os.Getenv("TURNCOAT_PEERS") == "1"
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if _, err := exec.LookPath("python3"); err != nil && !required {
		t.Skip("no python3")
	}
	out, err := exec.Command(bash, "peers/run.sh", "--steps", "3", "--repeats", "1").CombinedOutput()
	if err != nil {
		t.Fatalf("run.sh: %v\n%s", err, out)
	}
	result := regexp.MustCompile(`(?m)^RESULT impl=mesa-\S+ grid=40x40 agents=\d+ steps=3 seconds=\S+ agent-steps/s=\S+ datacollector=(on|off)$`)
	skip := regexp.MustCompile(`(?m)^SKIP: .+$`)
	switch {
	case len(result.FindAll(out, -1)) == 2:
		t.Logf("Mesa ran:\n%s", out)
	case skip.Match(out) && required:
		t.Fatalf("TURNCOAT_PEERS=1 asks to time Mesa, but the peer was skipped: %s", skip.Find(out))
	case skip.Match(out):
		t.Logf("peer skipped: %s", skip.Find(out))
	default:
		t.Fatalf("run.sh printed neither two RESULT lines nor a SKIP line:\n%s", out)
	}
}
