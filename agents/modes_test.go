package agents_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
)

// modesPop returns n soldiers in one region with attributes drawn from seed.
func modesPop(n int, seed uint64) *agents.Population {
	p := agents.NewPopulation(agents.Soldier, []int{n})
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		p.Align[i] = float32(r.Float64())
		p.Econ[i] = float32(0.5 + r.Float64())
		p.Risk[i] = float32(r.Float64())
		p.Thresh[i] = float32(0.2 + 0.4*r.Float64())
	}
	return p
}

func modesTerms(md *agents.ModeTerms) *agents.Terms {
	return &agents.Terms{Ideo: 0.8, Econ: 0.5, Pay: true, Paid: 0.8, Social: 0.1, Coerce: 0.3,
		Rule: agents.Rule{Kind: "threshold"}, Arrest: 0, TermMin: 1, TermMax: 1, Modes: md}
}

// Under the highest-utility choice each agent takes the mode the
// documented utilities rank first, and a mode not on offer is never taken.
func TestModesKernelMaxFollowsTheUtilities(t *testing.T) {
	md := &agents.ModeTerms{Exit: true, ExitRate: 1, ExitP: 1, ExitVisa: 1, FlightP: 1, ExitPull: 0.2, ExitRisk: 0.4, ExitCost: 0.1,
		Switch: true, SwitchPull: 0.05, SwitchRisk: 0.6, SwitchCost: 0.05, Shirk: false, ShirkShare: 0.9, ShirkRisk: 0}
	k := modesTerms(md)
	p := modesPop(5000, 3)
	tl := p.StepRegion(0, k, 7, 0)
	var want [agents.NumModeStates]int
	for i := range p.Len() {
		a, o, rho, th := float64(p.Align[i]), float64(p.Econ[i]), float64(p.Risk[i]), float64(p.Thresh[i])
		gap := math.Min(1, math.Max(0, (o-k.Paid)/o))
		g := k.Ideo*(1-a) + k.Econ*gap + k.Social
		v := []float64{th, g - k.Coerce*rho, md.ExitP*(g+md.ExitPull) - md.ExitRisk*rho - md.ExitCost, g + md.SwitchPull - md.SwitchRisk*rho - md.SwitchCost}
		st := []agents.State{agents.Loyal, agents.Defected, agents.Emigrated, agents.Switched}
		best := 0
		for m := range v {
			if v[m] > v[best]+1e-12 {
				best = m
			}
		}
		want[st[best]]++
		if p.State[i] != st[best] && math.Abs(v[best]-v[slicesIndex(st, p.State[i])]) > 1e-9 {
			t.Fatalf("agent %d: state %s, utilities %v", i, p.State[i], v)
		}
	}
	if tl.Shirked != 0 || tl.Emigrated != want[agents.Emigrated] || tl.Switched != want[agents.Switched] || tl.Defected != want[agents.Defected] {
		t.Errorf("tally %+v, want %v", tl, want)
	}
	if tl.Loyal+tl.Defected+tl.Jailed+tl.Switched+tl.Shirked+tl.Emigrated != p.Len() || tl.Departed != tl.Emigrated {
		t.Errorf("tally %+v does not add up to %d", tl, p.Len())
	}
	// Emigrants are never stepped again.
	tl2 := p.StepRegion(0, k, 7, 1)
	if tl2.Emigrated != tl.Emigrated || tl2.Departed != 0 {
		t.Errorf("second tick: emigrated %d (was %d), departed %d", tl2.Emigrated, tl.Emigrated, tl2.Departed)
	}
}

func slicesIndex(s []agents.State, x agents.State) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return 0
}

// With a very large τ the multinomial logit picks every mode on offer
// equally often; exit is on offer with probability ExitRate.
func TestModesKernelLogitShares(t *testing.T) {
	md := &agents.ModeTerms{Logit: true, InvTau: 1e-9, Exit: true, ExitRate: 0.5, ExitP: 1, ExitVisa: 1, FlightP: 1,
		Shirk: true, ShirkShare: 0.5}
	p := modesPop(60000, 5)
	tl := p.StepRegion(0, modesTerms(md), 11, 0)
	n := float64(p.Len())
	// Half the agents choose among 4 modes (exit on offer), half among 3.
	want := map[string][2]float64{
		"loyal": {float64(tl.Loyal) / n, 0.5/4 + 0.5/3}, "voice": {float64(tl.Defected) / n, 0.5/4 + 0.5/3},
		"shirk": {float64(tl.Shirked) / n, 0.5/4 + 0.5/3}, "exit": {float64(tl.Emigrated) / n, 0.5 / 4},
	}
	for name, v := range want {
		if math.Abs(v[0]-v[1]) > 0.01 { // 60 000 draws: SE < 0.002
			t.Errorf("%s share %.4f, want %.4f", name, v[0], v[1])
		}
	}
	if tl.Switched != 0 {
		t.Errorf("switch is not on offer, %d switched", tl.Switched)
	}
}

// A refused visa applicant flees only if flight alone is worth it, and a
// stopped flight is jailed.
func TestModesKernelVisaAndFlight(t *testing.T) {
	// No visas, a border that stops everyone: nobody gets out; whoever
	// still prefers flight (its utility above θ) is jailed.
	md := &agents.ModeTerms{Exit: true, ExitRate: 1, ExitP: 0.5, ExitVisa: 0, FlightP: 0, ExitPull: 3, ExitRisk: 0, ExitCost: 0}
	k := modesTerms(md)
	p := modesPop(2000, 9)
	tl := p.StepRegion(0, k, 1, 0)
	if tl.Emigrated != 0 {
		t.Errorf("%d emigrated through a shut border", tl.Emigrated)
	}
	if tl.Jailed != 0 {
		t.Errorf("%d jailed although flight (P 0) is never worth it", tl.Jailed)
	}
	// Flight always fails but is worth trying (no risk, a big pull at P
	// 0.5): every would-be emigrant is stopped.
	md.FlightP, md.ExitP = 1e-9, 1
	md.FlightRisk = 0
	k2 := *k
	k2.Modes = md
	md.ExitPull = 1e9 // so that FlightP·(G + pull) beats every θ
	p = modesPop(2000, 9)
	tl = p.StepRegion(0, &k2, 1, 0)
	if tl.Jailed == 0 || tl.Arrests != tl.Jailed || tl.Emigrated > 5 {
		t.Errorf("stopped flights: %+v", tl)
	}
}
