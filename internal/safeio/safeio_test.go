package safeio

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadFile: issue 20 item 6. /dev/zero, a FIFO and a directory are
// refused at once (no hang, no growth); an oversized file is refused; a
// regular file and a symlink to one are read.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no mkfifo:", err)
	}
	for _, p := range []string{"/dev/zero", fifo, dir} {
		if _, err := ReadFile(p, MaxInput); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: got %v, want ErrNotRegular", p, err)
		}
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, 101), 0o644)
	if _, err := ReadFile(big, 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("101 bytes with limit 100: %v", err)
	}
	ok := filepath.Join(dir, "ok")
	os.WriteFile(ok, []byte("ticks: 5\n"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(ok, link)
	for _, p := range []string{ok, link} {
		if b, err := ReadFile(p, 100); err != nil || string(b) != "ticks: 5\n" {
			t.Errorf("%s: %q, %v", p, b, err)
		}
	}
}
