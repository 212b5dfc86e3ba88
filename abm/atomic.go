package abm

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// AtomicFile is a file that appears under its final name only when Commit
// succeeds: it is written to a hidden temporary file in the same directory
// and renamed on Commit. Abort (or a crash) never leaves a partial file under
// the final name.
type AtomicFile struct {
	*os.File
	path string
	done bool
}

// CreateAtomic starts an AtomicFile that will be committed to path.
//
// path must be missing or a regular file: a symlink, directory, FIFO,
// device or socket is refused (ErrNotRegular), never replaced.
func CreateAtomic(path string) (*AtomicFile, error) {
	if err := replaceable(path); err != nil {
		return nil, err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("abm: create %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("abm: create %s: %w", path, err)
	}
	return &AtomicFile{File: f, path: path}, nil
}

// Commit flushes the file to disk and renames it to its final name.
func (f *AtomicFile) Commit() error {
	if f.done {
		return errors.New("abm: atomic file already closed")
	}
	f.done = true
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = replaceable(f.path) // it may have changed since CreateAtomic
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("abm: write %s: %w", f.path, err)
	}
	return nil
}

// Abort discards the file. It is a no-op after Commit.
func (f *AtomicFile) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// WriteFileAtomic writes data to path through an AtomicFile.
func WriteFileAtomic(path string, data []byte) error {
	f, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("abm: write %s: %w", path, err)
	}
	return f.Commit()
}

// CleanTemps removes the temporary files that AtomicFile left in dir when a
// process was killed before Commit or Abort (".<name>.tmp-*"). It returns
// the number removed.
func CleanTemps(dir string) (int, error) {
	matches, err := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range matches {
		if os.Remove(m) == nil {
			n++
		}
	}
	return n, nil
}

// ErrNotRegular is returned by CreateAtomic and Commit when the final path
// exists and is not a regular file.
var ErrNotRegular = errors.New("exists and is not a regular file")

// replaceable reports whether path may be replaced by a rename: it does
// not exist or is a regular file (not a symlink, directory or special file).
func replaceable(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("abm: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("abm: %s %w (%s): refusing to replace it", path, ErrNotRegular, fi.Mode().Type())
	}
	return nil
}
