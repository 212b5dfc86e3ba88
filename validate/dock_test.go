package validate

import (
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
