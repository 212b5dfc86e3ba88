package validate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

const globalGameRef = "Morris & Shin (1998), Unique equilibrium in a model of self-fulfilling currency attacks, American Economic Review 88(3); Angeletos, Hellwig & Pavan (2007), Econometrica 75(3)"

// GlobalGame is the static global game of regime change: the regime's
// strength θ has prior N(Z, 1/Alpha); each agent sees x = θ + ε with
// ε ~ N(0, 1/Beta); attacking costs C and pays 1 if the regime falls, which
// it does when the share attacking is at least θ.
type GlobalGame struct {
	Alpha, Beta, Z, C float64
}

// Unique reports whether the equilibrium is unique: β ≥ α²/(2π).
func (g GlobalGame) Unique() bool { return g.Beta >= g.Alpha*g.Alpha/(2*math.Pi) }

// Thresholds returns the equilibrium thresholds: the regime falls iff
// θ <= θ*, and agents attack iff x <= x*. θ* solves
// Φ((α(θ − z) − √β·Φ⁻¹(θ))/√(α+β)) = c, and x* = θ* + Φ⁻¹(θ*)/√β.
func (g GlobalGame) Thresholds() (thetaStar, xStar float64) {
	f := func(th float64) float64 {
		return phi((g.Alpha*(th-g.Z)-math.Sqrt(g.Beta)*distuv.UnitNormal.Quantile(th))/math.Sqrt(g.Alpha+g.Beta)) - g.C
	}
	lo, hi := 1e-12, 1-1e-12 // f(lo) > 0 > f(hi) when the equilibrium is unique
	for i := 0; i < 200; i++ {
		m := (lo + hi) / 2
		if f(m) > 0 {
			lo = m
		} else {
			hi = m
		}
	}
	thetaStar = (lo + hi) / 2
	return thetaStar, thetaStar + distuv.UnitNormal.Quantile(thetaStar)/math.Sqrt(g.Beta)
}

// Simulate finds the thresholds from a population of n agents: θ where the
// simulated attack share of agents with signals below x* equals θ, and the
// signal at which the Monte Carlo probability that the regime falls equals
// the cost. Draws come from r.
func (g GlobalGame) Simulate(n int, r *rand.Rand) (thetaSim, xSim float64) {
	_, xStar := g.Thresholds()
	noise := make([]float64, n)
	for i := range noise {
		noise[i] = r.NormFloat64() / math.Sqrt(g.Beta)
	}
	slices.Sort(noise)
	share := func(theta float64) float64 { // attackers: θ + ε <= x*
		k, _ := slices.BinarySearch(noise, xStar-theta)
		return float64(k) / float64(n)
	}
	lo, hi := 0.0, 1.0
	for i := 0; i < 60; i++ {
		m := (lo + hi) / 2
		if share(m) >= m {
			lo = m
		} else {
			hi = m
		}
	}
	thetaSim = (lo + hi) / 2
	// The marginal agent: P(θ <= θsim | x) = c, by sampling the posterior.
	post := make([]float64, n)
	for i := range post {
		post[i] = r.NormFloat64() / math.Sqrt(g.Alpha+g.Beta)
	}
	fall := func(x float64) float64 {
		mean := (g.Beta*x + g.Alpha*g.Z) / (g.Alpha + g.Beta)
		k := 0
		for _, e := range post {
			if mean+e <= thetaSim {
				k++
			}
		}
		return float64(k) / float64(n)
	}
	lo, hi = -2, 3
	for i := 0; i < 50; i++ {
		m := (lo + hi) / 2
		if fall(m) >= g.C {
			lo = m
		} else {
			hi = m
		}
	}
	return thetaSim, (lo + hi) / 2
}

func globalGame(_ context.Context, r *Report, _ Options) error {
	g := GlobalGame{Alpha: 1, Beta: 100, Z: 0.5, C: 0.3}
	th, x := g.Thresholds()
	ts, xs := g.Simulate(200_000, rand.New(rand.NewPCG(1998, 2007)))
	r.add(near("globalgame/theta-star", ts, th, 0.01, globalGameRef+": θ* of the unique equilibrium (α=1, β=100, z=0.5, c=0.3); value from a population of 200,000"))
	r.add(near("globalgame/x-star", xs, x, 0.01, globalGameRef+": x*, the marginal agent's signal; value by Monte Carlo over the posterior"))
	r.add(info("globalgame/unique", boolf(g.Unique()), globalGameRef+": uniqueness needs β ≥ α²/(2π) (a property of the parameters, not a measurement)"))
	return nil
}
