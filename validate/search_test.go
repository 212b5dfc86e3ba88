package validate

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestCasesSearch is the documented calibration of the shipped mapping on
// the six arabspring2011 cases (docs/SCENARIOS.md §4, "Calibration"): a Latin
// hypercube of CASES_SEARCH points over SearchSpace (seed 7, 10 runs per
// case and point), points with protest before the onset discarded, the
// ten of least Brier score rerun with 40 runs, the best printed. Only the
// six calibration cases are run. Skipped unless asked for:
//
//	CASES_SEARCH=300 go test ./validate -run CasesSearch -v -timeout 1h
func TestCasesSearch(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CASES_SEARCH"))
	if n <= 0 {
		t.Skip("set CASES_SEARCH=N to run the calibration search")
	}
	tab, err := scenarios.Uprisings()
	if err != nil {
		t.Fatal(err)
	}
	var ins []cases.Inputs
	var obs []regime.Outcome
	var names []string
	for _, c := range tab.Cases {
		if c.Inputs.Sample == CalibrationSample {
			ins, obs, names = append(ins, c.Inputs), append(obs, c.Outcome.Military), append(names, c.Name())
		}
	}
	all := make([]int, len(ins))
	for i := range all {
		all[i] = i
	}
	ctx := context.Background()
	maps, points, err := SearchDesign(cases.DefaultMapping(), n, 7)
	if err != nil {
		t.Fatal(err)
	}
	probs, calm, err := predictions(ctx, maps, ins, 10)
	if err != nil {
		t.Fatal(err)
	}
	type cand struct {
		p     int
		brier float64
		calm  bool
	}
	var cs []cand
	calmCount := 0
	for p := range maps {
		c := cand{p: p, calm: true}
		for _, i := range all {
			c.brier += brier(probs[p][i], obs[i]) / float64(len(all))
			c.calm = c.calm && calm[p][i] <= CalmLimit
		}
		if c.calm {
			calmCount++
			cs = append(cs, c)
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return cmp.Compare(a.brier, b.brier) })
	t.Logf("%d points, %d calm before the onset in all six", n, calmCount)
	top := cs[:min(10, len(cs))]
	var topMaps []cases.Mapping
	for _, c := range top {
		topMaps = append(topMaps, maps[c.p])
	}
	p40, calm40, err := predictions(ctx, topMaps, ins, 40)
	if err != nil {
		t.Fatal(err)
	}
	best, bestB := -1, 0.0
	for k, c := range top {
		b, acc := 0.0, 0.0
		for _, i := range all {
			b += brier(p40[k][i], obs[i]) / float64(len(all))
			acc += hit(p40[k][i], obs[i])
		}
		var line []string
		for i := range all {
			line = append(line, fmt.Sprintf("%s %s (calm %.3f)", strings.TrimPrefix(names[i], "arabspring2011-"), fmtProbs(p40[k][i]), calm40[k][i]))
		}
		t.Logf("point %d: Brier(10) %.3f Brier(40) %.3f matches %.1f; %v\n    %s", c.p, c.brier, b, acc, points[c.p], strings.Join(line, "; "))
		if best < 0 || b < bestB {
			best, bestB = k, b
		}
	}
	t.Logf("best: point %d, Brier %.3f", top[best].p, bestB)
	for k, sp := range SearchSpace() {
		t.Logf("  %s = %g", sp.Name, points[top[best].p][k])
	}
}

// TestCasesFull is the scoring of docs/SCENARIOS.md at full size: 40 runs
// per case for the frozen mapping, a 200-point design with 10 runs per
// case and point for leave-one-out. Skipped unless asked for:
//
//	CASES_FULL=1 go test ./validate -run CasesFull -v -timeout 1h
func TestCasesFull(t *testing.T) {
	if os.Getenv("CASES_FULL") == "" {
		t.Skip("set CASES_FULL=1 to run the full case scoring")
	}
	rep, err := ScoreCases(context.Background(), CaseOptions{Replicates: 40, Points: 200, SearchReplicates: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.Markdown())
}
