package abm_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/turncoat-abm/turncoat/abm"
)

// TestAtomicRefusesSpecialFiles: issue 20 item 9. A symlink, a FIFO, a
// directory or a device at the final path is refused and left as it is;
// a regular file is replaced.
func TestAtomicRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("keep"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(target, link)
	fifo := filepath.Join(dir, "fifo")
	syscall.Mkfifo(fifo, 0o644)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	for _, p := range []string{link, fifo, sub, "/dev/null"} {
		if _, err := os.Lstat(p); err != nil {
			continue
		}
		before, _ := os.Lstat(p)
		err := abm.WriteFileAtomic(p, []byte("x"))
		if !errors.Is(err, abm.ErrNotRegular) {
			t.Errorf("%s: got %v, want ErrNotRegular", p, err)
		}
		after, err := os.Lstat(p)
		if err != nil || after.Mode() != before.Mode() {
			t.Errorf("%s was replaced: %v %v", p, after, err)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the symlink's target was written: %q", b)
	}
	// A special file that appears between CreateAtomic and Commit.
	late := filepath.Join(dir, "late")
	f, err := abm.CreateAtomic(late)
	if err != nil {
		t.Fatal(err)
	}
	os.Symlink(target, late)
	if err := f.Commit(); !errors.Is(err, abm.ErrNotRegular) {
		t.Errorf("commit over a new symlink: %v", err)
	}
	if fi, _ := os.Lstat(late); fi == nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte("old"), 0o644)
	if err := abm.WriteFileAtomic(plain, []byte("new")); err != nil {
		t.Fatal(err)
	}
}
