package sysmem

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	avail, ok := Available()
	if !ok {
		t.Skip("no /proc/meminfo")
	}
	if err := Check(1<<20, "this run", "lower scale"); err != nil {
		t.Fatalf("1 MiB refused: %v", err)
	}
	err := Check(avail*2, "this run", "lower scale")
	if err == nil || !strings.Contains(err.Error(), "needs about") || !strings.Contains(err.Error(), "lower scale") {
		t.Fatalf("twice the available memory: err = %v", err)
	}
	if got := Bytes(3 << 30); got != "3.0 GiB" {
		t.Errorf("Bytes = %q", got)
	}
}
