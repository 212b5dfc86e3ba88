package sweep

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/abm"
)

// Merge combines the complete shard directories of one sweep (shards
// 0/n … n−1/n, each exactly once) into out, writing the same files,
// byte for byte, as the unsharded sweep. It streams: memory does not grow
// with the number of runs (beyond the per-point means a sobol sweep needs).
func Merge(ctx context.Context, dirs []string, out string) error {
	if len(dirs) == 0 {
		return errors.New("sweep: merge needs shard directories")
	}
	mans := make([]Manifest, len(dirs))
	for i, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			return fmt.Errorf("sweep: merge: %s: %w", d, err)
		}
		if !m.Complete {
			return fmt.Errorf("sweep: merge: %s is not complete (finish it with --resume)", d)
		}
		mans[i] = m
	}
	n := -1
	seen := map[int]string{}
	for i, m := range mans {
		sh, err := ParseShard(m.Shard)
		if err != nil {
			return fmt.Errorf("sweep: merge: %s is not a shard (manifest shard %q)", dirs[i], m.Shard)
		}
		if m.SpecHash != mans[0].SpecHash {
			return fmt.Errorf("sweep: merge: %s and %s come from different sweeps (spec hashes differ)", dirs[0], dirs[i])
		}
		if n >= 0 && sh.N != n {
			return fmt.Errorf("sweep: merge: %s is shard %s but %s is of %d shards", dirs[i], m.Shard, dirs[0], n)
		}
		n = sh.N
		if d, ok := seen[sh.I]; ok {
			return fmt.Errorf("sweep: merge: shard %s given twice (%s and %s)", m.Shard, d, dirs[i])
		}
		seen[sh.I] = dirs[i]
	}
	for i := 0; i < n; i++ {
		if _, ok := seen[i]; !ok {
			return fmt.Errorf("sweep: merge: shard %d/%d is missing", i, n)
		}
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
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("sweep: merge: %s exists and is not empty: choose another --out", out)
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
			for _, f := range []string{ManifestFile, SpecFile, ScenarioFile, RunsFile, RunsJSONFile, PointsFile, SensitivityFile} {
				os.Remove(filepath.Join(out, f))
			}
			os.Remove(out) // only if empty
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

	// k-way merge of the shards' runs.csv by run number.
	type src struct {
		sc     *bufio.Scanner
		f      *os.File
		dir    string
		line   string
		lineNo int
		run    int
		ok     bool
	}
	srcs := make([]*src, len(dirs))
	advance := func(s *src) error {
		s.ok = s.sc.Scan()
		if !s.ok {
			return s.sc.Err()
		}
		s.line = s.sc.Text()
		s.lineNo++
		r, _, _ := strings.Cut(s.line, ",")
		var err error
		s.run, err = strconv.Atoi(r)
		return err
	}
	for i, d := range dirs {
		f, err := os.Open(filepath.Join(d, RunsFile))
		if err != nil {
			return fmt.Errorf("sweep: merge: %w", err)
		}
		defer f.Close()
		s := &src{sc: bufio.NewScanner(f), f: f, dir: d, lineNo: 1}
		s.sc.Buffer(make([]byte, 1<<16), 1<<24)
		s.sc.Scan() // header
		if err := advance(s); err != nil {
			return fmt.Errorf("sweep: merge: %s: %w", d, err)
		}
		srcs[i] = s
	}
	count := 0
	for {
		var best *src
		for _, s := range srcs {
			if s.ok && (best == nil || s.run < best.run) {
				best = s
			}
		}
		if best == nil {
			break
		}
		row, err := st.parseRow(best.line)
		if err != nil {
			return fmt.Errorf("sweep: merge: %s line %d: %w", filepath.Join(best.dir, RunsFile), best.lineNo, err)
		}
		if err := st.row(row, nil); err != nil {
			return err
		}
		if err := advance(best); err != nil {
			return fmt.Errorf("sweep: merge: %w", err)
		}
		if count++; count%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
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
