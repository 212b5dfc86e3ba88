package abm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Param is one parameter of a design: either a list of Values, or a range
// [Min, Max] (on a log scale when Log) that a grid cuts into Steps values
// and that LHS and Saltelli designs sample continuously.
type Param struct {
	Name   string
	Values []float64
	Min    float64
	Max    float64
	Steps  int
	Log    bool
}

// Validate reports an invalid parameter.
func (p Param) Validate() error {
	switch {
	case p.Name == "":
		return errors.New("abm: parameter needs a name")
	case len(p.Values) > 0:
		for _, v := range p.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("abm: parameter %s: values must be finite, got %g", p.Name, v)
			}
		}
		return nil
	case !(p.Max > p.Min) || math.IsInf(p.Max-p.Min, 0):
		return fmt.Errorf("abm: parameter %s: range needs min < max, got [%g, %g]", p.Name, p.Min, p.Max)
	case p.Log && !(p.Min > 0):
		return fmt.Errorf("abm: parameter %s: a log range needs min > 0, got %g", p.Name, p.Min)
	}
	return nil
}

// At maps u ∈ [0,1) to a value: an element of Values (u picks uniformly
// among them) or a point of the range (linear or logarithmic).
func (p Param) At(u float64) float64 {
	if n := len(p.Values); n > 0 {
		return p.Values[min(n-1, int(u*float64(n)))]
	}
	if p.Log {
		return math.Exp(math.Log(p.Min) + u*(math.Log(p.Max)-math.Log(p.Min)))
	}
	return p.Min + u*(p.Max-p.Min)
}

// Levels returns the grid values of the parameter: Values, or Steps values
// spread evenly (linearly or logarithmically) over [Min, Max], ends included.
func (p Param) Levels() []float64 {
	if len(p.Values) > 0 {
		return p.Values
	}
	n := max(2, p.Steps)
	out := make([]float64, n)
	for i := range out {
		u := float64(i) / float64(n-1)
		if p.Log {
			out[i] = math.Exp(math.Log(p.Min) + u*(math.Log(p.Max)-math.Log(p.Min)))
		} else {
			out[i] = p.Min + u*(p.Max-p.Min)
		}
	}
	out[0], out[n-1] = p.Min, p.Max // exact ends, whatever the rounding
	return out
}

// Design is a list of parameter points. Point fills dst (len = number of
// parameters) with the values of point i; it is a pure function of i, so
// designs of millions of points need not be held in memory.
type Design interface {
	Params() []Param
	Len() int
	Point(i int, dst []float64)
}

// Grid is the full factorial design over the parameters' levels; the last
// parameter varies fastest.
type Grid struct {
	params []Param
	levels [][]float64
	n      int
}

// NewGrid returns the full factorial design of params.
func NewGrid(params []Param) (*Grid, error) {
	if err := validateParams(params); err != nil {
		return nil, err
	}
	g := &Grid{params: params, n: 1}
	for _, p := range params {
		l := p.Levels()
		g.levels = append(g.levels, l)
		if g.n > math.MaxInt32/len(l) {
			return nil, fmt.Errorf("abm: grid has more than 2^31 points")
		}
		g.n *= len(l)
	}
	return g, nil
}

func (g *Grid) Params() []Param { return g.params }
func (g *Grid) Len() int        { return g.n }

// Point decodes i in mixed radix, the last parameter fastest.
func (g *Grid) Point(i int, dst []float64) {
	for k := len(g.levels) - 1; k >= 0; k-- {
		l := g.levels[k]
		dst[k] = l[i%len(l)]
		i /= len(l)
	}
}

// LatinHypercube is an n-point Latin hypercube: each parameter's range is
// cut into n equal strata and each stratum holds exactly one point (for a
// parameter with Values, the strata map onto the values as evenly as n
// allows).
type LatinHypercube struct {
	params []Param
	u      [][]float64 // u[k][i] ∈ [0,1)
}

// NewLatinHypercube draws an n-point Latin hypercube from r.
func NewLatinHypercube(params []Param, n int, r *rand.Rand) (*LatinHypercube, error) {
	if err := validateParams(params); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("abm: Latin hypercube needs n >= 1, got %d", n)
	}
	h := &LatinHypercube{params: params, u: make([][]float64, len(params))}
	for k := range params {
		perm := r.Perm(n)
		col := make([]float64, n)
		for i, s := range perm {
			col[i] = (float64(s) + r.Float64()) / float64(n)
		}
		h.u[k] = col
	}
	return h, nil
}

func (h *LatinHypercube) Params() []Param { return h.params }
func (h *LatinHypercube) Len() int {
	if len(h.u) == 0 {
		return 0
	}
	return len(h.u[0])
}
func (h *LatinHypercube) Point(i int, dst []float64) {
	for k, p := range h.params {
		dst[k] = p.At(h.u[k][i])
	}
}

// Saltelli is the design for first- and total-order Sobol indices
// (Saltelli et al. 2010): two independent N×d sample matrices A and B and,
// for each parameter i, the matrix AB_i (A with column i from B). Points are
// laid out in blocks of d+2 per base sample j: A_j, AB_j^1 … AB_j^d, B_j;
// SobolIndices reads outputs in that layout. The base samples are
// pseudo-random (PCG), so estimates converge as 1/√N.
type Saltelli struct {
	params []Param
	a, b   [][]float64 // [j][k] ∈ [0,1)
}

// NewSaltelli draws the base matrices of an N-base-sample design from r.
func NewSaltelli(params []Param, n int, r *rand.Rand) (*Saltelli, error) {
	if err := validateParams(params); err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, fmt.Errorf("abm: Saltelli design needs N >= 2 base samples, got %d", n)
	}
	s := &Saltelli{params: params, a: make([][]float64, n), b: make([][]float64, n)}
	for j := 0; j < n; j++ {
		s.a[j] = make([]float64, len(params))
		s.b[j] = make([]float64, len(params))
		for k := range params {
			s.a[j][k] = r.Float64()
		}
		for k := range params {
			s.b[j][k] = r.Float64()
		}
	}
	return s, nil
}

func (s *Saltelli) Params() []Param { return s.params }

// Len is N·(d+2).
func (s *Saltelli) Len() int { return len(s.a) * (len(s.params) + 2) }

// Base returns N, the number of base samples.
func (s *Saltelli) Base() int { return len(s.a) }

func (s *Saltelli) Point(i int, dst []float64) {
	d := len(s.params)
	j, m := i/(d+2), i%(d+2)
	for k, p := range s.params {
		u := s.a[j][k]
		if m == d+1 || m == k+1 {
			u = s.b[j][k]
		}
		dst[k] = p.At(u)
	}
}

func validateParams(params []Param) error {
	if len(params) == 0 {
		return errors.New("abm: a design needs at least one parameter")
	}
	var errs []error
	seen := map[string]bool{}
	for _, p := range params {
		errs = append(errs, p.Validate())
		if seen[p.Name] {
			errs = append(errs, fmt.Errorf("abm: parameter %s appears twice", p.Name))
		}
		seen[p.Name] = true
	}
	return errors.Join(errs...)
}
