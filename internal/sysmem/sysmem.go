// Package sysmem reads how much memory the machine has available and
// refuses work that would not fit, with a message that gives the estimate.
package sysmem

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Available returns the memory available to new work in bytes (Linux
// MemAvailable), and false where it cannot be read.
func Available() (uint64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, false
			}
			return kb * 1024, true
		}
	}
	return 0, false
}

// Check returns an error when need bytes exceed 90% of the available
// memory; what names the work ("this run", "this sweep") and hint says how
// to shrink it. Where available memory is unknown it returns nil.
func Check(need uint64, what, hint string) error {
	avail, ok := Available()
	if !ok || float64(need) <= 0.9*float64(avail) {
		return nil
	}
	return fmt.Errorf("%s needs about %s of memory but the machine has %s available; %s", what, Bytes(need), Bytes(avail), hint)
}

// Bytes formats n bytes for people.
func Bytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
