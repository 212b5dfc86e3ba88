package stats

import (
	"math"
	"testing"
)

func TestPearson(t *testing.T) {
	cases := []struct {
		x, y []float64
		want float64
		ok   bool
	}{
		{[]float64{1, 2, 3}, []float64{2, 4, 6}, 1, true},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, -1, true},
		// By hand: x̄ = 2.5, ȳ = 2; Σdxdy = 1.5 − 0.5 = 1, Σdx² = 5, Σdy² = 2.
		{[]float64{1, 2, 3, 4}, []float64{1, 3, 2, 2}, 1 / math.Sqrt(10), true},
		{[]float64{1, 2, 3}, []float64{5, 5, 5}, 0, false},
		{[]float64{0.1 + 0.2, 0.3, 0.3}, []float64{1, 2, 3}, 0, false}, // constant up to rounding
		{[]float64{1}, []float64{1}, 0, false},
		{[]float64{1, 2}, []float64{1}, 0, false},
	}
	for i, c := range cases {
		got, ok := Pearson(c.x, c.y)
		if ok != c.ok || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("case %d: Pearson = %g, %v; want %g, %v", i, got, ok, c.want, c.ok)
		}
	}
}

func TestShiftedRMS(t *testing.T) {
	// x − y = 1, 3, 2: mean 2, deviations −1, 1, 0, RMS √(2/3).
	x, y := []float64{2, 5, 5}, []float64{1, 2, 3}
	if got := MeanDiff(x, y); got != 2 {
		t.Errorf("MeanDiff = %g, want 2", got)
	}
	if got := ShiftedRMS(x, y); math.Abs(got-math.Sqrt(2.0/3)) > 1e-15 {
		t.Errorf("ShiftedRMS = %g, want √(2/3)", got)
	}
	// A constant shift is no distance.
	if got := ShiftedRMS([]float64{4, 7, 9}, []float64{1, 4, 6}); got != 0 {
		t.Errorf("ShiftedRMS of shifted copies = %g, want 0", got)
	}
	if got := LogFloored([]float64{0, math.E, 1}, 1); got[0] != 0 || got[1] != 1 || got[2] != 0 {
		t.Errorf("LogFloored = %v, want [0 1 0]", got)
	}
}
