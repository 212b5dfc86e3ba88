// Package stats holds small statistics shared by the scoring code of
// several packages (regime's history series, calibrate's distances).
package stats

import "math"

// Pearson returns the Pearson correlation of x and y (of equal length),
// and false when it is undefined: fewer than two points, or either series
// constant up to rounding (variance below a relative tolerance of 1e-24,
// so a constant series that picked up rounding noise counts as constant).
func Pearson(x, y []float64) (float64, bool) {
	if len(x) < 2 || len(y) != len(x) {
		return 0, false
	}
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx <= 1e-24*(1+mx*mx)*n || syy <= 1e-24*(1+my*my)*n {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// MeanDiff returns the mean of x[i] − y[i] (x and y of equal, non-zero
// length): the constant shift that best brings y to x in least squares.
func MeanDiff(x, y []float64) float64 {
	s := 0.0
	for i := range x {
		s += x[i] - y[i]
	}
	return s / float64(len(x))
}

// ShiftedRMS returns the root mean square of x[i] − y[i] after the best
// constant shift (MeanDiff) is taken out: how far apart the shapes of x
// and y are, whatever their levels.
func ShiftedRMS(x, y []float64) float64 {
	shift := MeanDiff(x, y)
	ss := 0.0
	for i := range x {
		d := x[i] - y[i] - shift
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(x)))
}

// LogFloored returns log(max(v[i], floor)) for every value.
func LogFloored(v []float64, floor float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Log(math.Max(x, floor))
	}
	return out
}
