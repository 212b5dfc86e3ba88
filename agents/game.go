package agents

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Payoffs are the stage-game payoffs of a two-player cooperate/defect game,
// to the row player: T (temptation: I defect, you cooperate), R (reward:
// both cooperate), P (punishment: both defect), S (sucker: I cooperate, you
// defect). Any ordering is allowed; T > R > P > S (and 2R > T + S) is the
// prisoner's dilemma.
type Payoffs struct {
	T, R, P, S float64
}

// Axelrod are the payoffs of Axelrod's tournaments: T 5, R 3, P 1, S 0.
var Axelrod = Payoffs{T: 5, R: 3, P: 1, S: 0}

// Stage returns the row player's payoff when it plays own against partner.
func (p Payoffs) Stage(own, partner Move) float64 {
	switch {
	case own == Cooperate && partner == Cooperate:
		return p.R
	case own == Cooperate:
		return p.S
	case partner == Cooperate:
		return p.T
	}
	return p.P
}

// vector returns the payoffs by state index (CC, CD, DC, DD).
func (p Payoffs) vector() [4]float64 { return [4]float64{p.R, p.S, p.T, p.P} }

// Dilemma reports whether the payoffs make a prisoner's dilemma:
// T > R > P > S.
func (p Payoffs) Dilemma() bool { return p.T > p.R && p.R > p.P && p.P > p.S }

// Move is one round's action.
type Move uint8

// The two moves. Loyal agents cooperate with the ruler's coalition;
// defected agents defect from it.
const (
	Cooperate Move = 0
	Defect    Move = 1
)

// String returns "C" or "D".
func (m Move) String() string {
	if m == Defect {
		return "D"
	}
	return "C"
}

// StateIndex returns the index of the memory-one state (own last move,
// partner's last move): 0 CC, 1 CD, 2 DC, 3 DD.
func StateIndex(own, partner Move) int { return int(own&1)<<1 | int(partner&1) }

// Memory1 is a memory-one strategy: First is the probability of cooperating
// in the first round, Coop[StateIndex(own, partner)] the probability of
// cooperating after the last round's (own, partner) moves.
type Memory1 struct {
	First float64
	Coop  [4]float64
}

// WithNoise returns m with implementation errors: the intended move is
// flipped with probability eps, so each probability p becomes
// p·(1−eps) + (1−p)·eps.
func (m Memory1) WithNoise(eps float64) Memory1 {
	f := func(p float64) float64 { return p*(1-eps) + (1-p)*eps }
	out := Memory1{First: f(m.First)}
	for i, p := range m.Coop {
		out.Coop[i] = f(p)
	}
	return out
}

// Strategy is a named repeated-game strategy. Each has an exact form and a
// noisy variant (Noisy) that flips its intended move with a probability ε.
type Strategy uint8

// The strategies. All are memory-one (see Strategy.Memory1).
const (
	AllC   Strategy = iota // always cooperate
	AllD                   // always defect
	TFT                    // tit-for-tat: cooperate first, then copy the partner's last move (Axelrod 1984)
	Grim                   // grim trigger: cooperate until any defection, then defect for ever
	Pavlov                 // win-stay lose-shift: cooperate iff both moves were equal last round (Nowak & Sigmund 1993)
	GTFT                   // generous tit-for-tat: as TFT, but forgive a defection with probability q (Nowak & Sigmund 1992)

	// NumBaseStrategies is the number of exact strategies; Strategy
	// s + NumBaseStrategies is the noisy variant of s.
	NumBaseStrategies = 6
	// NumStrategies counts exact and noisy strategies.
	NumStrategies = 2 * NumBaseStrategies
)

var strategyNames = [NumBaseStrategies]string{"allc", "alld", "tft", "grim", "pavlov", "gtft"}

// Strategies lists every strategy, the exact ones first.
var Strategies = func() (s [NumStrategies]Strategy) {
	for i := range s {
		s[i] = Strategy(i)
	}
	return s
}()

// Noisy returns the noisy variant of s (s itself if it is noisy).
func (s Strategy) Noisy() Strategy { return s.Base() + NumBaseStrategies }

// Base returns the exact strategy s is a variant of.
func (s Strategy) Base() Strategy { return s % NumBaseStrategies }

// IsNoisy reports whether s is a noisy variant.
func (s Strategy) IsNoisy() bool { return s >= NumBaseStrategies && s < NumStrategies }

// String returns the strategy's name: "tft", "noisy-tft", ...
func (s Strategy) String() string {
	switch {
	case s < NumBaseStrategies:
		return strategyNames[s]
	case s < NumStrategies:
		return "noisy-" + strategyNames[s-NumBaseStrategies]
	}
	return fmt.Sprintf("strategy(%d)", s)
}

// ParseStrategy returns the strategy named s: allc, alld, tft, grim, pavlov
// (or wsls), gtft, each optionally prefixed by "noisy-" or "noisy_".
func ParseStrategy(s string) (Strategy, error) {
	name := strings.ToLower(s)
	noisy := false
	if rest, ok := strings.CutPrefix(name, "noisy-"); ok {
		name, noisy = rest, true
	} else if rest, ok := strings.CutPrefix(name, "noisy_"); ok {
		name, noisy = rest, true
	}
	if name == "wsls" {
		name = "pavlov"
	}
	for i, n := range strategyNames {
		if n == name {
			if noisy {
				return Strategy(i).Noisy(), nil
			}
			return Strategy(i), nil
		}
	}
	return 0, fmt.Errorf("agents: unknown strategy %q (want allc, alld, tft, grim, pavlov, gtft, or noisy-<name>)", s)
}

// Memory1 returns s as a memory-one strategy, with generosity q (the
// probability that generous tit-for-tat cooperates after a defection) and,
// for noisy variants, implementation noise eps.
//
//	strategy  first  after CC  CD  DC  DD   (own move, partner's move)
//	allc        1        1     1   1   1
//	alld        0        0     0   0   0
//	tft         1        1     0   1   0
//	grim        1        1     0   0   0
//	pavlov      1        1     0   0   1
//	gtft        1        1     q   1   q
//
// Grim trigger as a memory-one rule ("cooperate iff last round was mutual
// cooperation") is exact without noise: once either side defects, its own
// defection keeps it defecting for ever.
func (s Strategy) Memory1(q, eps float64) Memory1 {
	var m Memory1
	switch s.Base() {
	case AllC:
		m = Memory1{1, [4]float64{1, 1, 1, 1}}
	case AllD:
		m = Memory1{0, [4]float64{0, 0, 0, 0}}
	case TFT:
		m = Memory1{1, [4]float64{1, 0, 1, 0}}
	case Grim:
		m = Memory1{1, [4]float64{1, 0, 0, 0}}
	case Pavlov:
		m = Memory1{1, [4]float64{1, 0, 0, 1}}
	case GTFT:
		m = Memory1{1, [4]float64{1, q, 1, q}}
	}
	if s.IsNoisy() {
		m = m.WithNoise(eps)
	}
	return m
}

// GenerousQ returns Nowak & Sigmund's (1992) generosity of generous
// tit-for-tat: q = min(1 − (T−R)/(R−S), (R−P)/(T−P)), 1/3 for Axelrod's
// payoffs (0 when the payoffs are not a dilemma).
func GenerousQ(p Payoffs) float64 {
	if !p.Dilemma() {
		return 0
	}
	return math.Max(0, math.Min(1-(p.T-p.R)/(p.R-p.S), (p.R-p.P)/(p.T-p.P)))
}

// choose returns the move for cooperation probability c, drawing from r
// only when 0 < c < 1.
func choose(c float64, r *rand.Rand) Move {
	switch {
	case c >= 1:
		return Cooperate
	case c <= 0:
		return Defect
	case r.Float64() < c:
		return Cooperate
	}
	return Defect
}

// Next returns m's move after (own, partner) last round, or its first move
// when first is set. Draws come from r only for probabilities strictly
// between 0 and 1.
func (m *Memory1) Next(own, partner Move, first bool, r *rand.Rand) Move {
	if first {
		return choose(m.First, r)
	}
	return choose(m.Coop[StateIndex(own, partner)], r)
}

// Play plays a match of rounds rounds between a and b and returns their
// total payoffs. Each round draws a's move, then b's, from r (only for
// probabilities strictly between 0 and 1; a match of exact strategies draws
// nothing).
func Play(a, b Memory1, rounds int, pay Payoffs, r *rand.Rand) (totalA, totalB float64) {
	var ma, mb Move
	for t := 0; t < rounds; t++ {
		na := a.Next(ma, mb, t == 0, r)
		nb := b.Next(mb, ma, t == 0, r)
		ma, mb = na, nb
		totalA += pay.Stage(ma, mb)
		totalB += pay.Stage(mb, ma)
	}
	return totalA, totalB
}

// ErrContinuation is returned by Value for w outside [0,1).
var ErrContinuation = errors.New("agents: continuation probability must be in [0,1)")

// Value returns a's expected payoff per round against b in the infinitely
// repeated game where each round is followed by another with probability w
// (the "shadow of the future"), normalised by (1 − w):
//
//	V = (1 − w) · Σ_t w^t · E[u_t] = (1 − w) · π0ᵀ (I − w·M)⁻¹ u
//
// where π0 is the distribution of the first round's (a, b) moves, M the
// 4×4 transition matrix between rounds' move pairs and u a's payoffs by
// pair. So V lies between the smallest and largest payoff; w = 0 gives the
// first round's expectation. It allocates nothing.
func Value(a, b Memory1, w float64, pay Payoffs) (float64, error) {
	if !(w >= 0 && w < 1) {
		return math.NaN(), ErrContinuation
	}
	return value(&a, &b, w, pay.vector()), nil
}

// value solves (I − w·Mᵀ) x = π0 for x = Σ w^t π_t and returns (1−w)·x·u.
func value(a, b *Memory1, w float64, u [4]float64) float64 {
	// pb[s] is b's cooperation probability in a's state s (b sees it swapped).
	pb := [4]float64{b.Coop[0], b.Coop[2], b.Coop[1], b.Coop[3]}
	var pi0 [4]float64
	fa, fb := a.First, b.First
	pi0[0], pi0[1], pi0[2], pi0[3] = fa*fb, fa*(1-fb), (1-fa)*fb, (1-fa)*(1-fb)
	// A = I − w·Mᵀ, with M[s][s'] the probability of moving from s to s'.
	var A [4][5]float64
	for s := 0; s < 4; s++ {
		ca, cb := a.Coop[s], pb[s]
		next := [4]float64{ca * cb, ca * (1 - cb), (1 - ca) * cb, (1 - ca) * (1 - cb)}
		for s2 := 0; s2 < 4; s2++ {
			A[s2][s] -= float64(w * next[s2])
		}
	}
	for i := 0; i < 4; i++ {
		A[i][i]++
		A[i][4] = pi0[i]
	}
	// Products are converted explicitly so that no platform fuses them into
	// a multiply-add (bit-identical values across architectures, as in the
	// kernel). Gaussian elimination with partial pivoting (A is diagonally dominant
	// by columns for w < 1, so pivoting is a safeguard).
	for c := 0; c < 4; c++ {
		piv := c
		for r := c + 1; r < 4; r++ {
			if math.Abs(A[r][c]) > math.Abs(A[piv][c]) {
				piv = r
			}
		}
		A[c], A[piv] = A[piv], A[c]
		for r := 0; r < 4; r++ {
			if r == c || A[r][c] == 0 {
				continue
			}
			f := A[r][c] / A[c][c]
			for k := c; k < 5; k++ {
				A[r][k] -= float64(f * A[c][k])
			}
		}
	}
	v := 0.0
	for i := 0; i < 4; i++ {
		v += float64(A[i][4] / A[i][i] * u[i])
	}
	return (1 - w) * v
}
