package calibrate

import (
	"math"
	"testing"
)

// orderPrep prepares a soviet1991 spec fitting three exits with distinct
// dates (Lithuania 1990-03-11, Georgia 1991-04-09, Ukraine 1991-08-24).
func orderPrep(t *testing.T, w float64) *prepared {
	t.Helper()
	spec := &Spec{Scenario: "soviet1991", Set: map[string]string{"scale": "0.03"}, Parameters: []Parameter{{Name: "regime.repression", Prior: "uniform", Range: []float64{0.3, 0.9}}},
		Targets: []Target{{Exit: "Lithuania"}, {Exit: "Georgia"}, {Exit: "Ukraine"}},
		Method:  "abc-smc", Particles: 4, Quantile: 0.5, MinAcceptance: 0.02, Replicates: 1, Draws: 1, Seed: 1, OrderWeight: w}
	if err := spec.validate("."); err != nil {
		t.Fatal(err)
	}
	p, err := prepare(spec, 1)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOrderDistanceHandMade: the distance of hand-made runs is the timing
// error plus W × (1 − ρ), ρ known by hand; W = 0 gives the timing alone.
func TestOrderDistanceHandMade(t *testing.T) {
	const w = 10.0
	p, p0 := orderPrep(t, w), orderPrep(t, 0)
	n := len(p.base.Regions)
	idx := map[string]int{}
	for g, r := range p.base.Regions {
		idx[r.Name] = g
	}
	tick := func(r string) int { return p.base.TickOf(p.fit[r]) }
	weeks := p.base.TickDays / 7
	run := func(set map[string]int) []float64 {
		o := make([]float64, p.nOut())
		for g := range o {
			o[g] = -1
		}
		for r, k := range set {
			o[idx[r]] = float64(k)
		}
		return o
	}
	L, G, U := tick("Lithuania"), tick("Georgia"), tick("Ukraine")
	absd := func(a, b int) float64 { return math.Abs(float64(a - b)) }
	tests := []struct {
		name   string
		o      []float64
		timing float64 // weeks
		rho    float64
	}{
		{"one tick late, order kept", run(map[string]int{"Lithuania": L + 1, "Georgia": G + 1, "Ukraine": U + 1}), weeks, 1},
		{"Lithuania and Ukraine swapped", run(map[string]int{"Lithuania": U, "Georgia": G, "Ukraine": L}), 2 * absd(U, L) * weeks / 3, -1},
		// Lithuania never exits: it counts at the horizon, after the
		// others; ranks (3,1,2) against (1,2,3): ρ = 1 − 6·6/(3·8) = −0.5.
		{"Lithuania never exits", run(map[string]int{"Georgia": G, "Ukraine": U}), absd(p.base.Ticks, L) * weeks / 3, -0.5},
		// None exits: every simulated date ties at the horizon, ρ is
		// undefined and counts as 0.
		{"none exits", run(map[string]int{}), (absd(p.base.Ticks, L) + absd(p.base.Ticks, G) + absd(p.base.Ticks, U)) * weeks / 3, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.o) != n+1 {
				t.Fatalf("%d outputs", len(tc.o))
			}
			if got := p0.distance(tc.o, 0, 1); math.Abs(got-tc.timing) > 1e-9 {
				t.Errorf("order_weight 0: distance %g, want the timing error %g", got, tc.timing)
			}
			if got := p0.distance(tc.o, 0, 1); got != p0.timing(tc.o, p0.fit, p0.fitD) {
				t.Errorf("order_weight 0: distance %g is not exactly the timing %g", got, p0.timing(tc.o, p0.fit, p0.fitD))
			}
			if got := p.order(tc.o, p.fit, p.fitD); math.Abs(got-tc.rho) > 1e-9 {
				t.Errorf("rho %g, want %g", got, tc.rho)
			}
			want := tc.timing + w*(1-tc.rho)
			if got := p.distance(tc.o, 0, 1); math.Abs(got-want) > 1e-9 {
				t.Errorf("order_weight %g: distance %g, want %g", w, got, want)
			}
		})
	}
}

// TestOrderAveragesKinds: with exit and declaration targets ρ̄ is the mean
// of the two kinds' ρ (exits in order, declarations reversed: 0).
func TestOrderAveragesKinds(t *testing.T) {
	spec := &Spec{Scenario: "soviet1991-sovereignty", Set: map[string]string{"scale": "0.03"}, Parameters: []Parameter{{Name: "sovereignty.elite", Prior: "uniform", Range: []float64{0.05, 0.3}}},
		Targets: []Target{{Exit: "Lithuania"}, {Exit: "Ukraine"}, {Declaration: "Lithuania"}, {Declaration: "Ukraine"}},
		Method:  "abc-smc", Particles: 4, Quantile: 0.5, MinAcceptance: 0.02, Replicates: 1, Draws: 1, Seed: 1, OrderWeight: 4}
	if err := spec.validate("."); err != nil {
		t.Fatal(err)
	}
	p, err := prepare(spec, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := len(p.base.Regions)
	o := make([]float64, p.nOut())
	for g := range o {
		o[g] = -1
	}
	for g, r := range p.base.Regions {
		switch r.Name {
		case "Lithuania":
			o[g], o[n+1+g] = 10, 50
		case "Ukraine":
			o[g], o[n+1+g] = 20, 40
		}
	}
	if p.fitD["Lithuania"].After(p.fitD["Ukraine"].Time) || p.fit["Lithuania"].After(p.fit["Ukraine"].Time) {
		t.Fatal("the test assumes Lithuania before Ukraine in both series")
	}
	if got := p.order(o, p.fit, p.fitD); got != 0 {
		t.Errorf("rho bar %g, want (1 + (−1))/2 = 0", got)
	}
	if got, want := p.distance(o, 0, 1), p.timing(o, p.fit, p.fitD)+4; math.Abs(got-want) > 1e-9 {
		t.Errorf("distance %g, want timing + 4 = %g", got, want)
	}
}
