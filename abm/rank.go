package abm

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Ranks writes the 1-based ranks of x into dst, giving tied values the mean
// of their ranks (fractional ranking). It panics if len(dst) != len(x).
func Ranks(dst, x []float64) {
	if len(dst) != len(x) {
		panic("abm: Ranks length mismatch")
	}
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		r := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			dst[idx[k]] = r
		}
		i = j + 1
	}
}

// Spearman returns Spearman's rank correlation of x and y: the Pearson
// correlation of their fractional ranks, so ties are handled exactly. It
// returns NaN when either variable is constant or there are fewer than two
// pairs. It panics if the lengths differ.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("abm: Spearman length mismatch")
	}
	if len(x) < 2 {
		return math.NaN()
	}
	rx, ry := make([]float64, len(x)), make([]float64, len(y))
	Ranks(rx, x)
	Ranks(ry, y)
	if stat.Variance(rx, nil) == 0 || stat.Variance(ry, nil) == 0 {
		return math.NaN()
	}
	return stat.Correlation(rx, ry, nil)
}
