package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/turncoat-abm/turncoat/calibrate"
)

// TestCalibrateEndTables: the posterior table rounds to 4 significant
// digits without float noise and marks narrow intervals; the scores table
// puts the model's median and 90% interval beside each baseline, with –
// for a missing score.
func TestCalibrateEndTables(t *testing.T) {
	var b strings.Builder
	n := printPosteriorTable(&b, []calibrate.ParamSummary{
		{Name: "regime.repression", Kind: "uniform", Prior: [2]float64{0.3, 0.7}, Median: 0.51234567, Q05: 0.35000000000000003, Q95: 0.6999999},
		{Name: "regime.reserves", Kind: "loguniform", Prior: [2]float64{1, 4}, Median: 2.15789, Q05: 2.0, Q95: 2.4, Narrow: true},
	})
	assert.Equal(t, 1, n)
	assert.Equal(t, `parameter          prior               median  90% interval
regime.repression  uniform [0.3, 0.7]  0.5123  [0.35, 0.7]
regime.reserves    loguniform [1, 4]   2.158   [2, 2.4] *
`, b.String())

	b.Reset()
	sp, te := 0.7383, 8.86666666
	printScoresTable(&b, "model", &calibrate.Interval{Q05: 0.185123, Median: 0.374512, Q95: 0.755}, &calibrate.Interval{Q05: 6.2, Median: 11, Q95: 13.666666},
		[]calibrate.BaselineScore{{Name: "tiers", Description: "three dates", Spearman: &sp, TimingErrorWeeks: &te}, {Name: "referendum", Description: "order only", Spearman: &sp}})
	assert.Equal(t, `  forecast             Spearman                timing error (weeks)
  model                0.3745 [0.1851, 0.755]  11 [6.2, 13.67]
  baseline tiers       0.7383                  8.867  three dates
  baseline referendum  0.7383                  –      order only
`, b.String())

	b.Reset()
	printScoresTable(&b, "model", nil, &calibrate.Interval{Q05: 3, Median: 3, Q95: 5}, nil)
	assert.Equal(t, "  forecast  Spearman  timing error (weeks)\n  model     –         3 [3, 5]\n", b.String())
}
