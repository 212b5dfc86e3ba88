// Package safeio reads input files with a size limit and refuses anything
// that is not a regular file (a FIFO would block, /dev/zero never ends, a
// directory is a mistake), so that a bad path gives a clear error at once
// instead of a hang or unbounded memory.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxInput is the largest input file (scenario, sweep spec, case table)
// ReadFile accepts: 64 MiB.
const MaxInput = 64 << 20

// ErrNotRegular is returned for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned for a file larger than the limit.
var ErrTooLarge = errors.New("file too large")

// ReadFile reads the regular file path (symlinks followed) of at most
// limit bytes. It checks the kind before opening, so a FIFO or a device
// never blocks or streams, and stops reading at limit+1 bytes whatever
// Stat said.
func ReadFile(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		kind := "a special file"
		switch {
		case fi.IsDir():
			kind = "a directory"
		case fi.Mode()&os.ModeNamedPipe != 0:
			kind = "a named pipe (FIFO)"
		case fi.Mode()&os.ModeDevice != 0:
			kind = "a device"
		case fi.Mode()&os.ModeSocket != 0:
			kind = "a socket"
		}
		return nil, fmt.Errorf("%s is %s: %w", path, kind, ErrNotRegular)
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s holds %d bytes, more than the %d accepted: %w", path, fi.Size(), limit, ErrTooLarge)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi2, err := f.Stat(); err != nil || !fi2.Mode().IsRegular() { // replaced since Stat
		return nil, fmt.Errorf("%s is not a regular file: %w", path, ErrNotRegular)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s holds more than the %d bytes accepted: %w", path, limit, ErrTooLarge)
	}
	return data, nil
}
