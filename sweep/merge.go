package sweep

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/abm"
)

var nl = []byte{'\n'}

// Merge combines the complete shard directories of one sweep (shards
// 0/n … n−1/n, each exactly once) into out, writing the same files,
// byte for byte, as the unsharded sweep. An argument that is not a sweep
// directory but holds shard-I-of-N directories (the --out of RunShard)
// stands for them. Merge refuses, naming them, shards that are missing,
// given twice, unfinished, from another sweep or of another shard count,
// and a runs.csv that does not match its manifest's checksum or holds a
// row out of place; it then leaves no output. It streams: memory does not
// grow with the number of runs (beyond the per-point means a sobol sweep
// needs).
func Merge(ctx context.Context, args []string, out string) error {
	if len(args) == 0 {
		return errors.New("sweep: merge needs shard directories")
	}
	dirs, partial, err := expandShardDirs(args)
	if err != nil {
		return err
	}
	var problems []error
	for _, d := range partial {
		problems = append(problems, fmt.Errorf("%s is unfinished (its task is still running, or was killed: run it again and it resumes)", d))
	}
	mans := make([]Manifest, 0, len(dirs))
	var good []string
	for _, d := range dirs {
		m, err := ReadManifest(d)
		switch {
		case err != nil:
			problems = append(problems, fmt.Errorf("%s: %w", d, err))
		case !m.Complete:
			problems = append(problems, fmt.Errorf("%s is not complete (finish it with --resume)", d))
		default:
			mans = append(mans, m)
			good = append(good, d)
		}
	}
	dirs = good
	n := -1
	seen := map[int]string{}
	mismatched := false // a directory that is not a shard of this sweep: then "missing" would mislead
	for i, m := range mans {
		sh, err := ParseShard(m.Shard)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s is not a shard (manifest shard %q)", dirs[i], m.Shard))
			mismatched = true
			continue
		}
		if m.SpecHash != mans[0].SpecHash {
			problems = append(problems, fmt.Errorf("%s and %s come from different sweeps (spec hashes %.12s… and %.12s…)", dirs[0], dirs[i], mans[0].SpecHash, m.SpecHash))
			mismatched = true
			continue
		}
		if n >= 0 && sh.N != n {
			problems = append(problems, fmt.Errorf("%s is shard %s but %s is of %d shards", dirs[i], m.Shard, dirs[0], n))
			mismatched = true
			continue
		}
		n = sh.N
		if d, ok := seen[sh.I]; ok {
			problems = append(problems, fmt.Errorf("shard %s given twice (%s and %s)", m.Shard, d, dirs[i]))
			continue
		}
		seen[sh.I] = dirs[i]
	}
	var missing []string
	for i := 0; i < n && !mismatched; i++ {
		if _, ok := seen[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, n))
		}
	}
	switch {
	case len(missing) == 1:
		problems = append(problems, fmt.Errorf("shard %s is missing", missing[0]))
	case len(missing) > 8:
		problems = append(problems, fmt.Errorf("%d shards are missing: %s, … %s", len(missing), strings.Join(missing[:4], ", "), missing[len(missing)-1]))
	case len(missing) > 1:
		problems = append(problems, fmt.Errorf("shards %s are missing", strings.Join(missing, ", ")))
	}
	if n < 0 && len(problems) == 0 {
		problems = append(problems, errors.New("no complete shard"))
	}
	if len(problems) > 0 {
		for i, p := range problems {
			problems[i] = fmt.Errorf("sweep: merge: %w", p)
		}
		return errors.Join(problems...)
	}
	// Shard i in dirs[i] from here on.
	dirs = make([]string, n)
	for i, d := range seen {
		dirs[i] = d
	}
	// The shard's own copy of the resolved scenario stands in for the
	// original file, which may live elsewhere on another machine.
	scen, err := filepath.Abs(filepath.Join(dirs[0], ScenarioFile))
	if err != nil {
		return err
	}
	quoted, err := yaml.Marshal(scen) // a YAML string, whatever the path holds
	if err != nil {
		return err
	}
	spec, err := Load(filepath.Join(dirs[0], SpecFile), "scenario="+strings.TrimSpace(string(quoted)))
	if err != nil {
		return fmt.Errorf("sweep: merge: %w", err)
	}
	p, err := prepare(spec)
	if err != nil {
		return err
	}
	if p.hash != mans[0].SpecHash {
		return fmt.Errorf("sweep: merge: the scenario behind %s changed since the shards ran", dirs[0])
	}
	// out must be missing or an empty directory: never a file, and never
	// anything this call did not create is removed on failure.
	created, err := checkOutDir(out)
	if err != nil {
		return fmt.Errorf("sweep: merge: %w", err)
	}
	man := p.manifest(Shard{})
	st := &state{p: p, opt: Options{Dir: out}}
	st.initAgg()
	defer st.close()
	// On failure, take the partial output away so that a rerun can start.
	ok := false
	defer func() {
		if !ok {
			st.close()
			removeCreated(out, created)
		}
	}()
	if _, err := st.openDir(man); err != nil {
		return err
	}
	// Keep the shards' sweep.yaml as it is (it names the original scenario).
	orig, err := os.ReadFile(filepath.Join(dirs[0], SpecFile))
	if err != nil {
		return err
	}
	if err := abm.WriteFileAtomic(filepath.Join(out, SpecFile), orig); err != nil {
		return err
	}

	// Run r belongs to point r div replicates, which shard (point mod n)
	// holds: read each row from its shard, check that it is run r, and
	// hash runs.csv on the way to compare with the shard's manifest.
	type src struct {
		sc     *bufio.Scanner
		dir    string
		lineNo int
		h      hash.Hash
		sum    string
	}
	srcs := make([]*src, n)
	for i, d := range dirs {
		f, err := os.Open(filepath.Join(d, RunsFile))
		if err != nil {
			return fmt.Errorf("sweep: merge: %w", err)
		}
		defer f.Close()
		m, _ := ReadManifest(d)
		s := &src{sc: bufio.NewScanner(f), dir: d, h: sha256.New(), sum: m.SHA256[RunsFile]}
		s.sc.Buffer(make([]byte, 1<<16), 1<<24)
		srcs[i] = s
		if s.sc.Scan() { // header
			s.lineNo++
			s.h.Write(s.sc.Bytes())
			s.h.Write(nl)
		}
	}
	count := 0
	reps := man.Replicates
	for r := 0; r < man.Runs; r++ {
		s := srcs[(r/reps)%n]
		if !s.sc.Scan() {
			if err := s.sc.Err(); err != nil {
				return fmt.Errorf("sweep: merge: %s: %w", filepath.Join(s.dir, RunsFile), err)
			}
			return fmt.Errorf("sweep: merge: %s ends at line %d, before run %d", filepath.Join(s.dir, RunsFile), s.lineNo, r)
		}
		s.lineNo++
		line := s.sc.Bytes()
		s.h.Write(line)
		s.h.Write(nl)
		if run, _, _ := strings.Cut(string(line[:min(len(line), 24)]), ","); run != strconv.Itoa(r) {
			return fmt.Errorf("sweep: merge: %s line %d holds run %q where run %d belongs (a duplicate, missing or foreign row)", filepath.Join(s.dir, RunsFile), s.lineNo, run, r)
		}
		row, err := st.parseRow(string(line))
		if err != nil {
			return fmt.Errorf("sweep: merge: %s line %d: %w", filepath.Join(s.dir, RunsFile), s.lineNo, err)
		}
		if err := st.row(row, nil); err != nil {
			return err
		}
		if count++; count%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	for _, s := range srcs {
		if s.sc.Scan() {
			return fmt.Errorf("sweep: merge: %s line %d: a row beyond the shard's runs", filepath.Join(s.dir, RunsFile), s.lineNo+1)
		}
		if s.sum != "" && hexSum(s.h) != s.sum {
			return fmt.Errorf("sweep: merge: %s does not match the checksum in its manifest (changed or damaged since the shard finished)", filepath.Join(s.dir, RunsFile))
		}
	}
	if count != man.Runs {
		return fmt.Errorf("sweep: merge: the shards hold %d runs, the sweep has %d", count, man.Runs)
	}
	if err := st.finish(&man); err != nil {
		return err
	}
	ok = true
	return nil
}

// checkOutDir accepts an output directory that does not exist (it reports
// created=true: the caller will create it) or is an empty directory; it
// refuses a file, a symlink or a directory that holds anything.
func checkOutDir(out string) (created bool, err error) {
	fi, err := os.Lstat(out)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.IsDir() {
		return false, fmt.Errorf("%s exists and is not a directory: choose another --out", out)
	}
	if entries, err := os.ReadDir(out); err != nil {
		return false, err
	} else if len(entries) > 0 {
		return false, fmt.Errorf("%s exists and is not empty: choose another --out", out)
	}
	return false, nil
}

// removeCreated removes the sweep files written into out and, when this
// call created it, the directory itself if it is then empty. It removes
// nothing else: a path the user owns is never touched.
func removeCreated(out string, created bool) {
	if fi, err := os.Lstat(out); err != nil || !fi.IsDir() {
		return
	}
	for _, f := range []string{ManifestFile, SpecFile, ScenarioFile, RunsFile, RunsJSONFile, PointsFile, SensitivityFile} {
		os.Remove(filepath.Join(out, f))
	}
	abm.CleanTemps(out)
	if created {
		os.Remove(out) // only if empty
	}
}
