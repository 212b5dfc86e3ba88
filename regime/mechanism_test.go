package regime_test

import (
	"fmt"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
)

// Each test states a claim a political scientist would check, on the
// single-province test bed (testdata/province.yaml: a declining economy runs
// the regime into pay arrears) or on soviet1991. Results are averaged over
// seeds; the margins are far above seed-to-seed noise.

func TestExtraRewardsDelayAndShrinkSoldierDefection(t *testing.T) {
	base := runSeeds(t, load(t, province), 5)
	paid := runSeeds(t, load(t, province, "regime.extra_rewards=0.5"), 5)
	if b, p := firstTick(base, agents.Soldier, 0.25), firstTick(paid, agents.Soldier, 0.25); !(p > b) {
		t.Errorf("soldiers reach 25%% defected at tick %.1f with extra-budget rewards, %.1f without: want later", p, b)
	}
	if b, p := meanArea(base, agents.Soldier, 0, 120), meanArea(paid, agents.Soldier, 0, 120); !(p < b) {
		t.Errorf("mean soldier defection %.3f with extra-budget rewards, %.3f without: want smaller", p, b)
	}
}

func TestHigherPayShrinksSoldierDefectionWhenSolvent(t *testing.T) {
	// A solvent regime (no decline, ample reserves): pay only buys loyalty.
	solvent := []string{"regime.economy_decline=0", "regime.reserves=50", "regions.0.legitimacy=0.55"}
	low := runSeeds(t, load(t, province, append(solvent, "regime.pay=0.8")...), 5)
	high := runSeeds(t, load(t, province, append(solvent, "regime.pay=1.4")...), 5)
	if l, h := meanArea(low, agents.Soldier, 0, 120), meanArea(high, agents.Soldier, 0, 120); !(h < l) {
		t.Errorf("mean soldier defection %.3f at pay 1.4, %.3f at pay 0.8: want smaller at higher pay", h, l)
	}
}

func TestHigherLegitimacyLowersDefection(t *testing.T) {
	prev := -1.0
	for _, l := range []float64{0.8, 0.7, 0.6} {
		rs := runSeeds(t, load(t, province, fmt.Sprintf("regions.0.legitimacy=%g", l)), 4)
		area := meanArea(rs, agents.Citizen, 0, 120)
		if area <= prev {
			t.Errorf("legitimacy %g: mean citizen defection %.3f, not above %.3f at higher legitimacy", l, area, prev)
		}
		prev = area
	}
}

func TestRepressionDetersFirstAndBackfiresLater(t *testing.T) {
	low := runSeeds(t, load(t, province, "regions.0.legitimacy=0.6"), 4)
	high := runSeeds(t, load(t, province, "regions.0.legitimacy=0.6", "regime.repression=0.7"), 4)
	noBackfire := runSeeds(t, load(t, province, "regions.0.legitimacy=0.6", "regime.repression=0.7", "regime.backfire=0"), 4)
	// Deterrence: early defection is lower under heavy repression.
	if l, h := meanArea(low, agents.Citizen, 0, 20), meanArea(high, agents.Citizen, 0, 20); !(h < l/2) {
		t.Errorf("citizen defection in the first 20 ticks: %.3f under heavy repression vs %.3f under light: want less than half", h, l)
	}
	watched := runSeeds(t, load(t, province, "regions.0.legitimacy=0.6", "regime.surveillance=0.95"), 4)
	if l, w := meanArea(low, agents.Citizen, 0, 20), meanArea(watched, agents.Citizen, 0, 20); !(w < l/2) {
		t.Errorf("citizen defection in the first 20 ticks: %.3f under heavy surveillance vs %.3f under light: want less than half", w, l)
	}
	// Backfire: arrests erode legitimacy, so late defection is higher with
	// backfire on than off, under the same repression.
	if on, off := meanArea(high, agents.Citizen, 90, 120), meanArea(noBackfire, agents.Citizen, 90, 120); !(on > off+0.2) {
		t.Errorf("late citizen defection %.3f with backfire, %.3f without: want clearly higher with backfire", on, off)
	}
	if on, off := high[0].Ticks[100].Legitimacy, noBackfire[0].Ticks[100].Legitimacy; !(on < off) {
		t.Errorf("legitimacy at tick 100: %.3f with backfire, %.3f without: want lower with backfire", on, off)
	}
}

func TestParallelForcesKeepCapacityUp(t *testing.T) {
	none := runSeeds(t, load(t, province, "regions.0.legitimacy=0.6"), 4)
	strong := runSeeds(t, load(t, province, "regions.0.legitimacy=0.6", "regime.parallel_forces=0.5"), 4)
	var a, b float64
	for i := range none {
		for t := 20; t < 120; t++ {
			a += none[i].Ticks[t].Capacity
			b += strong[i].Ticks[t].Capacity
		}
	}
	if !(b > a) {
		t.Errorf("mean coercive capacity %.3f with parallel forces, %.3f without: want higher", b/400, a/400)
	}
	if s, n := meanArea(strong, agents.Soldier, 20, 120), meanArea(none, agents.Soldier, 20, 120); !(s < n) {
		t.Errorf("soldier defection %.3f with parallel forces, %.3f without: want lower (more enforcers deter)", s, n)
	}
}

func TestCoupShockDrivesPostAugustExits(t *testing.T) {
	with := runSeeds(t, load(t, "soviet1991"), 5)
	cfg := load(t, "soviet1991")
	cfg.Shocks = nil
	without := runSeeds(t, cfg, 5)
	coup := cfg.TickOf(mustDate(t, "1991-08-19"))
	var nWith, nWithout float64
	for i := range with {
		for _, e := range with[i].Summary.Exits {
			if e.Tick >= coup {
				nWith++
			}
		}
		for _, e := range without[i].Summary.Exits {
			if e.Tick >= coup {
				nWithout++
			}
		}
	}
	if !(nWithout < nWith/2) {
		t.Errorf("exits after the coup week: %.0f with the coup, %.0f without: want far fewer without", nWith, nWithout)
	}
	for i := range with {
		if w, wo := exitTick(with[i], "Ukraine"), exitTick(without[i], "Ukraine"); !(wo > w) {
			t.Errorf("seed %d: Ukraine exits at %d with the coup, %d without: want later without", i+1, w, wo)
		}
	}
}
