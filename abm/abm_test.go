package abm_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/turncoat-abm/turncoat/abm"
)

func TestSpearman(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		want float64
	}{
		{"identical order", []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1},
		{"reversed", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1},
		// Textbook example without ties: d = (0,-1,1,...) gives 1 - 6Σd²/(n(n²-1)).
		{"one swap of five", []float64{1, 2, 3, 4, 5}, []float64{1, 3, 2, 4, 5}, 1 - 6*2.0/(5*24)},
		// With ties, Spearman is the Pearson correlation of mid-ranks:
		// x ranks (1, 2.5, 2.5, 4), y ranks (1, 2, 3, 4) → 0.9486832980505138.
		{"ties", []float64{1, 2, 2, 3}, []float64{1, 2, 3, 4}, 0.9486832980505138},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := abm.Spearman(tc.x, tc.y); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("Spearman = %.15g, want %.15g", got, tc.want)
			}
		})
	}
	if !math.IsNaN(abm.Spearman([]float64{1, 1, 1}, []float64{1, 2, 3})) {
		t.Error("constant variable: want NaN")
	}
}

func TestRanksTies(t *testing.T) {
	got := make([]float64, 5)
	abm.Ranks(got, []float64{30, 10, 20, 10, 30})
	want := []float64{4.5, 1.5, 3, 1.5, 4.5}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Ranks = %v, want %v", got, want)
		}
	}
}

// counter is a toy model: a random walk.
type counter struct {
	x    float64
	done int
}

func (c *counter) Reset(r *rand.Rand) error { c.x = r.Float64(); return nil }
func (c *counter) Step(_ context.Context, t int, r *rand.Rand) error {
	c.x += r.NormFloat64()
	c.done = t + 1
	return nil
}
func (c *counter) Header() []string      { return []string{"x", "label,with comma"} }
func (c *counter) Observe(dst []float64) { dst[0], dst[1] = c.x, math.NaN() }

func TestRunDeterministicTable(t *testing.T) {
	var a, b bytes.Buffer
	for _, buf := range []*bytes.Buffer{&a, &b} {
		m := &counter{}
		tab := abm.NewTable(buf, m)
		if _, err := abm.Run(context.Background(), m, abm.Config{Ticks: 50, Seed: 42, Recorders: []abm.Recorder{tab}}); err != nil {
			t.Fatal(err)
		}
		if err := tab.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed, different bytes")
	}
	lines := bytes.Split(bytes.TrimSpace(a.Bytes()), []byte("\n"))
	if len(lines) != 51 || string(lines[0]) != `tick,x,"label,with comma"` {
		t.Fatalf("header %q, %d lines", lines[0], len(lines))
	}
	if !bytes.HasSuffix(lines[1], []byte(",")) {
		t.Errorf("NaN should be an empty field: %q", lines[1])
	}
}

func TestRunContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := &counter{}
	_, err := abm.Run(ctx, m, abm.Config{Ticks: 10, Seed: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if m.done != 0 {
		t.Errorf("ran %d ticks after cancellation", m.done)
	}
	if _, err := abm.Run(context.Background(), m, abm.Config{Ticks: 0}); !errors.Is(err, abm.ErrBadConfig) {
		t.Errorf("Ticks 0: err = %v, want ErrBadConfig", err)
	}
}

func TestRunSeedIndependentOfOrder(t *testing.T) {
	seen := map[uint64]bool{}
	for p := 0; p < 20; p++ {
		for r := 0; r < 20; r++ {
			s := abm.RunSeed(1, p, r)
			if seen[s] {
				t.Fatalf("RunSeed collision at point %d replicate %d", p, r)
			}
			seen[s] = true
			if s != abm.RunSeed(1, p, r) {
				t.Fatal("RunSeed not a pure function")
			}
		}
	}
}

func TestAtomicFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	f, err := abm.CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("partial")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("final name exists before Commit")
	}
	f.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("Abort left %d files", len(entries))
	}
	if err := abm.WriteFileAtomic(path, []byte("done\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "done\n" {
		t.Fatalf("content %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("want only the final file, got %d entries", len(entries))
	}
}

func TestCSVField(t *testing.T) {
	for in, want := range map[string]string{"plain": "plain", "a,b": `"a,b"`, `say "hi"`: `"say ""hi"""`} {
		if got := abm.CSVField(in); got != want {
			t.Errorf("CSVField(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestMemoryRecorder(t *testing.T) {
	m := &counter{}
	mem := abm.NewMemory(m)
	if _, err := abm.Run(context.Background(), m, abm.Config{Ticks: 4, Seed: 42, Recorders: []abm.Recorder{mem}}); err != nil {
		t.Fatal(err)
	}
	if len(mem.Rows) != 4 || len(mem.Tick) != 4 || mem.Tick[3] != 3 || len(mem.Rows[0]) != len(mem.Header()) {
		t.Fatalf("rows %d ticks %v", len(mem.Rows), mem.Tick)
	}
	if mem.Rows[0][0] == mem.Rows[3][0] {
		t.Error("rows are copies of one buffer")
	}
}
