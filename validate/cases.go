package validate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/regime"
)

// Probs are predicted class probabilities in the order of regime.Outcomes
// (defected, split, loyal).
type Probs [3]float64

// classIndex returns o's position in regime.Outcomes, or -1.
func classIndex(o regime.Outcome) int { return slices.Index(regime.Outcomes[:], o) }

// probsOf returns a distribution's class shares.
func probsOf(d regime.OutcomeDist) Probs {
	var p Probs
	for k, o := range regime.Outcomes {
		p[k] = d.Share(o)
	}
	return p
}

// brier is the multiclass Brier score of p against the observed class
// (Brier 1950): Σ_k (p_k − y_k)², 0 for a certain correct forecast, 2 for
// a certain wrong one.
func brier(p Probs, obs regime.Outcome) float64 {
	s := 0.0
	for k, o := range regime.Outcomes {
		y := 0.0
		if o == obs {
			y = 1
		}
		s += (p[k] - y) * (p[k] - y)
	}
	return s
}

// hit is the accuracy credit of p for obs: 1/k when obs is among the k
// classes of highest probability (a tie is a fair coin, not a guess
// resolved in the model's favour), else 0.
func hit(p Probs, obs regime.Outcome) float64 {
	top := slices.Max(p[:])
	k, in := 0, false
	for i, o := range regime.Outcomes {
		if p[i] == top {
			k++
			in = in || o == obs
		}
	}
	if !in {
		return 0
	}
	return 1 / float64(k)
}

// predicted returns the class of highest probability (ties to the first of
// regime.Outcomes), the column of a confusion matrix.
func predicted(p Probs) int {
	best := 0
	for k := range p {
		if p[k] > p[best] {
			best = k
		}
	}
	return best
}

// Score summarises predictions of observed classes.
type Score struct {
	// N is the number of cases scored.
	N int `json:"n"`
	// Accuracy is the mean accuracy credit (1 for the right class, 1/k for
	// a k-way tie that includes it).
	Accuracy float64 `json:"accuracy"`
	// Brier is the mean multiclass Brier score (0 perfect, 2 worst; a
	// uniform forecast scores 2/3).
	Brier float64 `json:"brier"`
	// Confusion counts cases by observed class (rows) and predicted class
	// (columns), both in the order defected, split, loyal.
	Confusion [3][3]int `json:"confusion"`
}

func score(ps []Probs, obs []regime.Outcome) Score {
	s := Score{N: len(ps)}
	for i, p := range ps {
		s.Accuracy += hit(p, obs[i])
		s.Brier += brier(p, obs[i])
		s.Confusion[classIndex(obs[i])][predicted(p)]++
	}
	if s.N > 0 {
		s.Accuracy /= float64(s.N)
		s.Brier /= float64(s.N)
	}
	return s
}

// majority is the majority-class baseline fitted on the training classes:
// it forecasts their frequencies.
func majority(train []regime.Outcome) Probs {
	var p Probs
	for _, o := range train {
		p[classIndex(o)]++
	}
	for k := range p {
		p[k] /= float64(len(train))
	}
	return p
}

// ThresholdRule is the two-threshold baseline: soldier stacking ≥ Stacking
// → loyal; otherwise parallel forces ≥ Parallel → split; otherwise
// defected. Its inputs are the built scenario's population.stacking and
// regime.parallel_forces.
type ThresholdRule struct {
	Stacking float64 `json:"stacking"`
	Parallel float64 `json:"parallel"`
}

// Predict returns the rule's class for the inputs.
func (r ThresholdRule) Predict(stacking, parallel float64) regime.Outcome {
	switch {
	case stacking >= r.Stacking:
		return regime.OutcomeLoyal
	case parallel >= r.Parallel:
		return regime.OutcomeSplit
	}
	return regime.OutcomeDefected
}

func onehot(o regime.Outcome) Probs {
	var p Probs
	p[classIndex(o)] = 1
	return p
}

// ruleInputs are the two inputs of the threshold rule for one case.
type ruleInputs struct{ stacking, parallel float64 }

// cuts returns the candidate thresholds of one input: below every value,
// the midpoints between consecutive distinct values, and above every
// value.
func cuts(v []float64) []float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	v = slices.Compact(v)
	out := []float64{math.Inf(-1)}
	for i := 1; i < len(v); i++ {
		out = append(out, (v[i-1]+v[i])/2)
	}
	return append(out, math.Inf(1))
}

// FitThreshold chooses the thresholds that classify the training cases
// best; among equally good pairs it keeps the one nearest the published
// rule (0.4, 0.3), so that the refit moves the rule only as far as the
// training cases demand.
func fitThreshold(in []ruleInputs, obs []regime.Outcome) ThresholdRule {
	var st, pa []float64
	for _, x := range in {
		st, pa = append(st, x.stacking), append(pa, x.parallel)
	}
	best, bestHits, bestDist := ThresholdRule{0.4, 0.3}, -1, math.Inf(1)
	for _, a := range cuts(st) {
		for _, b := range cuts(pa) {
			r := ThresholdRule{a, b}
			hits := 0
			for i, x := range in {
				if r.Predict(x.stacking, x.parallel) == obs[i] {
					hits++
				}
			}
			d := math.Hypot(clampInf(a)-0.4, clampInf(b)-0.3)
			if hits > bestHits || hits == bestHits && d < bestDist {
				best, bestHits, bestDist = r, hits, d
			}
		}
	}
	return best
}

// clampInf maps ±Inf to ±10 so that distances stay finite.
func clampInf(x float64) float64 { return math.Max(-10, math.Min(10, x)) }

// caseRun is a built case's class distribution over seeds 1..n and its
// mean citizen defected share in the week before the onset.
type caseRun struct {
	dist regime.OutcomeDist
	calm float64
}

// runCase runs cfg for seeds 1..reps on one reused model.
func runCase(ctx context.Context, cfg regime.Config, reps, lead int) (caseRun, error) {
	var out caseRun
	m, err := regime.New(cfg)
	if err != nil {
		return out, err
	}
	for s := 1; s <= reps; s++ {
		res, err := m.RunShared(ctx, uint64(s))
		if err != nil {
			return out, err
		}
		out.dist.Add(cfg.Outcome.Classify(res))
		if lead > 0 && lead <= len(res.Ticks) {
			out.calm += res.Ticks[lead-1].Defected[agents.Citizen] / float64(reps)
		}
	}
	return out, nil
}

// runAll runs every job, several at a time (each job's result depends on
// the job alone, so the order of completion does not matter).
func runAll(ctx context.Context, cfgs []regime.Config, reps, lead int) ([]caseRun, error) {
	out := make([]caseRun, len(cfgs))
	errs := make([]error, len(cfgs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i], errs[i] = runCase(ctx, cfgs[i], reps, lead)
			}
		}()
	}
	for i := range cfgs {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SearchParam is one shared parameter of the calibration search: a range
// and how a value is written into a mapping. Every case gets the same
// value; nothing is searched per case.
type SearchParam struct {
	Name     string
	Min, Max float64
	Set      func(*cases.Mapping, float64)
}

// SearchSpace returns the shared parameters the documented search varies,
// with their ranges (docs/SCENARIOS.md §4, "Calibration").
func SearchSpace() []SearchParam {
	return []SearchParam{
		{"roles.soldier.threshold.mean", 0.3, 0.55, func(m *cases.Mapping, v float64) { m.Base.Roles.Soldier.Threshold.Mean = v }},
		{"roles.soldier.weights.social", 0.6, 1.8, func(m *cases.Mapping, v float64) { m.Base.Roles.Soldier.Weights.Social = v }},
		{"roles.citizen.threshold.mean", 0.4, 0.6, func(m *cases.Mapping, v float64) { m.Base.Roles.Citizen.Threshold.Mean = v }},
		{"regime.surveillance", 0.6, 0.95, func(m *cases.Mapping, v float64) { m.Base.Regime.Surveillance = v }},
		{"regime.family_reprisal", 0, 0.6, func(m *cases.Mapping, v float64) { m.Base.Regime.FamilyReprisal = v }},
		{"mapping.onset_scale", 0.4, 0.8, func(m *cases.Mapping, v float64) { m.OnsetScale = v }},
		{"mapping.onset_slope", 0, 0.2, func(m *cases.Mapping, v float64) { m.OnsetSlope = v }},
		{"mapping.soldiers_per_force", 0.015, 0.06, func(m *cases.Mapping, v float64) { m.SoldiersPerForce = v }},
	}
}

// SearchDesign returns n mappings: base with the shared parameters of
// SearchSpace set to the points of a Latin hypercube drawn from seed (the
// values, rounded to three decimals, in points).
func SearchDesign(base cases.Mapping, n int, seed uint64) ([]cases.Mapping, [][]float64, error) {
	space := SearchSpace()
	params := make([]abm.Param, len(space))
	for i, p := range space {
		params[i] = abm.Param{Name: p.Name, Min: p.Min, Max: p.Max}
	}
	h, err := abm.NewLatinHypercube(params, n, rand.New(rand.NewPCG(seed, 0x5ea4c4)))
	if err != nil {
		return nil, nil, err
	}
	maps := make([]cases.Mapping, n)
	points := make([][]float64, n)
	for i := range n {
		x := make([]float64, len(space))
		h.Point(i, x)
		m := base
		m.Base = base.Base.Clone()
		for k, p := range space {
			x[k] = math.Round(x[k]*1000) / 1000
			p.Set(&m, x[k])
		}
		maps[i], points[i] = m, x
	}
	return maps, points, nil
}

// predictions runs every case under every mapping: out[p][i] are case i's
// class probabilities under mapping p, calm[p][i] its citizen defected
// share the week before the onset.
func predictions(ctx context.Context, maps []cases.Mapping, ins []cases.Inputs, reps int) (out [][]Probs, calm [][]float64, err error) {
	var cfgs []regime.Config
	for _, m := range maps {
		for _, in := range ins {
			cfg, err := m.Build(in)
			if err != nil {
				return nil, nil, err
			}
			cfgs = append(cfgs, cfg)
		}
	}
	lead := 0
	if len(maps) > 0 {
		lead = maps[0].LeadWeeks
	}
	runs, err := runAll(ctx, cfgs, reps, lead)
	if err != nil {
		return nil, nil, err
	}
	out, calm = make([][]Probs, len(maps)), make([][]float64, len(maps))
	for p := range maps {
		out[p], calm[p] = make([]Probs, len(ins)), make([]float64, len(ins))
		for i := range ins {
			r := runs[p*len(ins)+i]
			out[p][i], calm[p][i] = probsOf(r.dist), r.calm
		}
	}
	return out, calm, nil
}

// CalmLimit is the citizen defected share the week before the onset above
// which a parameter point is discarded by the search: the uprisings began
// in countries that were calm the week before.
const CalmLimit = 0.05

// selectPoint returns the design point of least mean Brier score on the
// training cases train, among the points calm before the onset in every
// training case (all points when none is); ties go to the first point.
func selectPoint(probs [][]Probs, calm [][]float64, obs []regime.Outcome, train []int) int {
	best, bestB := -1, math.Inf(1)
	for pass := 0; pass < 2 && best < 0; pass++ {
		for p := range probs {
			ok := true
			b := 0.0
			for _, i := range train {
				if pass == 0 && calm[p][i] > CalmLimit {
					ok = false
					break
				}
				b += brier(probs[p][i], obs[i])
			}
			if ok && b < bestB {
				best, bestB = p, b
			}
		}
	}
	return best
}

// fmtProbs formats class probabilities as "d 0.10 s 0.85 l 0.05".
func fmtProbs(p Probs) string { return fmt.Sprintf("d %.2f s %.2f l %.2f", p[0], p[1], p[2]) }
