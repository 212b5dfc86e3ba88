//go:build unix

package sweep

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockShard takes an exclusive advisory lock (flock) on path, created if
// needed. The kernel drops the lock when the process dies, so a killed
// shard never blocks its requeued successor.
func lockShard(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s is locked)", ErrShardBusy, path)
		}
		// A file system without flock (some NFS mounts): go on unlocked.
		return func() {}, nil
	}
	return func() { f.Close() }, nil
}
