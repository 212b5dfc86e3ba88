package agents_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/turncoat-abm/turncoat/agents"
)

func TestDistMoments(t *testing.T) {
	tests := []struct {
		d        agents.Dist
		mean, sd float64
	}{
		{agents.Dist{Kind: "normal", Mean: 0.4, SD: 0.1}, 0.4, 0.1},
		{agents.Dist{Kind: "beta", Mean: 0.3, SD: 0.15}, 0.3, 0.15},
		{agents.Dist{Kind: "lognormal", Mean: 1, SD: 0.3}, 1, 0.3},
		{agents.Dist{Kind: "uniform", Min: 0, Max: 1}, 0.5, math.Sqrt(1.0 / 12)},
		{agents.Const(0.7), 0.7, 0},
	}
	for _, tc := range tests {
		t.Run(tc.d.Kind, func(t *testing.T) {
			if err := tc.d.Validate(); err != nil {
				t.Fatal(err)
			}
			s := agents.NewSampler(tc.d, rand.New(rand.NewPCG(1, 2)))
			x := make([]float64, 200000)
			for i := range x {
				x[i] = s.Rand()
			}
			m, sd := stat.MeanStdDev(x, nil)
			// 200k draws: the standard error of the mean is sd/447; 0.01 is > 5 SE.
			if math.Abs(m-tc.mean) > 0.01 || math.Abs(sd-tc.sd) > 0.01 {
				t.Errorf("mean %.4f sd %.4f, want %.4f %.4f", m, sd, tc.mean, tc.sd)
			}
		})
	}
}

func TestDistClamp(t *testing.T) {
	s := agents.NewSampler(agents.Dist{Kind: "normal", Mean: 0.5, SD: 1, Min: 0, Max: 1}, rand.New(rand.NewPCG(3, 4)))
	for i := 0; i < 10000; i++ {
		if v := s.Rand(); v < 0 || v > 1 {
			t.Fatalf("draw %g outside [0,1]", v)
		}
	}
}

func TestDistValidate(t *testing.T) {
	bad := []agents.Dist{
		{Kind: "gaussian"},
		{Kind: "beta", Mean: 1.2, SD: 0.1},
		{Kind: "beta", Mean: 0.5, SD: 0.6},
		{Kind: "normal", SD: -1},
		{Kind: "uniform", Min: 1, Max: 0},
		{Kind: "lognormal", Mean: -1},
	}
	for _, d := range bad {
		if d.Validate() == nil {
			t.Errorf("%+v: want an error", d)
		}
	}
}

// population makes n agents in one region with fixed attributes.
func population(n int, align, econ, risk, thresh float32) *agents.Population {
	p := agents.NewPopulation(agents.Citizen, []int{n})
	for i := 0; i < n; i++ {
		p.Align[i], p.Econ[i], p.Risk[i], p.Thresh[i] = align, econ, risk, thresh
	}
	return p
}

func TestThresholdRule(t *testing.T) {
	// U = Ideo·(1−a) + Econ·h + Social − Coerce·ρ = 0.5·0.5 + 0.2·0.5 + 0 − 0 = 0.35.
	k := &agents.Terms{Ideo: 0.5, Econ: 0.2, Rule: agents.Rule{Kind: "threshold"}, TermMin: 1, TermMax: 1}
	for _, tc := range []struct {
		thresh float32
		want   int
	}{{0.3, 100}, {0.4, 0}} {
		p := population(100, 0.5, 0.5, 0.5, tc.thresh)
		if tl := p.StepRegion(0, k, 1, 0); tl.Defected != tc.want {
			t.Errorf("threshold %.2f: %d defected, want %d", tc.thresh, tl.Defected, tc.want)
		}
	}
	// Coercion: Coerce·ρ = 0.4·0.5 = 0.2 brings U to 0.15 < 0.3.
	k.Coerce = 0.4
	if tl := population(100, 0.5, 0.5, 0.5, 0.3).StepRegion(0, k, 1, 0); tl.Defected != 0 {
		t.Errorf("with coercion: %d defected, want 0", tl.Defected)
	}
}

func TestHysteresisAndAbsorbing(t *testing.T) {
	p := population(50, 0.5, 0, 0, 0.3)
	k := &agents.Terms{Ideo: 0.7, Rule: agents.Rule{Kind: "threshold", Hysteresis: 0.1}, TermMin: 1, TermMax: 1}
	p.StepRegion(0, k, 1, 0) // U = 0.35 > 0.3: everyone defects
	k.Ideo = 0.5             // U = 0.25: below θ but above θ − hysteresis
	if tl := p.StepRegion(0, k, 1, 1); tl.Defected != 50 {
		t.Errorf("hysteresis: %d stay defected, want 50", tl.Defected)
	}
	k.Ideo = 0.3 // U = 0.15 < 0.2: return
	if tl := p.StepRegion(0, k, 1, 2); tl.Defected != 0 || tl.Returns != 50 {
		t.Errorf("below θ − h: %d defected, %d returns; want 0, 50", tl.Defected, tl.Returns)
	}
	k.Ideo, k.Rule.Absorbing = 0.7, true
	p.StepRegion(0, k, 1, 3)
	k.Ideo = 0
	if tl := p.StepRegion(0, k, 1, 4); tl.Defected != 50 {
		t.Errorf("absorbing: %d defected, want 50", tl.Defected)
	}
}

func TestLogitRuleProbability(t *testing.T) {
	// U − θ = 0.1, τ = 0.1: P = 1/(1+e^-1) = 0.7310585786300049.
	n := 200000
	p := population(n, 0, 0, 0, 0.4)
	k := &agents.Terms{Ideo: 0.5, Rule: agents.Rule{Kind: "logit", Tau: 0.1}, TermMin: 1, TermMax: 1}
	tl := p.StepRegion(0, k, 9, 0)
	got := float64(tl.Defected) / float64(n)
	// Binomial SE = sqrt(.73·.27/200000) ≈ 0.001; allow 5 SE.
	if math.Abs(got-0.7310585786300049) > 0.005 {
		t.Errorf("logit share %.4f, want 0.7311", got)
	}
}

func TestArrestsAndRelease(t *testing.T) {
	p := population(1000, 0, 0, 0, 0.1)
	k := &agents.Terms{Ideo: 1, Arrest: 1, Rule: agents.Rule{Kind: "threshold"}, TermMin: 2, TermMax: 2}
	if tl := p.StepRegion(0, k, 1, 0); tl.Jailed != 1000 || tl.Arrests != 1000 {
		t.Fatalf("certain arrest: %+v", tl)
	}
	k.Arrest = 0
	if tl := p.StepRegion(0, k, 1, 1); tl.Jailed != 1000 {
		t.Fatalf("second tick of a 2-tick term: %+v", tl)
	}
	if tl := p.StepRegion(0, k, 1, 2); tl.Loyal != 1000 {
		t.Fatalf("released after the term: %+v", tl)
	}
}

func TestStepRegionDeterministicAndAllocFree(t *testing.T) {
	mk := func() *agents.Population {
		p := agents.NewPopulation(agents.Soldier, []int{3000, 9000})
		r := rand.New(rand.NewPCG(5, 6))
		for i := range p.Align {
			p.Align[i], p.Econ[i], p.Risk[i], p.Thresh[i] = r.Float32(), 0.5+r.Float32(), r.Float32(), r.Float32()
		}
		return p
	}
	k := &agents.Terms{Ideo: 0.6, Econ: 0.4, Pay: true, Paid: 0.9, Social: 0.1, Coerce: 0.2, Arrest: 0.1,
		Rule: agents.Rule{Kind: "logit", Tau: 0.1}, TermMin: 1, TermMax: 5}
	a, b := mk(), mk()
	for tick := 0; tick < 5; tick++ {
		for g := 0; g < 2; g++ {
			if ta, tb := a.StepRegion(g, k, 77, tick), b.StepRegion(g, k, 77, tick); ta != tb {
				t.Fatalf("tick %d region %d: %+v vs %+v", tick, g, ta, tb)
			}
		}
	}
	if allocs := testing.AllocsPerRun(20, func() { a.StepRegion(1, k, 77, 9) }); allocs != 0 {
		t.Errorf("StepRegion allocates %.1f times, want 0", allocs)
	}
}

func TestRoleNames(t *testing.T) {
	for _, r := range agents.Roles {
		got, err := agents.ParseRole(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v, %v", r.String(), got, err)
		}
	}
	if _, err := agents.ParseRole("general"); err == nil {
		t.Error("unknown role: want an error")
	}
}
