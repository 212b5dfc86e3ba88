package validate

import (
	"context"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

var (
	d, s, l = regime.OutcomeDefected, regime.OutcomeSplit, regime.OutcomeLoyal
)

// TestBrier: the multiclass Brier score (Brier 1950) at its textbook
// points: 0 for a certain right forecast, 2 for a certain wrong one, 2/3
// for the uniform forecast whatever happens.
func TestBrier(t *testing.T) {
	assert.Equal(t, 0.0, brier(Probs{1, 0, 0}, d))
	assert.Equal(t, 2.0, brier(Probs{1, 0, 0}, l))
	for _, o := range regime.Outcomes {
		assert.InDelta(t, 2.0/3, brier(Probs{1. / 3, 1. / 3, 1. / 3}, o), 1e-12)
	}
	assert.InDelta(t, 0.5*0.5+0.5*0.5, brier(Probs{0.5, 0.5, 0}, s), 1e-12)
}

// TestHit: ties share the credit; the confusion matrix counts the first of
// the tied classes.
func TestHit(t *testing.T) {
	assert.Equal(t, 1.0, hit(Probs{0.2, 0.7, 0.1}, s))
	assert.Equal(t, 0.0, hit(Probs{0.2, 0.7, 0.1}, l))
	assert.Equal(t, 0.5, hit(Probs{0.5, 0.5, 0}, d))
	assert.InDelta(t, 1.0/3, hit(Probs{1. / 3, 1. / 3, 1. / 3}, l), 1e-12)
	sc := score([]Probs{{1, 0, 0}, {0, 0, 1}, {0.5, 0.5, 0}}, []regime.Outcome{d, s, s})
	assert.InDelta(t, 0.5, sc.Accuracy, 1e-12) // 1 + 0 + 0.5 over 3
	assert.Equal(t, [3][3]int{{1, 0, 0}, {1, 0, 1}, {0, 0, 0}}, sc.Confusion)
}

// TestMajority: the training classes' frequencies.
func TestMajority(t *testing.T) {
	assert.Equal(t, Probs{0.5, 0.25, 0.25}, majority([]regime.Outcome{d, d, s, l}))
}

// TestFitThreshold: on the 2011 pack's two inputs as the issue wrote them
// (stacking ≥ 0.4 → loyal, parallel ≥ 0.3 → split) the refit classifies
// all six; it moves the thresholds no further than the cases demand; and
// its accuracy on its own training set is never below the published
// rule's.
func TestFitThreshold(t *testing.T) {
	// the hand-written pack's inputs (docs/SCENARIOS.md before the builder)
	in := []ruleInputs{{0, 0.09}, {0, 0.06}, {0.3, 0.4}, {0.4, 0.2}, {0.95, 0.5}, {0.2, 0.9}}
	obs := []regime.Outcome{d, d, s, l, l, s}
	r := fitThreshold(in, obs)
	for i, x := range in {
		assert.Equal(t, obs[i], r.Predict(x.stacking, x.parallel), "case %d", i)
	}
	assert.InDelta(t, 0.35, r.Stacking, 1e-12, "midpoint of 0.3 and 0.4")
	assert.InDelta(t, 0.3, r.Parallel, 1e-12, "midpoint of 0.2 and 0.4")
	// one class only: any rule that says it; the nearest to (0.4, 0.3)
	r = fitThreshold([]ruleInputs{{0, 0.1}, {0.5, 0.1}}, []regime.Outcome{d, d})
	assert.Equal(t, d, r.Predict(0, 0.1))
	assert.Equal(t, d, r.Predict(0.5, 0.1))
	assert.True(t, math.IsInf(r.Stacking, 1))
}

// TestSelectPoint: the point of least Brier on the training cases, points
// with protest before the onset passed over.
func TestSelectPoint(t *testing.T) {
	obs := []regime.Outcome{d, l, s}
	probs := [][]Probs{
		{{1, 0, 0}, {0, 0, 1}, {0, 0, 1}}, // right on 0 and 1, wrong on 2
		{{0, 1, 0}, {0, 1, 0}, {0, 1, 0}}, // right on 2 only
		{{1, 0, 0}, {0, 0, 1}, {0, 1, 0}}, // right on all, but not calm
	}
	calm := [][]float64{{0, 0, 0}, {0, 0, 0}, {0, 0.2, 0}}
	assert.Equal(t, 0, selectPoint(probs, calm, obs, []int{0, 1}))
	assert.Equal(t, 1, selectPoint(probs, calm, obs, []int{2}))
	assert.Equal(t, 0, selectPoint(probs, calm, obs, []int{0, 1, 2}), "the calm-free point 2 is passed over")
	calm[0][0], calm[1][0] = 1, 1
	assert.Equal(t, 2, selectPoint(probs, calm, obs, []int{0, 1, 2}), "when no point is calm, all compete")
}

// TestScoreCasesSmall runs the whole scoring on a small design and checks
// its bookkeeping: every case scored once in the leave-one-out, the six
// calibration cases in sample and the others out of sample, baselines fitted
// on the training cases only, deterministic.
func TestScoreCasesSmall(t *testing.T) {
	tab, err := scenarios.Uprisings()
	require.NoError(t, err)
	opt := CaseOptions{Replicates: 2, Points: 3, SearchReplicates: 1}
	rep, err := ScoreCases(context.Background(), opt)
	require.NoError(t, err)
	assert.Equal(t, 6, rep.InSample.Model.N)
	assert.Equal(t, len(tab.Cases)-6, rep.OutOfSample.Model.N)
	assert.Equal(t, len(tab.Cases), rep.LeaveOneOut.Model.N)
	for _, c := range rep.OutOfSample.Cases {
		assert.NotEqual(t, CalibrationSample, c.Sample)
		assert.InDelta(t, 1, c.Model[0]+c.Model[1]+c.Model[2], 1e-12, c.Case)
		// the majority baseline out of sample is the calibration set's 2/2/2
		assert.Equal(t, Probs{1. / 3, 1. / 3, 1. / 3}, c.Majority)
	}
	for _, c := range rep.LeaveOneOut.Cases {
		assert.GreaterOrEqual(t, c.Point, 0)
		assert.Less(t, c.Point, opt.Points)
	}
	n := 0
	for _, r := range rep.Robustness {
		assert.LessOrEqual(t, r.Changed, r.Coded, r.Alternative)
		assert.Len(t, r.Which, r.Changed)
		n++
	}
	assert.Equal(t, len(cases.Alternatives), n)
	prev := runtime.GOMAXPROCS(1) // one worker instead of several: the same report
	again, err := ScoreCases(context.Background(), opt)
	runtime.GOMAXPROCS(prev)
	require.NoError(t, err)
	assert.Equal(t, rep, again, "same options, same report, whatever the number of workers")
}
