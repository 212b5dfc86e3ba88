package abm

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Quantiles are the quantile levels Describe reports.
var Quantiles = [...]float64{0.05, 0.5, 0.95}

// Summary summarises one output over the replicates of a point.
type Summary struct {
	N        int     // finite values (missing values are NaN and skipped)
	Mean, SD float64 // sample mean and standard deviation (SD is NaN for N < 2)
	// Lo and Hi bound the 95% confidence interval of the mean: Student's t
	// for a measurement, Wilson's score interval for a probability (an
	// output whose values are all 0 or 1).
	Lo, Hi float64
	Q      [len(Quantiles)]float64 // empirical quantiles (type 7, as R's default)
}

// Describe summarises x, skipping NaNs. When prob is set the values are
// treated as 0/1 outcomes and the interval is Wilson's. x is sorted in place.
func Describe(x []float64, prob bool) Summary {
	v := x[:0]
	for _, e := range x {
		if !math.IsNaN(e) {
			v = append(v, e)
		}
	}
	st := Summary{N: len(v), Mean: math.NaN(), SD: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	for i := range st.Q {
		st.Q[i] = math.NaN()
	}
	if st.N == 0 {
		return st
	}
	slices.Sort(v)
	st.Mean = stat.Mean(v, nil)
	for i, q := range Quantiles {
		st.Q[i] = quantile(v, q)
	}
	if st.N >= 2 {
		st.SD = stat.StdDev(v, nil)
	}
	switch {
	case prob:
		st.Lo, st.Hi = Wilson(st.Mean*float64(st.N), st.N, 0.95)
	case st.N >= 2:
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(st.N - 1)}.Quantile(0.975)
		h := t * st.SD / math.Sqrt(float64(st.N))
		st.Lo, st.Hi = st.Mean-h, st.Mean+h
	}
	return st
}

// quantile is the type-7 (linear interpolation) quantile of sorted v.
func quantile(v []float64, q float64) float64 {
	h := q * float64(len(v)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[lo] + (h-float64(lo))*(v[lo+1]-v[lo])
}

// Wilson returns Wilson's score interval for k successes in n trials at the
// given confidence level.
func Wilson(k float64, n int, level float64) (lo, hi float64) {
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	nf := float64(n)
	p := k / nf
	den := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / den
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return math.Max(0, c-h), math.Min(1, c+h)
}

// Sobol holds first- (S1) and total-order (ST) indices of one parameter
// with bootstrap 95% intervals.
type Sobol struct {
	S1, S1Lo, S1Hi float64
	ST, STLo, STHi float64
}

// SobolIndices estimates first- and total-order indices from outputs y laid
// out as a Saltelli design with d parameters (blocks of d+2: A, AB_1 … AB_d,
// B). S1 uses Saltelli et al.'s (2010) estimator
// mean(f(B)·(f(AB_i) − f(A)))/V and ST Jansen's (1999)
// mean((f(A) − f(AB_i))²)/(2V), with V the variance of f over A and B.
// Intervals are percentile bootstrap intervals over base samples (boot
// resamples drawn from r). Blocks with a NaN are dropped. It panics if
// len(y) is not a multiple of d+2.
func SobolIndices(y []float64, d, boot int, r *rand.Rand) []Sobol {
	if len(y)%(d+2) != 0 {
		panic("abm: SobolIndices: outputs are not a Saltelli layout")
	}
	var blocks [][]float64
	for j := 0; j+d+2 <= len(y); j += d + 2 {
		b := y[j : j+d+2]
		if !slices.ContainsFunc(b, math.IsNaN) {
			blocks = append(blocks, b)
		}
	}
	out := make([]Sobol, d)
	est := func(idx []int, i int) (s1, st float64) {
		var fa, fb []float64
		num1, numT := 0.0, 0.0
		for _, j := range idx {
			b := blocks[j]
			a, ab, bb := b[0], b[1+i], b[d+1]
			fa, fb = append(fa, a), append(fb, bb)
			num1 += bb * (ab - a)
			numT += (a - ab) * (a - ab)
		}
		v := stat.Variance(append(fa, fb...), nil)
		n := float64(len(idx))
		if v == 0 || n == 0 {
			return math.NaN(), math.NaN()
		}
		return num1 / n / v, numT / (2 * n) / v
	}
	all := make([]int, len(blocks))
	for j := range all {
		all[j] = j
	}
	resamples := make([][]int, boot)
	for b := range resamples {
		idx := make([]int, len(blocks))
		for j := range idx {
			idx[j] = r.IntN(max(1, len(blocks)))
		}
		resamples[b] = idx
	}
	for i := 0; i < d; i++ {
		s := &out[i]
		s.S1, s.ST = est(all, i)
		s.S1Lo, s.S1Hi, s.STLo, s.STHi = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		if boot < 2 || len(blocks) == 0 {
			continue
		}
		var s1s, sts []float64
		for _, idx := range resamples {
			a, b := est(idx, i)
			if !math.IsNaN(a) {
				s1s = append(s1s, a)
			}
			if !math.IsNaN(b) {
				sts = append(sts, b)
			}
		}
		slices.Sort(s1s)
		slices.Sort(sts)
		if len(s1s) > 0 {
			s.S1Lo, s.S1Hi = quantile(s1s, 0.025), quantile(s1s, 0.975)
		}
		if len(sts) > 0 {
			s.STLo, s.STHi = quantile(sts, 0.025), quantile(sts, 0.975)
		}
	}
	return out
}
