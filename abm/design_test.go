package abm_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/abm"
)

func TestGridFactorial(t *testing.T) {
	g, err := abm.NewGrid([]abm.Param{
		{Name: "a", Values: []float64{1, 2, 3}},
		{Name: "b", Min: 0.1, Max: 10, Steps: 3, Log: true},
	})
	require.NoError(t, err)
	require.Equal(t, 9, g.Len())
	p := make([]float64, 2)
	g.Point(0, p)
	assert.Equal(t, []float64{1, 0.1}, p)
	g.Point(4, p)
	assert.InDelta(t, 2, p[0], 0)
	assert.InDelta(t, 1, p[1], 1e-12) // geometric middle of 0.1 and 10
	g.Point(8, p)
	assert.Equal(t, []float64{3, 10}, p)
}

// TestLatinHypercubeStratified: every parameter has exactly one point in
// each of the n equal strata of its range.
func TestLatinHypercubeStratified(t *testing.T) {
	for _, n := range []int{1, 7, 100, 1000} {
		params := []abm.Param{{Name: "x", Min: 0, Max: 1}, {Name: "y", Min: -5, Max: 5}, {Name: "z", Min: 1, Max: 1000, Log: true}}
		h, err := abm.NewLatinHypercube(params, n, rand.New(rand.NewPCG(uint64(n), 1)))
		require.NoError(t, err)
		require.Equal(t, n, h.Len())
		counts := make([][]int, 3)
		for k := range counts {
			counts[k] = make([]int, n)
		}
		p := make([]float64, 3)
		for i := 0; i < n; i++ {
			h.Point(i, p)
			us := []float64{p[0], (p[1] + 5) / 10, math.Log(p[2]) / math.Log(1000)}
			for k, u := range us {
				counts[k][min(n-1, int(u*float64(n)))]++
			}
		}
		for k := range counts {
			for s, c := range counts[k] {
				if c != 1 {
					t.Fatalf("n=%d param %d stratum %d holds %d points", n, k, s, c)
				}
			}
		}
	}
}

func TestSaltelliLayout(t *testing.T) {
	params := []abm.Param{{Name: "a", Min: 0, Max: 1}, {Name: "b", Min: 0, Max: 1}, {Name: "c", Min: 0, Max: 1}}
	s, err := abm.NewSaltelli(params, 64, rand.New(rand.NewPCG(1, 2)))
	require.NoError(t, err)
	assert.Equal(t, 64*(3+2), s.Len())
	a, ab2, b := make([]float64, 3), make([]float64, 3), make([]float64, 3)
	s.Point(5*5+0, a)
	s.Point(5*5+2, ab2) // AB_2: A with column 2 (index 1) from B
	s.Point(5*5+4, b)
	assert.Equal(t, a[0], ab2[0])
	assert.Equal(t, b[1], ab2[1])
	assert.Equal(t, a[2], ab2[2])
	assert.NotEqual(t, a[1], b[1])
}

// TestSobolIshigami checks the estimators on the Ishigami function
// f = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1, xi ~ U(−π, π), whose indices are
// known analytically (Ishigami & Homma 1990; Saltelli et al. 2008):
// S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
func TestSobolIshigami(t *testing.T) {
	params := []abm.Param{{Name: "x1", Min: -math.Pi, Max: math.Pi}, {Name: "x2", Min: -math.Pi, Max: math.Pi}, {Name: "x3", Min: -math.Pi, Max: math.Pi}}
	s, err := abm.NewSaltelli(params, 1<<14, rand.New(rand.NewPCG(7, 7)))
	require.NoError(t, err)
	y := make([]float64, s.Len())
	x := make([]float64, 3)
	for i := range y {
		s.Point(i, x)
		y[i] = ishigami(x)
	}
	got := abm.SobolIndices(y, 3, 200, rand.New(rand.NewPCG(1, 1)))
	a, b := 7.0, 0.1
	v := a*a/8 + b*math.Pow(math.Pi, 4)/5 + b*b*math.Pow(math.Pi, 8)/18 + 0.5
	v1 := 0.5 * math.Pow(1+b*math.Pow(math.Pi, 4)/5, 2)
	v2 := a * a / 8
	v13 := b * b * math.Pow(math.Pi, 8) * (1.0/18 - 1.0/50)
	wantS1 := []float64{v1 / v, v2 / v, 0}
	wantST := []float64{(v1 + v13) / v, v2 / v, v13 / v}
	// 2^14 base samples: the bootstrap standard errors are about 0.01.
	for i := range got {
		t.Logf("x%d: S1 %.4f [%.4f, %.4f] (exact %.4f)  ST %.4f [%.4f, %.4f] (exact %.4f)",
			i+1, got[i].S1, got[i].S1Lo, got[i].S1Hi, wantS1[i], got[i].ST, got[i].STLo, got[i].STHi, wantST[i])
		assert.InDelta(t, wantS1[i], got[i].S1, 0.03, "S1 x%d", i+1)
		assert.InDelta(t, wantST[i], got[i].ST, 0.03, "ST x%d", i+1)
		assert.Less(t, got[i].S1Lo, got[i].S1Hi)
	}
}

func ishigami(x []float64) float64 {
	return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

func TestDescribe(t *testing.T) {
	// Mean 3, SD sqrt(2.5); t(0.975, 4) = 2.7764451051977987.
	st := abm.Describe([]float64{1, 2, 3, 4, 5, math.NaN()}, false)
	assert.Equal(t, 5, st.N)
	assert.InDelta(t, 3, st.Mean, 1e-12)
	h := 2.7764451051977987 * math.Sqrt(2.5) / math.Sqrt(5)
	assert.InDelta(t, 3-h, st.Lo, 1e-9)
	assert.InDelta(t, 3+h, st.Hi, 1e-9)
	assert.InDelta(t, 3, st.Q[1], 1e-12)
	assert.InDelta(t, 1.2, st.Q[0], 1e-12) // type 7: 1 + 0.05·4·(2−1)
	// Wilson for 0 successes of 10: [0, 0.2775] (z = 1.96).
	p := abm.Describe(make([]float64, 10), true)
	assert.InDelta(t, 0, p.Lo, 1e-12)
	assert.InDelta(t, 0.27753279986288, p.Hi, 1e-6)
	lo, hi := abm.Wilson(5, 10, 0.95)
	assert.InDelta(t, 0.2365931, lo, 1e-6)
	assert.InDelta(t, 0.7634069, hi, 1e-6)
}
