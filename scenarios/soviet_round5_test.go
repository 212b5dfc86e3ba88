package scenarios_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
	"github.com/turncoat-abm/turncoat/sweep"
)

// round5Scores are the medians over seeds 1..n of the issue-17 scores,
// with the quantities section 10 of docs/SOVIET.md reports beside them.
type round5Scores struct {
	sovietAim
	assets        float64    // median number of declarations through the assets channel
	exitRhoQ      [2]float64 // 10 % and 90 % quantiles of the exit Spearman over the seeds
	exitTEQ       [2]float64 // and of the exit timing error
	russia, kazak float64    // median exit tick (the horizon when a run has none)
	ruOut, kzOut  int        // runs in which each exits within the horizon
	spreadWeeks   float64    // median weeks between the first and last exit from the coup on
}

func measureRound5(t *testing.T, cfg regime.Config, n int) round5Scores {
	t.Helper()
	var out round5Scores
	m, err := regime.New(cfg)
	require.NoError(t, err)
	coup := cfg.TickOf(regime.DateOf(1991, 8, 19))
	end := cfg.TickOf(regime.DateOf(1991, 12, 31))
	var as, ru, kz, er, et, sp, sr, st, nd []float64
	col := 0
	for s := 1; s <= n; s++ {
		res, err := m.Run(context.Background(), uint64(s))
		require.NoError(t, err)
		sum := res.Summary
		if sum.SpearmanSovereignty != nil {
			sr = append(sr, *sum.SpearmanSovereignty)
		}
		st = append(st, *sum.TimingErrorSovereigntyWeeks)
		nd = append(nd, float64(len(sum.Declarations)))
		if sum.Collapsed && *sum.CollapseTick <= end {
			col++
		}
		k := 0
		for _, d := range sum.Declarations {
			if d.Channel == regime.ChannelAssets {
				k++
			}
		}
		as = append(as, float64(k))
		r, z := float64(cfg.Ticks), float64(cfg.Ticks)
		first, last := -1, -1
		for _, e := range sum.Exits {
			switch e.Region {
			case "Russia":
				r = float64(e.Tick)
				out.ruOut++
			case "Kazakhstan":
				z = float64(e.Tick)
				out.kzOut++
			}
			if e.Tick >= coup {
				if first < 0 {
					first = e.Tick
				}
				last = e.Tick
			}
		}
		ru, kz = append(ru, r), append(kz, z)
		if first >= 0 {
			sp = append(sp, float64(last-first)*cfg.TickDays/7)
		}
		if sum.SpearmanVsHistory != nil {
			er = append(er, *sum.SpearmanVsHistory)
		}
		et = append(et, *sum.TimingErrorWeeks)
	}
	out.sovietAim = sovietAim{sovRho: median(sr), sovTE: median(st), exitRho: median(er), exitTE: median(et),
		collapse: float64(col) / float64(n), decls: median(nd)}
	out.assets, out.russia, out.kazak, out.spreadWeeks = median(as), median(ru), median(kz), median(sp)
	out.exitRhoQ = [2]float64{quantile(er, 0.1), quantile(er, 0.9)}
	out.exitTEQ = [2]float64{quantile(et, 0.1), quantile(et, 0.9)}
	return out
}

func median(v []float64) float64 { return quantile(v, 0.5) }

// quantile is the q-quantile of v (linear interpolation; NaN when empty).
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	v = slices.Clone(v)
	slices.Sort(v)
	x := q * float64(len(v)-1)
	i := int(math.Floor(x))
	if i+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[i] + (x-float64(i))*(v[i+1]-v[i])
}

// round5Point is a point of the round-5 grid (docs/SOVIET.md section 10):
// the loyal channel's revenue withheld, the last-out share (0: off) and
// the bargain's hold.
type round5Point struct{ revenue, lastOut, hold float64 }

// round5Grid is the grid of section 10, fixed before it was run.
func round5Grid() []round5Point {
	var g []round5Point
	for _, r := range []float64{0, 0.5} {
		for _, l := range []float64{0, 0.1, 0.3} {
			for _, h := range []float64{0, 0.5} {
				g = append(g, round5Point{r, l, h})
			}
		}
	}
	return g
}

// round5Sets are the overrides of soviet1991-assets for point p: the
// loyal channel's consequences (conscripts kept in the union army, union
// law kept, the same demonstration as a declaration), the last-out rule
// with a persistence of one parliament session, the bargain's hold.
func round5Sets(p round5Point) []string {
	s := []string{
		fmt.Sprintf("assets.consequences.revenue_withheld=%g", p.revenue),
		"assets.consequences.conscripts_home=0",
		"assets.consequences.legitimacy_loss=0",
		"assets.consequences.demonstration=0.1",
		fmt.Sprintf("bargain.hold=%g", p.hold),
	}
	if p.lastOut > 0 {
		s = append(s, fmt.Sprintf("assets.last_out=%g", p.lastOut), "assets.last_out_persist=13")
	}
	return s
}

func round5Row(cfg regime.Config, label string, a round5Scores, n int) string {
	date := func(tick float64, out int) string {
		if out*2 <= n { // the median run has no exit
			return fmt.Sprintf("none (%d/%d)", out, n)
		}
		return fmt.Sprintf("%s (%d/%d)", cfg.DateOf(int(tick)), out, n)
	}
	assets := "channel not recorded"
	if cfg.Assets != nil && (cfg.Assets.Consequences != nil || cfg.Assets.LastOut > 0) {
		assets = fmt.Sprintf("%.0f assets", a.assets)
	}
	spread := "— (none after)"
	if !math.IsNaN(a.spreadWeeks) {
		spread = fmt.Sprintf("%.0f", a.spreadWeeks)
	}
	return fmt.Sprintf("| %s | %.3f / %.1f | %.0f (%s) | %.3f [%.3f, %.3f] | %.2f [%.2f, %.2f] | %.2f | %s | %s | %s |",
		label, a.sovRho, a.sovTE, a.decls, assets, a.exitRho, a.exitRhoQ[0], a.exitRhoQ[1], a.exitTE, a.exitTEQ[0], a.exitTEQ[1],
		a.collapse, spread, date(a.russia, a.ruOut), date(a.kazak, a.kzOut))
}

// TestSovietRound5Grid regenerates the table of docs/SOVIET.md section 10
// (the round-5 grid, 20 seeds a point): set TURNCOAT_ROUND5_GRID=FILE to
// run it and write the table to FILE. About 6 minutes of CPU; not part of
// CI.
func TestSovietRound5Grid(t *testing.T) {
	out := os.Getenv("TURNCOAT_ROUND5_GRID")
	if out == "" || raceEnabled {
		t.Skip("set TURNCOAT_ROUND5_GRID=FILE to regenerate the round-5 grid")
	}
	const n = 20
	var b strings.Builder
	b.WriteString("| point | decl. ρ / timing (wk) | declared | exit ρ [10 %, 90 %] | exit timing (wk) [10 %, 90 %] | P(collapse by 1991-12-31) | exit spread from the coup (wk) | Russia exits | Kazakhstan exits |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, ref := range []struct{ label, scenario string }{
		{"soviet1991-sovereignty (shipped)", "soviet1991-sovereignty"},
		{"soviet1991-assets (round 4)", assetsScenario},
	} {
		cfg, err := scenarios.Load(ref.scenario)
		require.NoError(t, err)
		b.WriteString(round5Row(cfg, ref.label, measureRound5(t, cfg, n), n) + "\n")
	}
	for _, p := range round5Grid() {
		cfg, err := scenarios.Load(assetsScenario, round5Sets(p)...)
		require.NoError(t, err)
		lo := "off"
		if p.lastOut > 0 {
			lo = fmt.Sprintf("%g", p.lastOut)
		}
		label := fmt.Sprintf("R %g, last_out %s, hold %g", p.revenue, lo, p.hold)
		row := round5Row(cfg, label, measureRound5(t, cfg, n), n)
		t.Log(row)
		b.WriteString(row + "\n")
	}
	require.NoError(t, os.WriteFile(out, []byte(b.String()), 0o644))
}

// round5Probes are the probes of section 10 outside the grid, run after
// it on the chosen point to diagnose why few republics declare through
// the assets channel; they were not used to choose anything.
var round5Probes = []struct {
	label string
	sets  []string
}{
	{"chosen point, bargain.tide 0 (no tide)", []string{"bargain.tide=0"}},
	{"chosen point, assets.elasticity 0.25", []string{"assets.elasticity=0.25"}},
	{"chosen point, assets.threshold 0.25", []string{"assets.threshold=0.25"}},
}

// TestSovietRound5Probes regenerates the probe rows of section 10: set
// TURNCOAT_ROUND5_PROBES=FILE. About 1.5 minutes of CPU; not part of CI.
func TestSovietRound5Probes(t *testing.T) {
	out := os.Getenv("TURNCOAT_ROUND5_PROBES")
	if out == "" || raceEnabled {
		t.Skip("set TURNCOAT_ROUND5_PROBES=FILE to regenerate the round-5 probes")
	}
	var b strings.Builder
	for _, p := range round5Probes {
		cfg := loadRound5(t, round5Chosen, p.sets...)
		row := round5Row(cfg, p.label, measureRound5(t, cfg, 20), 20)
		t.Log(row)
		b.WriteString(row + "\n")
	}
	require.NoError(t, os.WriteFile(out, []byte(b.String()), 0o644))
}

// round5Chosen is the grid point section 10 reports in detail and
// TestSovietRound5Aim pins: the best exit timing of the grid (chosen in
// sample, after the grid was run). It does not beat the shipped
// soviet1991-sovereignty on the exits, so it ships as no scenario.
var round5Chosen = round5Point{revenue: 0, lastOut: 0.1, hold: 0}

// loadRound5 is soviet1991-assets with point p's overrides and extra.
func loadRound5(t *testing.T, p round5Point, extra ...string) regime.Config {
	t.Helper()
	cfg, err := scenarios.Load(assetsScenario, append(round5Sets(p), extra...)...)
	require.NoError(t, err)
	return cfg
}

func exitTicks(res *regime.Result) map[string]int {
	out := map[string]int{}
	for _, e := range res.Summary.Exits {
		out[e.Region] = e.Tick
	}
	return out
}

// TestSovietRound5HistoryIsNotAnInput: the scramble check on the chosen
// point (scale 0.2), and the same run for 1 and 2 workers. Skipped under
// -race (7 s there; 0.3 s without).
func TestSovietRound5HistoryIsNotAnInput(t *testing.T) {
	if raceEnabled {
		t.Skip("about 7 s under -race: CI runs it in the non-race step")
	}
	_, b, cfg := scrambleHistory(t, assetsScenario, round5Sets(round5Chosen)...)
	sameWithTwoWorkers(t, cfg, b)
}

// TestSovietRound5LastOut: Russia, the loyal republic of the chosen point
// (scale 0.2, seed 5), leaves by the last-out rule, and a longer
// persistence delays exactly its exit, by the difference, and nothing
// else; without the rule it leaves with the others in the coup weeks.
// Skipped under -race (6 s there; 0.2 s without).
func TestSovietRound5LastOut(t *testing.T) {
	if raceEnabled {
		t.Skip("about 6 s under -race: CI runs it in the non-race step")
	}
	run := func(extra ...string) *regime.Result {
		res, err := regime.Run(context.Background(), loadRound5(t, round5Chosen, append([]string{"scale=0.2"}, extra...)...), 5)
		require.NoError(t, err)
		return res
	}
	a, b := run("assets.last_out_persist=4"), run("assets.last_out_persist=13")
	ea, eb := exitTicks(a), exitTicks(b)
	require.Contains(t, ea, "Russia")
	require.Contains(t, eb, "Russia")
	assert.Equal(t, ea["Russia"]+9, eb["Russia"], "9 more weeks of persistence, 9 weeks later")
	delete(ea, "Russia")
	delete(eb, "Russia")
	assert.Equal(t, ea, eb, "the other exits do not move")
	var detail string
	for _, e := range b.Events {
		if e.Kind == regime.EventExit && e.RegionName == "Russia" {
			detail = e.Detail
		}
	}
	assert.Equal(t, "last_out", detail)
	for _, d := range b.Summary.Declarations {
		if d.Region == "Russia" {
			assert.Equal(t, regime.ChannelAssets, d.Channel)
		}
	}

	off := run("assets.last_out=0")
	eo := exitTicks(off)
	coup := off.Config.TickOf(regime.DateOf(1991, 8, 19))
	assert.LessOrEqual(t, eo["Russia"], coup+2, "without the rule Russia leaves in the coup weeks")
	assert.Greater(t, exitTicks(b)["Russia"], coup+10)
}

// TestSovietRound5Hold: the bargain's hold delays the exits after the
// coup (scale 0.2, seeds 1-4): the median exit week is later for every
// seed, and so is the last exit of the republics that are not loyal.
// Skipped under -race (15 s there; 0.6 s without).
func TestSovietRound5Hold(t *testing.T) {
	if raceEnabled {
		t.Skip("about 15 s under -race: CI runs it in the non-race step")
	}
	for s := uint64(1); s <= 4; s++ {
		ticks := func(hold string) (med float64, last int) {
			cfg := loadRound5(t, round5Chosen, "scale=0.2", "bargain.hold="+hold, "assets.last_out=0")
			res, err := regime.Run(context.Background(), cfg, s)
			require.NoError(t, err)
			var v []float64
			for r, k := range exitTicks(res) {
				v = append(v, float64(k))
				if r != "Russia" {
					last = max(last, k)
				}
			}
			return median(v), last
		}
		m0, l0 := ticks("0")
		m1, l1 := ticks("0.5")
		assert.Greater(t, m1, m0, "seed %d: median exit", s)
		assert.Greater(t, l1, l0, "seed %d: last exit", s)
	}
}

// TestSovietAssetsBlockAbsentIsIdentical: soviet1991-assets with a
// consequences block equal to its sovereignty rule's gives the same
// trajectory as without one (scale 0.2, seed 5); without the block no
// channel is recorded, so the outputs are those of round 4.
func TestSovietAssetsBlockAbsentIsIdentical(t *testing.T) {
	cfg, err := scenarios.Load(assetsScenario, "scale=0.2")
	require.NoError(t, err)
	a, err := regime.Run(context.Background(), cfg, 5)
	require.NoError(t, err)
	s := cfg.Sovereignty
	b, err := regime.Run(context.Background(), loadRound5(t, round5Point{}, "scale=0.2",
		fmt.Sprintf("assets.consequences.revenue_withheld=%g", s.RevenueWithheld),
		fmt.Sprintf("assets.consequences.conscripts_home=%g", s.ConscriptsHome),
		fmt.Sprintf("assets.consequences.legitimacy_loss=%g", s.LegitimacyLoss),
		fmt.Sprintf("assets.consequences.demonstration=%g", s.Demonstration), "bargain.hold=0"), 5)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(a.Ticks), fmt.Sprint(b.Ticks))
	assert.Equal(t, fmt.Sprint(a.Regions), fmt.Sprint(b.Regions))
	require.Equal(t, len(a.Events), len(b.Events))
	for i := range a.Events {
		e := b.Events[i]
		if e.Kind == regime.EventSovereignty {
			e.Detail = "" // the channel, recorded with the block only
		}
		assert.Equal(t, a.Events[i], e)
	}
	for _, d := range a.Summary.Declarations {
		assert.Empty(t, d.Channel, "no block: no channel")
	}
	n := 0
	for _, d := range b.Summary.Declarations {
		if d.Channel != "" {
			n++
		}
	}
	assert.Equal(t, len(b.Summary.Declarations), n, "with a block every declaration has its channel")
}

// TestSovietRound5Aim pins the chosen point's issue-17 scores over 20
// seeds at the default scale (docs/SOVIET.md section 10): better
// declarations than the shipped scenario, worse exit order, and Russia
// leaving in November by the last-out rule. Skipped under -race and
// -short (about 12 s); CI's non-race step runs it with
// -run 'TestSovietRound5Aim'.
func TestSovietRound5Aim(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("20 runs at the default scale: skipped under -race and -short")
	}
	cfg := loadRound5(t, round5Chosen)
	a := measureRound5(t, cfg, 20)
	t.Log(round5Row(cfg, "chosen", a, 20))
	assert.InDelta(t, 0.595, a.sovRho, 0.01, "declaration Spearman (shipped 0.150; referendum baseline 0.651)")
	assert.InDelta(t, 30.0, a.sovTE, 0.5, "declaration timing (shipped 87.1; median-date baseline 21.4)")
	assert.Equal(t, 15.0, a.decls)
	assert.Equal(t, 1.0, a.assets, "Russia alone declares through the assets channel")
	assert.InDelta(t, 0.190, a.exitRho, 0.01, "exit Spearman (shipped 0.743; referendum baseline 0.759)")
	assert.InDelta(t, 9.00, a.exitTE, 0.05, "exit timing (shipped 9.33; august baseline 7.87)")
	assert.Equal(t, 1.0, a.collapse)
	assert.Equal(t, 20, a.ruOut)
	assert.Equal(t, "1991-11-22", cfg.DateOf(int(a.russia)).String(), "Russia's median exit (history 1991-12-12)")
	assert.Equal(t, "1991-08-23", cfg.DateOf(int(a.kazak)).String(), "Kazakhstan's median exit (history 1991-12-16)")
}

// TestRound5FieldsSettable: the new fields are reachable by the dotted
// paths of --set, sweeps and calibrate parameters (sweep.SetField); a
// consequences block absent from the scenario is a clear error there
// (--set creates it, as round5Sets does).
func TestRound5FieldsSettable(t *testing.T) {
	cfg := loadRound5(t, round5Chosen)
	for path, v := range map[string]float64{"assets.consequences.revenue_withheld": 0.25, "assets.last_out": 0.2,
		"assets.last_out_persist": 8, "bargain.hold": 0.3} {
		require.NoError(t, sweep.SetField(&cfg, path, v), path)
	}
	assert.Equal(t, 0.25, cfg.Assets.Consequences.RevenueWithheld)
	assert.Equal(t, 0.2, cfg.Assets.LastOut)
	assert.Equal(t, 8, cfg.Assets.LastOutPersist)
	assert.Equal(t, 0.3, cfg.Bargain.Hold)
	base, err := scenarios.Load(assetsScenario)
	require.NoError(t, err)
	assert.ErrorContains(t, sweep.SetField(&base, "assets.consequences.conscripts_home", 0), "assets.consequences is not set in the scenario")
}
