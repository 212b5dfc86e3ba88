package validate

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/internal/seed"
)

const axelrodRef = "Axelrod (1984), The Evolution of Cooperation; Axelrod & Hamilton (1981), Science 211"

// Alternator defects, then alternates (D, C, D, C, …): the memory-one rule
// "cooperate iff I defected last round". Axelrod's (1984) Proposition 2
// tests tit-for-tat against it and against always-defect.
var Alternator = agents.Memory1{First: 0, Coop: [4]float64{0, 0, 1, 1}}

// StabilityThreshold returns the smallest continuation probability w at
// which tit-for-tat is collectively stable against always-defect and the
// alternator under payoffs p: V(TFT, TFT) ≥ V(X, TFT) for both, with V the
// package agents' discounted value. It is found by bisection (to 1e-12) on
// [0, 1); it returns 1 when no w < 1 works.
func StabilityThreshold(p agents.Payoffs) float64 {
	tft := agents.TFT.Memory1(0, 0)
	alld := agents.AllD.Memory1(0, 0)
	stable := func(w float64) bool {
		v, _ := agents.Value(tft, tft, w, p)
		d, _ := agents.Value(alld, tft, w, p)
		a, _ := agents.Value(Alternator, tft, w, p)
		return v >= d && v >= a
	}
	lo, hi := 0.0, 1-1e-12
	if !stable(hi) {
		return 1
	}
	if stable(lo) {
		return 0
	}
	for hi-lo > 1e-12 {
		m := (lo + hi) / 2
		if stable(m) {
			hi = m
		} else {
			lo = m
		}
	}
	return hi
}

// TournamentSetup describes a round-robin tournament.
type TournamentSetup struct {
	Rounds     int            // rounds per match (Axelrod's second tournament: about 200)
	Replicates int            // matches per pair of entrants
	Payoffs    agents.Payoffs // stage payoffs
	Noise      float64        // ε of the noisy entrants
	Generosity float64        // q of generous tit-for-tat
	Seed       uint64         // the match between entrants i and j, replicate k, draws from Mix(Mix3(Seed, i, j), k)
}

// DefaultTournament is the setup whose ranking docs/VALIDATION.md reports:
// every strategy of package agents, exact and noisy (ε = 0.05), against
// every other and itself, 200 rounds with Axelrod's payoffs, 100 matches
// per pair, q = 1/3, seed 1984.
func DefaultTournament() TournamentSetup {
	return TournamentSetup{Rounds: 200, Replicates: 100, Payoffs: agents.Axelrod, Noise: 0.05, Generosity: 1.0 / 3, Seed: 1984}
}

// Standing is one entrant's result.
type Standing struct {
	Strategy agents.Strategy
	// Score is the mean total payoff per match, averaged over opponents
	// (itself included) and replicates.
	Score float64
}

// Tournament plays the round robin of setup between all strategies and
// returns the standings, best first (ties by strategy order).
func Tournament(ts TournamentSetup) []Standing {
	n := agents.NumStrategies
	m1 := make([]agents.Memory1, n)
	for i, s := range agents.Strategies {
		m1[i] = s.Memory1(ts.Generosity, ts.Noise)
	}
	score := make([]float64, n)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			for k := 0; k < ts.Replicates; k++ {
				r := seed.New(seed.Mix(seed.Mix3(ts.Seed, uint64(i), uint64(j)), uint64(k)))
				a, b := agents.Play(m1[i], m1[j], ts.Rounds, ts.Payoffs, r)
				if i == j { // self-play counts once, for the first player
					score[i] += a
					continue
				}
				score[i] += a
				score[j] += b
			}
		}
	}
	out := make([]Standing, n)
	for i := range out {
		out[i] = Standing{Strategy: agents.Strategy(i), Score: score[i] / float64(n*ts.Replicates)}
	}
	slices.SortStableFunc(out, func(a, b Standing) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return out
}

func prisonersDilemma(_ context.Context, r *Report, _ Options) error {
	p := agents.Axelrod
	tft, alld := agents.TFT.Memory1(0, 0), agents.AllD.Memory1(0, 0)
	a, b := agents.Play(tft, alld, 200, p, seed.New(1))
	r.add(near("pd/tft-vs-alld-200", a, 199, 0, axelrodRef+": tit-for-tat against always-defect over 200 rounds, T5 R3 P1 S0: S + 199·P = 199"))
	r.add(near("pd/alld-vs-tft-200", b, 204, 0, axelrodRef+": always-defect against tit-for-tat over 200 rounds: T + 199·P = 204"))
	w := StabilityThreshold(p)
	closed := math.Max((p.T-p.R)/(p.T-p.P), (p.T-p.R)/(p.R-p.S))
	r.add(near("pd/tft-stability-threshold", w, closed, 1e-9,
		fmt.Sprintf("%s, Proposition 2: TFT is collectively stable iff w ≥ max((T−R)/(T−P), (T−R)/(R−S)) = 2/3; value by bisection on the code's discounted values", axelrodRef)))

	ts := DefaultTournament()
	st := Tournament(ts)
	setup := fmt.Sprintf("round robin of the %d strategies incl. self-play, %d rounds, T5 R3 P1 S0, noisy entrants ε = %g, q = %.3g, %d matches per pair, seed %d",
		agents.NumStrategies, ts.Rounds, ts.Noise, ts.Generosity, ts.Replicates, ts.Seed)
	rank := map[agents.Strategy]int{}
	for i, s := range st {
		rank[s.Strategy] = i + 1
		r.add(info(fmt.Sprintf("pd/tournament/%02d-%s", i+1, s.Strategy), s.Score, "mean score per 200-round match; "+setup))
	}
	// Axelrod's finding: nice, retaliating strategies do best; here the
	// four exact reciprocators (tft, grim, pavlov, gtft) all outrank
	// always-defect, which beats only the unconditional cooperators and the
	// noisy field.
	above := 0.0
	for _, s := range []agents.Strategy{agents.TFT, agents.Grim, agents.Pavlov, agents.GTFT} {
		if rank[s] < rank[agents.AllD] {
			above++
		}
	}
	r.add(near("pd/tournament/reciprocators-above-alld", above, 4, 0, axelrodRef+": the exact reciprocators tft, grim, pavlov and gtft all outrank always-defect; "+setup))
	return nil
}
