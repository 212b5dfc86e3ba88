package validate

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDockStatistics pins the two-sample tests to SciPy 1.x
// (mannwhitneyu asymptotic two-sided, levene center=median).
func TestDockStatistics(t *testing.T) {
	a := []float64{1.2, 3.4, 2.2, 5.1, 4.4, 3.3, 2.9, 6.0}
	b := []float64{2.1, 4.5, 5.5, 6.1, 7.2, 3.9, 5.0, 6.6, 4.8}
	u, p := MannWhitney(a, b)
	assert.InDelta(t, 17.0, u, 1e-12)
	assert.InDelta(t, 0.07504923472080162, p, 1e-9)
	d, p := KolmogorovSmirnov(a, b)
	assert.InDelta(t, 0.5277777777777778, d, 1e-12)
	assert.InDelta(t, 0.146, p, 0.03) // SciPy's asymptotic 0.1458 (Stephens' correction differs slightly)
	w, p := Levene(a, b)
	assert.InDelta(t, 0.007380512054836304, w, 1e-9)
	assert.InDelta(t, 0.9326742888341499, p, 1e-9)
	// identical samples: no evidence of a difference
	_, p = MannWhitney(a, a)
	assert.InDelta(t, 1, p, 0.05)
	_, p = KolmogorovSmirnov(a, a)
	assert.Equal(t, 1.0, p)
	// shifted far apart: significant
	far := make([]float64, len(b))
	for i, v := range b {
		far[i] = v + 100
	}
	_, p = MannWhitney(a, far)
	assert.Less(t, p, 0.001)
	_, p = KolmogorovSmirnov(a, far)
	assert.Less(t, p, 0.01)
}

// TestAtEqualCovariate pins the analysis of covariance to NumPy's least
// squares and SciPy's t distribution on a small sample, and checks that a
// difference carried only by the covariate vanishes.
func TestAtEqualCovariate(t *testing.T) {
	a, xa := []float64{3.1, 4.0, 2.2, 5.5, 4.4, 3.9}, []float64{10, 8, 12, 6, 7, 9}
	b, xb := []float64{4.8, 5.9, 3.7, 6.1, 5.0}, []float64{9, 7, 11, 6, 8}
	d, tv, p := AtEqualCovariate(a, xa, b, xb)
	// numpy.linalg.lstsq and scipy.stats.t.sf on the same design.
	assert.InDelta(t, -1.0150349650349646, d, 1e-12)
	assert.InDelta(t, -7.756909331880737, tv, 1e-9)
	assert.InDelta(t, 5.449209460907631e-05, p, 1e-12)

	// Same line y = 20 − x (plus a little noise) for both samples, a's
	// runs at larger x: a's mean is lower, but not at equal x.
	noise := []float64{0.1, -0.2, 0.05, 0.15, -0.1, 0}
	var ya, yb, xa2, xb2 []float64
	for i := range 6 {
		xa2 = append(xa2, float64(10+i))
		ya = append(ya, 20-float64(10+i)+noise[i])
		xb2 = append(xb2, float64(4+i))
		yb = append(yb, 20-float64(4+i)-noise[i])
	}
	d, _, p = AtEqualCovariate(ya, xa2, yb, xb2)
	assert.InDelta(t, 0, d, 0.2, "difference at equal x")
	assert.Greater(t, p, 0.05)
	_, _, p = AtEqualCovariate(ya[:1], xa2[:1], yb[:1], xb2[:1])
	assert.True(t, math.IsNaN(p), "two runs: no fit")
}
