package sweep

import (
	"errors"
	"path/filepath"
	"testing"
)

// TestCheckDisk: issue 20 item 10. A sweep whose files need more than the
// free space (and at least 1 GiB) is refused before it starts, also when
// its directory does not exist yet.
func TestCheckDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "yet")
	if err := checkDisk(dir, 300e12); !errors.Is(err, ErrDiskTooSmall) {
		if _, ok := freeBytes(filepath.Dir(filepath.Dir(dir))); ok {
			t.Errorf("300 TB: %v", err)
		}
	}
	if err := checkDisk(dir, 1<<20); err != nil {
		t.Errorf("1 MiB: %v", err)
	}
}
