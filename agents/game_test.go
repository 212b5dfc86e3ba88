package agents_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
)

// TestMoveTables checks each strategy's first move and its move after each
// (own, partner) pair, exact strategies and q = 1/3 for gtft.
func TestMoveTables(t *testing.T) {
	const q = 1.0 / 3
	tests := []struct {
		s     agents.Strategy
		first float64
		coop  [4]float64 // after CC, CD, DC, DD
	}{
		{agents.AllC, 1, [4]float64{1, 1, 1, 1}},
		{agents.AllD, 0, [4]float64{0, 0, 0, 0}},
		{agents.TFT, 1, [4]float64{1, 0, 1, 0}},
		{agents.Grim, 1, [4]float64{1, 0, 0, 0}},
		{agents.Pavlov, 1, [4]float64{1, 0, 0, 1}},
		{agents.GTFT, 1, [4]float64{1, q, 1, q}},
	}
	for _, tc := range tests {
		t.Run(tc.s.String(), func(t *testing.T) {
			m := tc.s.Memory1(q, 0.1)
			if m.First != tc.first || m.Coop != tc.coop {
				t.Errorf("%s = %+v, want first %g coop %v", tc.s, m, tc.first, tc.coop)
			}
			// The noisy variant flips the intended move with probability ε.
			n := tc.s.Noisy().Memory1(q, 0.1)
			for i, p := range tc.coop {
				if want := p*0.9 + (1-p)*0.1; math.Abs(n.Coop[i]-want) > 1e-15 {
					t.Errorf("noisy %s after state %d: %g, want %g", tc.s, i, n.Coop[i], want)
				}
			}
			// Names round-trip.
			for _, s := range []agents.Strategy{tc.s, tc.s.Noisy()} {
				got, err := agents.ParseStrategy(s.String())
				if err != nil || got != s {
					t.Errorf("ParseStrategy(%q) = %v, %v", s.String(), got, err)
				}
			}
		})
	}
	if s, err := agents.ParseStrategy("noisy_wsls"); err != nil || s != agents.Pavlov.Noisy() {
		t.Errorf("noisy_wsls: %v %v", s, err)
	}
	if _, err := agents.ParseStrategy("titfortat"); err == nil {
		t.Error("unknown strategy: want an error")
	}
}

// TestDeterministicMatches: exact strategies against each other, with the
// sequences worked out by hand (T5 R3 P1 S0).
func TestDeterministicMatches(t *testing.T) {
	p := agents.Axelrod
	m := func(s agents.Strategy) agents.Memory1 { return s.Memory1(0, 0) }
	tests := []struct {
		a, b   agents.Strategy
		rounds int
		ta, tb float64
	}{
		{agents.TFT, agents.AllD, 200, 199, 204}, // S then P: 0 + 199
		{agents.TFT, agents.TFT, 10, 30, 30},     // R every round
		{agents.AllC, agents.AllD, 10, 0, 50},    // S / T every round
		{agents.Grim, agents.Pavlov, 10, 30, 30}, // both nice
		{agents.Pavlov, agents.AllD, 4, 2, 12},   // C D C D: S P S P / T P T P
		{agents.AllD, agents.AllD, 7, 7, 7},      // P every round
		{agents.GTFT, agents.AllC, 5, 15, 15},    // no randomness needed
		{agents.Grim, agents.AllD, 3, 2, 7},      // S P P / T P P
	}
	for _, tc := range tests {
		a, b := agents.Play(m(tc.a), m(tc.b), tc.rounds, p, nil) // exact strategies draw nothing
		if a != tc.ta || b != tc.tb {
			t.Errorf("%s vs %s, %d rounds: %g, %g; want %g, %g", tc.a, tc.b, tc.rounds, a, b, tc.ta, tc.tb)
		}
	}
}

// TestPayoffBookkeeping: Play's totals equal the sum of the stage payoffs
// of the moves it played (replayed from the same stream), for noisy pairs.
func TestPayoffBookkeeping(t *testing.T) {
	p := agents.Payoffs{T: 4.5, R: 2.5, P: 0.75, S: -1}
	for _, a := range agents.Strategies {
		for _, b := range agents.Strategies {
			ma, mb := a.Memory1(0.3, 0.1), b.Memory1(0.3, 0.1)
			ta, tb := agents.Play(ma, mb, 50, p, rand.New(rand.NewPCG(uint64(a), uint64(b))))
			r := rand.New(rand.NewPCG(uint64(a), uint64(b)))
			var xa, xb agents.Move
			sa, sb := 0.0, 0.0
			for k := 0; k < 50; k++ {
				na, nb := ma.Next(xa, xb, k == 0, r), mb.Next(xb, xa, k == 0, r)
				xa, xb = na, nb
				sa += p.Stage(xa, xb)
				sb += p.Stage(xb, xa)
			}
			if ta != sa || tb != sb {
				t.Errorf("%s vs %s: Play %g,%g; stage sums %g,%g", a, b, ta, tb, sa, sb)
			}
		}
	}
	if p.Stage(agents.Cooperate, agents.Cooperate) != p.R || p.Stage(agents.Cooperate, agents.Defect) != p.S ||
		p.Stage(agents.Defect, agents.Cooperate) != p.T || p.Stage(agents.Defect, agents.Defect) != p.P {
		t.Error("Stage does not map (C,C)→R, (C,D)→S, (D,C)→T, (D,D)→P")
	}
}

// TestNoiseRate: noisy allc defects with probability ε; the empirical rate
// over 10^5 rounds is within 5 binomial standard errors.
func TestNoiseRate(t *testing.T) {
	for _, eps := range []float64{0.01, 0.05, 0.2} {
		const n = 100_000
		m := agents.AllC.Noisy().Memory1(0, eps)
		r := rand.New(rand.NewPCG(7, uint64(eps*1000)))
		d := 0
		for i := 0; i < n; i++ {
			if m.Next(agents.Cooperate, agents.Cooperate, false, r) == agents.Defect {
				d++
			}
		}
		se := math.Sqrt(eps * (1 - eps) / n)
		if got := float64(d) / n; math.Abs(got-eps) > 5*se {
			t.Errorf("ε = %g: flip rate %g (5 SE = %g)", eps, got, 5*se)
		}
	}
}

// TestValue: closed forms for exact pairs, and noisy pairs against the
// discounted average of simulated matches of geometric length.
func TestValue(t *testing.T) {
	p := agents.Axelrod
	m := func(s agents.Strategy) agents.Memory1 { return s.Memory1(1.0/3, 0.05) }
	w := 0.9
	closed := []struct {
		a, b agents.Strategy
		want float64
	}{
		{agents.TFT, agents.TFT, p.R},
		{agents.AllD, agents.TFT, (1-w)*p.T + w*p.P},
		{agents.TFT, agents.AllD, (1-w)*p.S + w*p.P},
		{agents.AllC, agents.AllD, p.S},
		{agents.Pavlov, agents.AllD, (p.S + w*p.P) / (1 + w)}, // S P S P …
	}
	for _, tc := range closed {
		got, err := agents.Value(m(tc.a), m(tc.b), w, p)
		if err != nil || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("V(%s, %s) = %g, %v; want %g", tc.a, tc.b, got, err, tc.want)
		}
	}
	// Monte Carlo: the payoff of round t counts with weight w^t; 40,000
	// matches give a standard error below 0.01 on payoffs in [0, 5].
	r := rand.New(rand.NewPCG(11, 12))
	for _, pair := range [][2]agents.Strategy{{agents.TFT.Noisy(), agents.Pavlov.Noisy()}, {agents.GTFT, agents.AllD.Noisy()}, {agents.Grim.Noisy(), agents.TFT.Noisy()}} {
		a, b := m(pair[0]), m(pair[1])
		want, _ := agents.Value(a, b, w, p)
		const reps = 40_000
		sum := 0.0
		for k := 0; k < reps; k++ {
			var xa, xb agents.Move
			disc := 1.0
			for t := 0; disc > 1e-6; t++ {
				na, nb := a.Next(xa, xb, t == 0, r), b.Next(xb, xa, t == 0, r)
				xa, xb = na, nb
				sum += (1 - w) * disc * p.Stage(xa, xb)
				disc *= w
			}
		}
		if got := sum / reps; math.Abs(got-want) > 0.03 {
			t.Errorf("V(%s, %s) = %g, simulated %g", pair[0], pair[1], want, got)
		}
	}
	if _, err := agents.Value(m(agents.TFT), m(agents.TFT), 1, p); !errors.Is(err, agents.ErrContinuation) {
		t.Errorf("w = 1: want ErrContinuation, got %v", err)
	}
}

func TestGameValidate(t *testing.T) {
	if err := (agents.Rule{Kind: "game"}).Validate(); err != nil {
		t.Errorf("kind game with a zero game (the default): %v", err)
	}
	g := agents.DefaultGame()
	g.WMax, g.Noise, g.Strategies.TFT = 1, 0.7, -1
	err := agents.Rule{Kind: "game", Game: g}.Validate()
	for _, field := range []string{"game.w_max: must be in [0,1)", "game.noise: must be in [0,0.5]", "game.strategies.tft: must be finite and >= 0"} {
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("no error %q in %v", field, err)
		}
	}
	if err := (agents.Rule{Kind: "game", Game: agents.Game{Noise: 0.1}}).Validate(); err == nil {
		t.Error("a game with no strategy weight: want an error")
	}
}

// gamePop makes a one-region population of n agents under the game rule,
// all playing s.
func gamePop(n int, s agents.Strategy) (*agents.Population, *agents.Terms) {
	p := agents.NewPopulation(agents.Elite, []int{n})
	var w [agents.NumStrategies]float64
	w[s] = 1
	p.InitStrategies(w, rand.New(rand.NewPCG(1, 1)))
	gt := &agents.GameTerms{Spread: 1}
	for _, x := range agents.Strategies {
		gt.Coop[x] = x.Memory1(1.0/3, 0.05).Coop
	}
	for i := range gt.Cum {
		gt.Cum[i] = 1
	}
	k := &agents.Terms{Rule: agents.Rule{Kind: "game"}, Game: gt, TermMin: 1, TermMax: 1}
	return p, k
}

// TestGameKernel: pairs play their tables; tallies count strategies.
func TestGameKernel(t *testing.T) {
	// tft paired with alld: tick 0 alld defects, tft cooperates; tick 1 tft defects.
	p, k := gamePop(4, agents.TFT)
	p.Strategy[1], p.Strategy[3] = uint8(agents.AllD), uint8(agents.AllD)
	tl := p.StepRegion(0, k, 1, 0)
	if c := p.CountStrategies(0); p.State[0] != agents.Loyal || p.State[1] != agents.Defected || tl.Defected != 2 || c[agents.TFT] != 2 || c[agents.AllD] != 2 {
		t.Fatalf("tick 0: states %v, tally %+v", p.State, tl)
	}
	p.StepRegion(0, k, 1, 1)
	if p.State[0] != agents.Defected || p.State[2] != agents.Defected {
		t.Errorf("tick 1: tft should retaliate, states %v", p.State)
	}
	// Imitation: everyone revises each tick, alld is worth more, all alld agents stay.
	p, k = gamePop(1000, agents.TFT)
	for i := 0; i < 500; i++ {
		p.Strategy[i] = uint8(agents.AllD)
	}
	k.Game.Imitation = 1
	k.Game.Value[agents.AllD] = 1
	for s := range k.Game.Cum {
		k.Game.Cum[s] = 0.5
		if s >= int(agents.AllD) {
			k.Game.Cum[s] = 1
		}
	}
	p.StepRegion(0, k, 1, 0)
	if n := p.CountStrategies(0)[agents.AllD]; n < 700 || n > 800 { // 500 + about half of 500
		t.Errorf("after one round of imitation %d alld agents, want about 750", n)
	}
}

// TestGameKernelDeterministic: the same key gives the same states; a
// different key different ones.
func TestGameKernelDeterministic(t *testing.T) {
	run := func(key uint64) []agents.State {
		p, k := gamePop(10_000, agents.TFT.Noisy())
		k.Game.MeanFieldD = 0.3
		for tick := 0; tick < 20; tick++ {
			p.StepRegion(0, k, key, tick)
		}
		return p.State
	}
	a, b, c := run(5), run(5), run(6)
	if string(statesBytes(a)) != string(statesBytes(b)) {
		t.Error("same key, different states")
	}
	if string(statesBytes(a)) == string(statesBytes(c)) {
		t.Error("different keys, same states")
	}
}

func statesBytes(s []agents.State) []byte {
	b := make([]byte, len(s))
	for i, x := range s {
		b[i] = byte(x)
	}
	return b
}

func TestGameKernelAllocatesNothing(t *testing.T) {
	p, k := gamePop(10_000, agents.GTFT)
	k.Game.Imitation = 0.1
	tick := 0
	if a := testing.AllocsPerRun(20, func() { p.StepRegion(0, k, 1, tick); tick++ }); a != 0 {
		t.Errorf("game kernel allocates %.1f times per step", a)
	}
}
