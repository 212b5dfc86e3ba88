package sweep

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// PartialSuffix ends the name of a shard directory that RunShard has not
// finished: it is renamed to ShardDir's name when the shard completes.
const PartialSuffix = ".partial"

// ShardDir is the directory RunShard writes shard sh into under parent:
// parent/shard-03-of-16 (the index padded to the width of n−1, so that
// names sort in shard order).
func ShardDir(parent string, sh Shard) string {
	w := len(strconv.Itoa(max(sh.N-1, 0)))
	return filepath.Join(parent, fmt.Sprintf("shard-%0*d-of-%d", w, sh.I, sh.N))
}

var shardDirName = regexp.MustCompile(`^shard-([0-9]+)-of-([0-9]+)(\.partial)?$`)

// ErrShardBusy is returned by RunShard when another process holds the
// shard's lock (the same array task running twice at once).
var ErrShardBusy = errors.New("sweep: the shard is being run by another process")

// ShardResult reports what RunShard did.
type ShardResult struct {
	*Result
	// Dir is the shard's finished directory.
	Dir string
	// AlreadyComplete is set when Dir was complete before the call, which
	// then did nothing but verify it.
	AlreadyComplete bool
}

// RunShard runs shard opt.Shard of spec into ShardDir(parent, opt.Shard),
// so that a scheduler may start, kill, retry and requeue it freely:
//
//   - the shard works in the directory's ".partial" twin and renames it to
//     its final name only when every file is complete, so the final
//     directory exists whole or not at all;
//   - a run that finds the final directory complete (same sweep, verified
//     checksums) does nothing;
//   - a run that finds the ".partial" directory resumes it: complete rows
//     are kept, a cut row is dropped, and no row is ever written twice;
//   - a run that finds the shard locked by another live process (the same
//     task started twice) returns ErrShardBusy without touching it.
//
// opt.Dir, opt.Resume and opt.Force are set by RunShard.
func RunShard(ctx context.Context, spec *Spec, parent string, opt Options) (*ShardResult, error) {
	if opt.Shard.N < 1 {
		return nil, errors.New("sweep: RunShard needs a shard (Options.Shard)")
	}
	start := time.Now()
	final := ShardDir(parent, opt.Shard)
	partial := final + PartialSuffix
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	unlock, err := lockShard(filepath.Join(parent, "."+filepath.Base(final)+".lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()

	p, err := prepare(spec)
	if err != nil {
		return nil, err
	}
	want := p.manifest(opt.Shard)
	if m, err := ReadManifest(final); err == nil {
		switch {
		case m.SpecHash != want.SpecHash:
			return nil, fmt.Errorf("sweep: %s holds shard %s of a different sweep (spec hash %.12s…, this sweep's %.12s…): use another --out", final, m.Shard, m.SpecHash, want.SpecHash)
		case m.Shard != want.Shard:
			return nil, fmt.Errorf("sweep: %s holds shard %q, not %q", final, m.Shard, want.Shard)
		case !m.Complete:
			return nil, fmt.Errorf("sweep: %s is marked incomplete although it was renamed from %s: remove it to run the shard again", final, filepath.Base(partial))
		}
		if err := VerifyDir(final); err != nil {
			return nil, err
		}
		return &ShardResult{Result: &Result{Manifest: m, Skipped: m.ShardRuns, Elapsed: time.Since(start)}, Dir: final, AlreadyComplete: true}, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("sweep: %s: %w", final, err)
	}

	opt.Dir = partial
	opt.Resume, opt.Force = false, false
	if _, err := ReadManifest(partial); err == nil {
		opt.Resume = true
	} else if _, serr := os.Stat(partial); serr == nil {
		opt.Force = true // killed before its manifest was written: start again
	}
	res, err := Run(ctx, spec, opt)
	if err != nil {
		return &ShardResult{Result: res, Dir: partial}, err
	}
	if err := os.Rename(partial, final); err != nil {
		return &ShardResult{Result: res, Dir: partial}, fmt.Errorf("sweep: %w", err)
	}
	if d, err := os.Open(parent); err == nil { // make the rename durable
		d.Sync()
		d.Close()
	}
	return &ShardResult{Result: res, Dir: final}, nil
}

// VerifyDir checks the files of a complete sweep directory against the
// SHA-256 sums in its manifest, and names the first that differs.
func VerifyDir(dir string) error {
	m, err := ReadManifest(dir)
	if err != nil {
		return fmt.Errorf("sweep: %s: %w", dir, err)
	}
	if !m.Complete {
		return fmt.Errorf("sweep: %s is not complete", dir)
	}
	for _, name := range slices.Sorted(maps.Keys(m.SHA256)) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		if got := hexSum(h); got != m.SHA256[name] {
			return fmt.Errorf("sweep: %s does not match the checksum in its manifest (changed or damaged since the sweep finished)", filepath.Join(dir, name))
		}
	}
	return nil
}

// expandShardDirs replaces each argument that is not itself a sweep
// directory but holds shard-I-of-N directories (the --out of
// `sweep --shard auto`) by those directories. It returns the unfinished
// (".partial") ones apart.
func expandShardDirs(args []string) (dirs, partial []string, err error) {
	for _, a := range args {
		if _, err := os.Stat(filepath.Join(a, ManifestFile)); err == nil {
			dirs = append(dirs, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, nil, fmt.Errorf("sweep: merge: %w", err)
		}
		found := false
		for _, e := range entries {
			m := shardDirName.FindStringSubmatch(e.Name())
			if m == nil || !e.IsDir() {
				continue
			}
			found = true
			if m[3] != "" {
				partial = append(partial, filepath.Join(a, e.Name()))
			} else {
				dirs = append(dirs, filepath.Join(a, e.Name()))
			}
		}
		if !found {
			return nil, nil, fmt.Errorf("sweep: merge: %s is neither a sweep directory (no %s) nor a directory of shard-I-of-N directories", a, ManifestFile)
		}
	}
	return dirs, partial, nil
}

// ErrDirBusy is returned when another process is writing the sweep
// directory (a second sweep, --resume or --force on a running sweep's
// directory, or a merge into it).
var ErrDirBusy = errors.New("sweep: another process is writing this sweep directory")

// lockDir locks the sweep directory dir through the file ".<base>.lock"
// next to it (in its parent, so that dir itself stays empty until the
// sweep writes it). It is taken before anything in dir is cleaned,
// removed or checked, and held until the sweep's files are closed.
func lockDir(dir string) (func(), error) {
	clean := filepath.Clean(dir)
	parent := filepath.Dir(clean)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	unlock, err := lockShard(filepath.Join(parent, "."+filepath.Base(clean)+".lock"))
	if errors.Is(err, ErrShardBusy) {
		return nil, fmt.Errorf("%w: %s (wait for it to finish, or stop it first)", ErrDirBusy, dir)
	}
	return unlock, err
}
