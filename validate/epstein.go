package validate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/turncoat-abm/turncoat/epstein"
	"github.com/turncoat-abm/turncoat/internal/seed"
)

const epsteinRef = "Epstein (2002), Modeling civil violence: an agent-based computational approach, PNAS 99 suppl. 3"

// epsteinRun runs cfg for ticks from a seed and returns the active count per
// tick; it also reports whether arrests ever exceeded the cops and whether
// agents were conserved.
func epsteinRun(ctx context.Context, cfg epstein.Config, ticks int, s uint64) (active []int, arrestsOK, conserved bool, err error) {
	active, _, arrestsOK, conserved, err = epsteinRunJ(ctx, cfg, ticks, s)
	return active, arrestsOK, conserved, err
}

// epsteinRunJ is epsteinRun that also returns the jailed count per tick;
// the citizens are active[0]+jailed[0]+quiet, see epsteinCitizens.
func epsteinRunJ(ctx context.Context, cfg epstein.Config, ticks int, s uint64) (active, jailedN []int, arrestsOK, conserved bool, err error) {
	m, err := epstein.New(cfg)
	if err != nil {
		return nil, nil, false, false, err
	}
	r := rand.New(rand.NewPCG(seed.PCG(s)))
	if err := m.Reset(r); err != nil {
		return nil, nil, false, false, err
	}
	q0, a0, j0, cops := m.Counts()
	total := q0 + a0 + j0
	arrestsOK, conserved = true, true
	for t := 0; t < ticks; t++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, false, false, err
		}
		m.Step(ctx, t, r)
		q, a, j, c := m.Counts()
		active, jailedN = append(active, a), append(jailedN, j)
		if m.Arrests > cops {
			arrestsOK = false
		}
		if q+a+j != total || c != cops {
			conserved = false
		}
	}
	return active, jailedN, arrestsOK, conserved, nil
}

// epsteinCitizens is the number of citizens and cops a run of cfg from
// seed s places.
func epsteinCitizens(cfg epstein.Config, s uint64) (citizens, cops int, err error) {
	m, err := epstein.New(cfg)
	if err != nil {
		return 0, 0, err
	}
	if err := m.Reset(rand.New(rand.NewPCG(seed.PCG(s)))); err != nil {
		return 0, 0, err
	}
	q, a, j, c := m.Counts()
	return q + a + j, c, nil
}

func epsteinChecks(ctx context.Context, r *Report, opt Options) error {
	seeds := min(opt.Replicates, 3)
	for _, v := range epstein.Variants {
		name := "epstein/" + string(v)
		// Legitimacy 0.9: G = H(1 − L) <= 0.1 = T, so no one can turn active.
		c := epstein.Defaults(v)
		c.Legitimacy = 0.9
		act, okA, okC, err := epsteinRun(ctx, c, 200, 1)
		if err != nil {
			return err
		}
		r.add(near(name+"/legitimacy-0.9/max-active", float64(maxInt(act)), 0, 0, epsteinRef+": with L >= 0.9, G = H(1−L) never exceeds T = 0.1"))
		// No cops: P = 0, so active iff H > T/(1−L): a share 1 − T/(1−L).
		c = epstein.Defaults(v)
		c.CopDensity = 0
		act, _, _, err = epsteinRun(ctx, c, 20, 2)
		if err != nil {
			return err
		}
		nc, _, err := epsteinCitizens(c, 2)
		if err != nil {
			return err
		}
		citizens := float64(nc)
		want := 1 - c.Threshold/(1-c.Legitimacy)
		share := float64(act[len(act)-1]) / citizens
		r.add(near(name+"/no-cops/active-share", share, want, 3*math.Sqrt(want*(1-want)/citizens), epsteinRef+": without cops P = 0, so the active share is 1 − T/(1−L) (binomial tolerance, 3 standard errors)"))
		// Default parameters over 1,000 ticks: mean and peak active, and the
		// bursts (maximal runs of ticks with more than 50 active, ticks
		// 100–1000), averaged over seeds.
		var mean, peak, bursts float64
		invariants := okA && okC
		for s := 0; s < seeds; s++ {
			act, okA, okC, err := epsteinRun(ctx, epstein.Defaults(v), 1000, uint64(10+s))
			if err != nil {
				return err
			}
			invariants = invariants && okA && okC
			m, p, b := burstStats(act[100:], 50)
			mean, peak, bursts = mean+m/float64(seeds), peak+float64(p)/float64(seeds), bursts+float64(b)/float64(seeds)
		}
		note := fmt.Sprintf("%s; 40×40, citizen density 0.7, cop density 0.04, L = 0.82, T = 0.1, vision 7, J = 30; %d seeds", epsteinRef, seeds)
		r.add(info(name+"/default/mean-active", mean, note))
		r.add(info(name+"/default/peak-active", peak, note))
		if v == epstein.Paper {
			r.add(info(name+"/default/bursts", bursts, note))
		} else {
			b := verdict(name+"/default/bursts", bursts, bursts >= 2, note+"; punctuated equilibrium: repeated bursts (netlogo, mesa): passes with at least 2 bursts on average")
			b.Expected = fptr(2)
			r.add(b)
		}
		r.add(verdict(name+"/invariants", boolf(invariants), invariants,
			"arrests per tick never exceed the cops; citizens and cops are conserved (every run of this variant)"))
	}
	return nil
}

func burstStats(active []int, over int) (mean float64, peak, bursts int) {
	in := false
	for _, a := range active {
		mean += float64(a) / float64(len(active))
		peak = max(peak, a)
		if a > over && !in {
			bursts++
		}
		in = a > over
	}
	return mean, peak, bursts
}

func maxInt(v []int) int {
	m := 0
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
