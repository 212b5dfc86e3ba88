package sweep_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/turncoat-abm/turncoat/sweep"
)

// FuzzParseSweep feeds arbitrary sweep files to the decoder: an error or a
// valid spec, never a panic.
func FuzzParseSweep(f *testing.F) {
	for _, p := range []string{"testdata/grid.yaml", "testdata/sobol.yaml", "../examples/sweeps/phase_diagram.yaml", "../examples/sweeps/instruments_lhs.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("scenario: soviet1991\nsampler: lhs\nsamples: 3\nparameters: [{name: regions.Ukraine.legitimacy, range: [0.1, 0.2], log: true}]\n"))
	f.Add([]byte("scenario: soviet1991\nsampler: grid\nparameters: [{name: shocks.0.scale.regime.legitimacy, values: [0.5]}]\noutputs: [exit_tick.Ukraine]\n"))
	// Issue 20: oversized designs, duplicate targets and outputs, a
	// second document, a leading-zero integer, a missing sampler.
	for _, y := range []string{
		"scenario: tiny.yaml\nsampler: sobol\nsamples: 9223372036854775807\nparameters: [{name: regime.pay, range: [0.5, 1]}]\n",
		"scenario: tiny.yaml\nsampler: grid\nparameters: [{name: regime.pay, range: [0.5, 1], steps: 4294967296}, {name: regime.repression, range: [0, 1], steps: 4294967296}]\n",
		"scenario: tiny.yaml\nsampler: sobol\nsamples: 4\nbootstrap: 1000000000\nparameters: [{name: regime.pay, range: [0.5, 1]}]\n",
		"scenario: tiny.yaml\nsampler: grid\nparameters: [{name: regions.0.legitimacy, values: [0.5]}, {name: regions.province.legitimacy, values: [0.6]}]\noutputs: [collapsed, collapsed]\n",
		"scenario: tiny.yaml\nsampler: grid\nparameters: [{name: regime.pay, values: [1]}]\n---\nsampler: lhs\n",
		"scenario: tiny.yaml\nsampler: lhs\nsamples: 010\nreplicates: 1000\nparameters: [{name: regime.pay, range: [0.5, 1]}]\n",
		"scenario: tiny.yaml\nparameters: [{name: regime.pay, range: [0.5, 1]}]\n",
		"",
	} {
		f.Add([]byte(y))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "tiny.yaml"), tiny, 0o644)
		sweep.Parse(filepath.Join(dir, "sweep.yaml"), data)
	})
}

// FuzzParseShard: "i/n" or an error.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/1", "2/3", "3/2", "-1/2", "1/0", "a/b", "1/2/3", "", "/", "99999999999999999999/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := sweep.ParseShard(s)
		if err == nil && (sh.N < 1 || sh.I < 0 || sh.I >= sh.N) {
			t.Fatalf("ParseShard(%q) = %+v without error", s, sh)
		}
	})
}

// FuzzResume resumes a sweep whose runs.csv and runs.jsonl were replaced
// by arbitrary bytes (a corrupted or foreign log): an error or a completed
// sweep, never a panic or a hang.
func FuzzResume(f *testing.F) {
	f.Add([]byte("run,point,replicate,seed,regime.repression,regime.pay,collapsed,collapse_tick,final_share.soldier,peak_share.citizen,exited.province\n0,0,0,1,0.1,0.8,0,,0.1,0.2,0\n"), []byte("{}\n"))
	f.Add([]byte("run,point\n5,0,0,1,x,y\n"), []byte("\n\n"))
	f.Add([]byte(""), []byte(""))
	f.Add([]byte("h\n0,9,9,9,1,1,1,1,1,1,1\n"), []byte("{}\n"))
	f.Fuzz(func(t *testing.T, csv, jsonl []byte) {
		dir := filepath.Join(t.TempDir(), "s")
		spec, err := sweep.Load("testdata/grid.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sweep.Run(context.Background(), spec, sweep.Options{Dir: dir}); err != nil {
			t.Fatal(err)
		}
		ref, _ := os.ReadFile(filepath.Join(dir, sweep.RunsFile))
		refJSON, _ := os.ReadFile(filepath.Join(dir, sweep.RunsJSONFile))
		os.WriteFile(filepath.Join(dir, sweep.RunsFile), csv, 0o644)
		os.WriteFile(filepath.Join(dir, sweep.RunsJSONFile), jsonl, 0o644)
		if _, err := sweep.Run(context.Background(), spec, sweep.Options{Dir: dir, Resume: true}); err != nil {
			return
		}
		// A resume that succeeds must give the uninterrupted sweep's
		// files: whatever it kept was a true prefix (issue 20 item 4).
		got, _ := os.ReadFile(filepath.Join(dir, sweep.RunsFile))
		gotJSON, _ := os.ReadFile(filepath.Join(dir, sweep.RunsJSONFile))
		if string(got) != string(ref) || string(gotJSON) != string(refJSON) {
			t.Fatalf("resume accepted a corrupted log and finished with different files")
		}
	})
}

var tiny, _ = os.ReadFile("testdata/tiny.yaml")
