package sweepbeam_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/turncoat-abm/turncoat/beam/sweepbeam"
	"github.com/turncoat-abm/turncoat/sweep"
)

const spec = "../../sweep/testdata/sobol.yaml"

var files = []string{sweep.RunsFile, sweep.RunsJSONFile, sweep.PointsFile, sweep.SensitivityFile,
	sweep.ManifestFile, sweep.SpecFile, sweep.ScenarioFile}

func TestMain(m *testing.M) {
	beam.Init()
	os.Exit(m.Run())
}

func runPipeline(t *testing.T, cfg sweepbeam.Config) {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	if err := sweepbeam.Pipeline(s, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := prism.Execute(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

func modTimes(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		m[path] = info.ModTime().UnixNano()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPrismMatchesCore runs a sobol sweep as a Beam pipeline on Prism and
// compares every file with the core runner's, byte for byte; then runs it
// again into the same directory and checks that nothing was rewritten.
func TestPrismMatchesCore(t *testing.T) {
	tmp := t.TempDir()
	s, err := sweep.Load(spec)
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(tmp, "core")
	if _, err := sweep.Run(context.Background(), s, sweep.Options{Dir: ref}); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(spec)
	out := filepath.Join(tmp, "beam")
	cfg := sweepbeam.Config{Spec: abs, Out: out, Shards: 7}
	runPipeline(t, cfg)
	for _, f := range files {
		a, err := os.ReadFile(filepath.Join(ref, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(sweepbeam.MergedDir(out), f))
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("%s differs between the core runner and the Beam pipeline", f)
		}
	}
	entries, _ := os.ReadDir(sweepbeam.ShardsDir(out))
	n := 0
	for _, e := range entries {
		if e.IsDir() {
			n++
		}
	}
	if n != 7 {
		t.Errorf("%d shard directories, want 7", n)
	}

	before := modTimes(t, out)
	runPipeline(t, cfg)
	after := modTimes(t, out)
	for p, tm := range before {
		if filepath.Ext(p) == ".lock" {
			continue
		}
		if after[p] != tm {
			t.Errorf("the second run rewrote %s", p)
		}
	}
	if len(after) != len(before) {
		t.Errorf("the second run left %d paths, the first %d", len(after), len(before))
	}
}

func TestPipelineRejectsBadConfig(t *testing.T) {
	_, s := beam.NewPipelineWithRoot()
	if err := sweepbeam.Pipeline(s, sweepbeam.Config{Spec: spec, Out: t.TempDir()}); err == nil {
		t.Error("Shards 0 accepted")
	}
	if err := sweepbeam.Pipeline(s, sweepbeam.Config{Spec: "missing.yaml", Out: t.TempDir(), Shards: 2}); err == nil {
		t.Error("a missing sweep file accepted")
	}
}
