package regime_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

// Mechanism tests of the defection-proofing toolkit the arabspring2011
// pack uses (stacking of soldiers and elites, military enterprises, outside
// forces and funds, where praetorian units are garrisoned), each on a test
// bed where only the instrument changes. Averages over seeds; the margins
// are far above seed-to-seed noise.

const sects = "testdata/sects.yaml"

func TestStackingLowersSoldierDefectionAtEqualGrievance(t *testing.T) {
	// Same legitimacy, pay and repression: only who the soldiers are changes.
	prev := -1.0
	for _, s := range []float64{0.9, 0.5, 0} {
		rs := runSeeds(t, load(t, sects, fmt.Sprintf("population.stacking=%g", s)), 4)
		area := meanArea(rs, agents.Soldier, 0, 60)
		if !(area > prev) {
			t.Errorf("stacking %g: mean soldier defection %.3f, want above %.3f (the value at more stacking)", s, area, prev)
		}
		prev = area
	}
	if lo, hi := meanArea(runSeeds(t, load(t, sects, "population.stacking=0.9"), 4), agents.Soldier, 0, 60), prev; !(lo < hi/3) {
		t.Errorf("soldier defection %.3f with 90%% stacking, %.3f with none: want less than a third", lo, hi)
	}
}

func TestEliteStackingLowersEliteDefection(t *testing.T) {
	// The army is stacked in both runs, so the regime stands and only the
	// elites' make-up differs.
	none := runSeeds(t, load(t, sects, "population.stacking=0.9"), 4)
	stacked := runSeeds(t, load(t, sects, "population.stacking=0.9", "population.elite_stacking=0.9"), 4)
	if n, s := meanArea(none, agents.Elite, 0, 20), meanArea(stacked, agents.Elite, 0, 20); !(s < n/2) {
		t.Errorf("elite defection in the first 20 ticks: %.3f with 90%% elite stacking, %.3f without: want less than half", s, n)
	}
}

func TestEliteStackingOffDrawsNothing(t *testing.T) {
	// elite_stacking 0 must leave every draw where it was: older scenarios
	// with a core group (soviet1991) stay bit-identical. A tiny positive
	// value draws one number per elite and so shifts the stream.
	off := runSeeds(t, load(t, sects), 1)[0]
	zero := runSeeds(t, load(t, sects, "population.elite_stacking=0"), 1)[0]
	tiny := runSeeds(t, load(t, sects, "population.elite_stacking=1e-9"), 1)[0]
	if fmt.Sprint(off.Ticks) != fmt.Sprint(zero.Ticks) {
		t.Error("elite_stacking 0 changes the run")
	}
	if fmt.Sprint(off.Ticks) == fmt.Sprint(tiny.Ticks) {
		t.Error("a positive elite_stacking draws nothing: the test cannot tell the two apart")
	}
}

func TestEnterpriseRentsMakeSoldiersLessSensitiveToArrears(t *testing.T) {
	// Sensitivity to arrears: soldier defection in the province test bed
	// (the economy declines until the budget cannot pay) minus the same
	// with a solvent regime. Income from military enterprises does not go
	// through the budget, so arrears cost soldiers with rents less.
	solvent := []string{"regime.economy_decline=0", "regime.reserves=50"}
	sensitivity := func(extra ...string) float64 {
		broke := runSeeds(t, load(t, province, extra...), 4)
		paid := runSeeds(t, load(t, province, append(extra, solvent...)...), 4)
		return meanArea(broke, agents.Soldier, 60, 120) - meanArea(paid, agents.Soldier, 60, 120)
	}
	without := sensitivity("regions.0.legitimacy=0.75")
	with := sensitivity("regions.0.legitimacy=0.75", "regime.enterprise_rents=0.6")
	if !(without > 0.1) {
		t.Fatalf("arrears raise soldier defection by only %.3f without rents: the test bed does not bite", without)
	}
	if !(with < without/2) {
		t.Errorf("arrears raise soldier defection by %.3f with enterprise rents, %.3f without: want less than half", with, without)
	}
}

func TestForeignForcesKeepCapacityUpAndDeter(t *testing.T) {
	// Outside forces arrive by a shock at tick 30 (like the GCC's Peninsula
	// Shield): nothing changes before, capacity is higher and soldier
	// defection lower after.
	base := load(t, province, "regions.0.legitimacy=0.7")
	helped := base.Clone()
	at := 30
	helped.Shocks = append(helped.Shocks, regime.Shock{Name: "intervention", Tick: &at, Set: map[string]float64{"regime.foreign_forces": 0.6}})
	none, with := runSeeds(t, base, 4), runSeeds(t, helped, 4)
	for i := range none {
		if fmt.Sprint(none[i].Ticks[:at]) != fmt.Sprint(with[i].Ticks[:at]) {
			t.Fatalf("seed %d: the run differs before the intervention", i+1)
		}
	}
	var a, b float64
	for i := range none {
		for k := at; k < 120; k++ {
			a += none[i].Ticks[k].Capacity
			b += with[i].Ticks[k].Capacity
		}
	}
	if !(b > a) {
		t.Errorf("coercive capacity after tick %d: %.3f with foreign forces, %.3f without: want higher", at, b, a)
	}
	if w, n := meanArea(with, agents.Soldier, at, 120), meanArea(none, agents.Soldier, at, 120); !(w < n) {
		t.Errorf("soldier defection after tick %d: %.3f with foreign forces, %.3f without: want lower", at, w, n)
	}
}

func TestForeignForcesLeaveWithTheRegime(t *testing.T) {
	rs := runSeeds(t, load(t, province, "regions.0.legitimacy=0.5", "regime.foreign_forces=0.1"), 2)
	for _, r := range rs {
		if !r.Summary.Collapsed {
			t.Fatal("the test bed does not collapse")
		}
		// Capacity = (loyal soldiers + forces that never defect) / initial
		// capacity: with the foreign forces gone it is at most the loyal
		// soldiers' share.
		last := r.Ticks[len(r.Ticks)-1]
		if loyal := 1 - last.Defected[agents.Soldier] - last.Jailed[agents.Soldier]; last.Capacity > loyal+1e-9 {
			t.Errorf("capacity %.3f after the collapse is above the loyal soldiers' share %.3f: foreign forces still counted", last.Capacity, loyal)
		}
	}
}

func TestExternalFundsDelayArrears(t *testing.T) {
	firstArrears := func(rs []*regime.Result) float64 {
		s := 0.0
		for _, r := range rs {
			k := len(r.Ticks)
			for i, tr := range r.Ticks {
				if tr.Delivery < 1 {
					k = i
					break
				}
			}
			s += float64(k)
		}
		return s / float64(len(rs))
	}
	base := runSeeds(t, load(t, province), 3)
	aided := runSeeds(t, load(t, province, "regime.external_funds=0.2"), 3)
	if b, a := firstArrears(base), firstArrears(aided); !(a > b+5) {
		t.Errorf("first tick of pay arrears: %.1f with outside funds, %.1f without: want clearly later", a, b)
	}
}

func TestParallelFactorPlacesPraetorians(t *testing.T) {
	// Two equal regions; moving the praetorian units out of the east raises
	// soldier defection there (fewer enforcers watch the garrison).
	two := func(east, west float64) []*regime.Result {
		cfg := load(t, sects, "regime.parallel_forces=0.8")
		w := cfg.Regions[0]
		e := w
		e.Name, w.Name = "east", "west"
		e.ParallelFactor, w.ParallelFactor = east, west
		cfg.Regions = []regime.Region{e, w}
		return runSeeds(t, cfg, 4)
	}
	eastShare := func(rs []*regime.Result) float64 {
		s := 0.0
		for _, r := range rs {
			for k := 0; k < 60; k++ {
				c := r.Regions[k*2].Counts[agents.Soldier]
				s += float64(c[agents.Defected]) / float64(c[0]+c[1]+c[2])
			}
		}
		return s / float64(60*len(rs))
	}
	even, away := eastShare(two(1, 1)), eastShare(two(0, 2))
	if !(away > even) {
		t.Errorf("east soldier defection %.3f with the praetorians elsewhere, %.3f spread evenly: want higher", away, even)
	}
}

func TestFamilyReprisalsDeterSoldiers(t *testing.T) {
	// Same grievance (half the army stacked, so the regime stands);
	// defecting soldiers' families pay too.
	none := runSeeds(t, load(t, sects, "population.stacking=0.5"), 4)
	harsh := runSeeds(t, load(t, sects, "population.stacking=0.5", "regime.family_reprisal=1"), 4)
	if n, h := meanArea(none, agents.Soldier, 0, 60), meanArea(harsh, agents.Soldier, 0, 60); !(h < 0.75*n) {
		t.Errorf("mean soldier defection %.3f with family reprisals, %.3f without: want at least a quarter lower", h, n)
	}
}

func TestPurgesRemoveDefectorsAndInnocents(t *testing.T) {
	// Purges take defected soldiers out (lower defected share) at the price
	// of purging loyal ones too (more soldiers jailed than defectors alone
	// would explain).
	none := runSeeds(t, load(t, sects, "population.stacking=0.5"), 4)
	purged := runSeeds(t, load(t, sects, "population.stacking=0.5", "regime.purge_rate=0.5"), 4)
	if n, p := meanArea(none, agents.Soldier, 0, 60), meanArea(purged, agents.Soldier, 0, 60); !(p < n) {
		t.Errorf("mean soldier defection %.3f with purges, %.3f without: want lower", p, n)
	}
	jailed := func(rs []*regime.Result) float64 {
		s := 0.0
		for _, r := range rs {
			for _, tr := range r.Ticks {
				s += tr.Jailed[agents.Soldier]
			}
		}
		return s
	}
	if n, p := jailed(none), jailed(purged); !(p > n) {
		t.Errorf("soldiers jailed or purged, summed over ticks: %.2f with purges, %.2f without: want more", p, n)
	}
}

func TestOutsideSupportAllocatesNothing(t *testing.T) {
	// Bahrain: foreign forces and external funds arrive by shocks in March;
	// the warm-up passes both shocks' start events.
	m, err := regime.New(load(t, "arabspring2011-bahrain"))
	if err != nil {
		t.Fatal(err)
	}
	if allocs := tickAllocs(t, m, 14, 10); allocs != 0 {
		t.Errorf("Step allocates %.1f times per tick with outside support, want 0", allocs)
	}
}

// TestInvariantsArabSpring: the invariants of checkInvariants hold for the
// six countries and for random draws of the instruments the pack added.
func TestInvariantsArabSpring(t *testing.T) {
	countries := []string{"tunisia", "egypt", "libya", "syria", "bahrain", "yemen"}
	r := rand.New(rand.NewPCG(2011, 6))
	for i := 0; i < 24; i++ {
		name := "arabspring2011-" + countries[i%len(countries)]
		var sets []string
		if i >= len(countries) {
			sets = []string{
				fmt.Sprintf("regime.foreign_forces=%.3f", 2*r.Float64()),
				fmt.Sprintf("regime.external_funds=%.3f", r.Float64()),
				fmt.Sprintf("population.elite_stacking=%.3f", r.Float64()),
				fmt.Sprintf("regions.0.parallel_factor=%.3f", 3*r.Float64()),
				fmt.Sprintf("outcome.split=%.3f", 0.01+0.99*r.Float64()),
			}
		}
		res, err := regime.Run(context.Background(), load(t, name, sets...), uint64(i))
		if err != nil {
			t.Fatalf("%s %v: %v", name, sets, err)
		}
		checkInvariants(t, res, fmt.Sprintf("%s %v", name, sets))
		if res.Summary.Outcome != res.Config.Outcome.Classify(res) || res.Summary.Outcome == "" {
			t.Fatalf("%s %v: summary outcome %q", name, sets, res.Summary.Outcome)
		}
	}
}
