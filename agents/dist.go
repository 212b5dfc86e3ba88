package agents

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist describes a distribution of an agent attribute, as written in a
// scenario: {dist: beta, mean: 0.5, sd: 0.2}. Draws are clamped to
// [Min, Max] when Max > Min.
type Dist struct {
	// Kind is one of "const", "uniform", "normal", "beta", "lognormal" or
	// "values". For "uniform" the support is [Min, Max]; "values" gives the
	// agents Values in order (agent i of the draw gets Values[i mod
	// len(Values)]: explicit thresholds, as in Granovetter's and Kuran's
	// examples); for the others Mean and SD parametrise the distribution
	// (lognormal: of the variable itself).
	Kind   string    `yaml:"dist" json:"dist"`
	Mean   float64   `yaml:"mean" json:"mean"`
	SD     float64   `yaml:"sd" json:"sd"`
	Min    float64   `yaml:"min" json:"min"`
	Max    float64   `yaml:"max" json:"max"`
	Values []float64 `yaml:"values,omitempty" json:"values,omitempty"`
}

// Const returns a point mass at v.
func Const(v float64) Dist { return Dist{Kind: "const", Mean: v} }

// Validate reports an invalid distribution.
func (d Dist) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	if math.IsNaN(d.Mean) || math.IsInf(d.Mean, 0) {
		bad("mean", "must be finite, got %g", d.Mean)
	}
	if d.SD < 0 || math.IsNaN(d.SD) || math.IsInf(d.SD, 0) {
		bad("sd", "must be finite and >= 0, got %g", d.SD)
	}
	if d.Max < d.Min {
		bad("max", "must be >= min (%g), got %g", d.Min, d.Max)
	}
	switch d.Kind {
	case "const", "normal":
	case "uniform":
		if !(d.Max > d.Min) {
			bad("max", "uniform needs max > min, got [%g, %g]", d.Min, d.Max)
		}
	case "beta":
		if d.Mean <= 0 || d.Mean >= 1 {
			bad("mean", "beta needs mean in (0,1), got %g", d.Mean)
		} else if d.SD > 0 && d.SD*d.SD >= d.Mean*(1-d.Mean) {
			bad("sd", "beta needs sd^2 < mean(1-mean) = %g, got sd %g", d.Mean*(1-d.Mean), d.SD)
		}
	case "lognormal":
		if d.Mean <= 0 {
			bad("mean", "lognormal needs mean > 0, got %g", d.Mean)
		}
	case "values":
		if len(d.Values) == 0 {
			bad("values", "the values distribution needs a list of values")
		}
		for i, v := range d.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad(fmt.Sprintf("values[%d]", i), "must be finite, got %g", v)
			}
		}
	default:
		bad("dist", "must be one of const, uniform, normal, beta, lognormal, values, got %q", d.Kind)
	}
	if d.Kind != "values" && len(d.Values) > 0 {
		bad("values", "only the values distribution takes a list of values")
	}
	return errors.Join(errs...)
}

// Sampler draws from a Dist with a given stream.
type Sampler struct {
	d    Dist
	rand func() float64
}

// NewSampler returns a sampler of d drawing from r. d must be valid.
func NewSampler(d Dist, r *rand.Rand) Sampler {
	s := Sampler{d: d}
	switch d.Kind {
	case "const":
		s.rand = func() float64 { return d.Mean }
	case "uniform":
		s.rand = distuv.Uniform{Min: d.Min, Max: d.Max, Src: r}.Rand
	case "normal":
		if d.SD == 0 {
			s.rand = func() float64 { return d.Mean }
		} else {
			s.rand = distuv.Normal{Mu: d.Mean, Sigma: d.SD, Src: r}.Rand
		}
	case "beta":
		if d.SD == 0 {
			s.rand = func() float64 { return d.Mean }
		} else {
			// Method of moments: mean m, variance v -> alpha = m*k, beta = (1-m)*k
			// with k = m(1-m)/v - 1.
			m, v := d.Mean, d.SD*d.SD
			k := m*(1-m)/v - 1
			s.rand = distuv.Beta{Alpha: m * k, Beta: (1 - m) * k, Src: r}.Rand
		}
	case "values":
		i := 0
		s.rand = func() float64 {
			v := d.Values[i%len(d.Values)]
			i++
			return v
		}
	case "lognormal":
		if d.SD == 0 {
			s.rand = func() float64 { return d.Mean }
		} else {
			// Moments of the variable: sigma^2 = ln(1 + v/m^2), mu = ln m - sigma^2/2.
			s2 := math.Log1p(d.SD * d.SD / (d.Mean * d.Mean))
			s.rand = distuv.LogNormal{Mu: math.Log(d.Mean) - s2/2, Sigma: math.Sqrt(s2), Src: r}.Rand
		}
	default:
		panic("agents: NewSampler of invalid Dist " + d.Kind)
	}
	return s
}

// Shifted returns a copy of d with its mean moved by delta (for beta, the
// mean is kept inside (0.01, 0.99) and SD shrunk if needed to stay valid).
func (d Dist) Shifted(delta float64) Dist {
	d.Mean += delta
	if d.Kind == "beta" {
		d.Mean = math.Min(0.99, math.Max(0.01, d.Mean))
		if lim := 0.95 * math.Sqrt(d.Mean*(1-d.Mean)); d.SD > lim {
			d.SD = lim
		}
	}
	if d.Kind == "uniform" {
		d.Min += delta
		d.Max += delta
	}
	return d
}

// Rand returns one draw, clamped to [Min, Max] when Max > Min.
func (s Sampler) Rand() float64 {
	x := s.rand()
	if s.d.Max > s.d.Min {
		x = math.Min(s.d.Max, math.Max(s.d.Min, x))
	}
	return x
}

// FieldError locates a problem in a configuration by its field path
// (for example "roles.soldier.threshold.sd").
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// Prefix returns err with every FieldError's path prefixed by prefix + ".".
// Errors joined with errors.Join are prefixed one by one.
func Prefix(prefix string, err error) error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Prefix(prefix, e))
		}
		return errors.Join(out...)
	}
	var fe *FieldError
	if errors.As(err, &fe) && fe == err {
		return &FieldError{Field: prefix + "." + fe.Field, Err: fe.Err}
	}
	return &FieldError{Field: prefix, Err: err}
}

// Path returns the field path (for locating the error in a file).
func (e *FieldError) Path() string { return e.Field }
