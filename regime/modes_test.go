package regime_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/regime/regimetest"
)

// exodus is the test bed of the defection modes: one province, a solvent
// regime, a leaky guarded border (a fifth open), exit, switch and shirk on.
const exodus = "testdata/exodus.yaml"

// closed are the overrides that close exodus's border.
var closed = []string{"regime.border_open=0", "regime.border_control=1"}

// modeMeans are a set of runs' means: citizens' voice share and voice
// share among those still in the country, averaged over ticks; each
// role's emigrated share at the last tick.
type modeMeans struct {
	voice, stayVoice float64
	exit             [agents.NumRoles]float64
}

func modeRuns(t *testing.T, seeds int, sets ...string) modeMeans {
	t.Helper()
	rs := runSeeds(t, load(t, exodus, sets...), seeds)
	var mm modeMeans
	for _, r := range rs {
		for _, k := range r.Ticks {
			mm.voice += k.Voice[agents.Citizen]
			mm.stayVoice += k.Voice[agents.Citizen] / (1 - k.Exit[agents.Citizen])
		}
		last := r.Ticks[len(r.Ticks)-1]
		for _, ro := range agents.Roles {
			mm.exit[ro] += last.Exit[ro] / float64(len(rs))
		}
	}
	n := float64(len(rs) * len(rs[0].Ticks))
	mm.voice /= n
	mm.stayVoice /= n
	return mm
}

const modeSeeds = 8

// raceEnabled is set by race_test.go under -race.
var raceEnabled bool

// skipSlow skips a mechanism test under -race or -short: each runs 16 to
// 48 runs of the test bed (about 0.2 s without the race detector, 2 to 4 s
// with it), single-threaded code whose determinism across workers
// TestModesDeterministicAndAllocationFree checks under -race.
func skipSlow(t *testing.T) {
	t.Helper()
	if raceEnabled || testing.Short() {
		t.Skip("mechanism test: skipped under -race and -short (run: go test ./regime -run TestModes)")
	}
}

// Hirschman (1970): exit and voice are substitutes for the agent. With the
// emigrant signal off, closing the border turns would-be emigrants to voice.
func TestModesClosingBorderCutsExitRaisesVoiceOfStayers(t *testing.T) {
	skipSlow(t)
	open := modeRuns(t, modeSeeds, "modes.exit.signal=0")
	shut := modeRuns(t, modeSeeds, append(closed, "modes.exit.signal=0")...)
	t.Logf("signal 0: citizens emigrated %.4f open, %.4f closed; voice among stayers %.4f open, %.4f closed",
		open.exit[0], shut.exit[0], open.stayVoice, shut.stayVoice)
	if !(shut.exit[agents.Citizen] < open.exit[agents.Citizen]/4) {
		t.Errorf("closing the border: citizens emigrated %.4f, open %.4f: want far fewer", shut.exit[0], open.exit[0])
	}
	if !(shut.stayVoice > open.stayVoice) {
		t.Errorf("closing the border: voice among stayers %.4f, open %.4f: want more", shut.stayVoice, open.stayVoice)
	}
	// With the default signal the exodus's signal outweighs the
	// substitution (the next test): reported, not asserted.
	o, s := modeRuns(t, modeSeeds), modeRuns(t, modeSeeds, closed...)
	t.Logf("default signal: voice among stayers %.4f open, %.4f closed", o.stayVoice, s.stayVoice)
}

// Hirschman (1993), Lohmann (1994): a visible exodus sets off voice. The
// border opens to 30% (exodus.yaml has 10%).
func TestModesOpeningBorderRaisesExitAndVoiceThroughSignal(t *testing.T) {
	skipSlow(t)
	shut := modeRuns(t, modeSeeds, closed...)
	open := modeRuns(t, modeSeeds, "regime.border_open=0.3")
	mute := modeRuns(t, modeSeeds, "regime.border_open=0.3", "modes.exit.signal=0")
	t.Logf("citizens emigrated %.4f closed, %.4f open; mean voice %.4f closed, %.4f open, %.4f open without the signal",
		shut.exit[0], open.exit[0], shut.voice, open.voice, mute.voice)
	if !(open.exit[agents.Citizen] > 4*shut.exit[agents.Citizen]) {
		t.Errorf("opening the border: citizens emigrated %.4f, closed %.4f: want far more", open.exit[0], shut.exit[0])
	}
	if !(open.voice > shut.voice && open.voice > mute.voice) {
		t.Errorf("opening the border: mean voice %.4f, closed %.4f, open without the signal %.4f: want the most with the signal",
			open.voice, shut.voice, mute.voice)
	}
}

func TestModesLethalityCutsExit(t *testing.T) {
	skipSlow(t)
	low := modeRuns(t, modeSeeds, "regime.border_lethality=0")
	high := modeRuns(t, modeSeeds, "regime.border_lethality=0.8")
	t.Logf("citizens emigrated %.4f at lethality 0, %.4f at 0.8", low.exit[0], high.exit[0])
	if !(high.exit[agents.Citizen] < low.exit[agents.Citizen]) {
		t.Errorf("lethality 0.8: citizens emigrated %.4f, %.4f at 0: want fewer", high.exit[0], low.exit[0])
	}
}

// A closed regime that grants exit visas lets the discontented go (the
// GDR's Ausreise of the 1980s): legal departures send no signal, so voice
// falls.
func TestModesExitVisasReleasePressure(t *testing.T) {
	skipSlow(t)
	base := append(closed, "regions.0.legitimacy=0.75")
	none := modeRuns(t, modeSeeds, base...)
	visas := modeRuns(t, modeSeeds, append(base, "regime.exit_visas=0.3")...)
	t.Logf("closed border: citizens emigrated %.4f without visas, %.4f with; mean voice %.4f without, %.4f with",
		none.exit[0], visas.exit[0], none.voice, visas.voice)
	if !(visas.exit[agents.Citizen] > none.exit[agents.Citizen] && visas.voice < none.voice) {
		t.Errorf("exit visas: emigrated %.4f (without %.4f), voice %.4f (without %.4f): want more exit, less voice",
			visas.exit[0], none.exit[0], visas.voice, none.voice)
	}
}

func TestModesMindersCutElitesFlight(t *testing.T) {
	skipSlow(t)
	free := modeRuns(t, modeSeeds, "regime.minders=0")
	watched := modeRuns(t, modeSeeds, "regime.minders=1")
	t.Logf("elites emigrated %.4f without minders, %.4f with", free.exit[agents.Elite], watched.exit[agents.Elite])
	if !(watched.exit[agents.Elite] < free.exit[agents.Elite]/2) {
		t.Errorf("minders: elites emigrated %.4f, %.4f without: want far fewer", watched.exit[agents.Elite], free.exit[agents.Elite])
	}
}

// Border guards are soldiers: underpaid soldiers defect, and where they
// do the guarded border opens (the signal is off to keep the regime
// standing).
func TestModesDefectingGuardsOpenBorder(t *testing.T) {
	skipSlow(t)
	base := []string{"regime.border_open=0", "regime.pay=0.4", "modes.exit.signal=0"}
	loyal := modeRuns(t, modeSeeds, append(base, "modes.exit.guards=0")...)
	guards := modeRuns(t, modeSeeds, append(base, "modes.exit.guards=1")...)
	t.Logf("soldiers underpaid: citizens emigrated %.4f when defecting soldiers still guard the border, %.4f when they let people pass",
		loyal.exit[0], guards.exit[0])
	if !(guards.exit[agents.Citizen] > loyal.exit[agents.Citizen]) {
		t.Errorf("defecting guards: citizens emigrated %.4f, %.4f when they still guard: want more", guards.exit[0], loyal.exit[0])
	}
}

// Agents are conserved per role and region: loyal + voice + jailed +
// switched + shirked + emigrated = the initial count, every tick; the
// emigrant stock never falls and emigrants_total adds up the departures.
func TestModesConservation(t *testing.T) {
	for _, sets := range [][]string{nil, {"regime.pay=0.4", "regions.0.legitimacy=0.5"}} {
		cfg := load(t, exodus, sets...)
		cfg.Regions = append(cfg.Regions, regime.NewRegion("second", 3, 0.6))
		cfg.Exit.Enabled = true
		res, err := regime.Run(context.Background(), cfg, 3)
		if err != nil {
			t.Fatal(err)
		}
		nReg := len(cfg.Regions)
		prev := make([][agents.NumRoles]int, nReg)
		total := 0.0
		for i, rr := range res.Regions {
			for _, ro := range agents.Roles {
				c, mc := rr.Counts[ro], rr.Modes[ro]
				sum := c[0] + c[1] + c[2] + mc.Switched + mc.Shirked + mc.Emigrated
				first := res.Regions[rr.Region] // tick 0
				n0 := first.Counts[ro][0] + first.Counts[ro][1] + first.Counts[ro][2] + first.Modes[ro].Switched + first.Modes[ro].Shirked + first.Modes[ro].Emigrated
				if sum != n0 {
					t.Fatalf("tick %d region %d %s: %d agents, want %d", rr.Tick, rr.Region, ro, sum, n0)
				}
				if mc.Emigrated < prev[rr.Region][ro] || mc.Emigrated-prev[rr.Region][ro] != mc.Departed && !rr.Exited {
					t.Fatalf("tick %d region %d %s: emigrated %d after %d with %d departures", rr.Tick, rr.Region, ro, mc.Emigrated, prev[rr.Region][ro], mc.Departed)
				}
				prev[rr.Region][ro] = mc.Emigrated
			}
			if (i+1)%nReg == 0 {
				tk := res.Ticks[rr.Tick]
				total += tk.Emigrants
				if d := tk.EmigrantsTotal - total; d > 1e-6*total+1e-9 || d < -1e-6*total-1e-9 {
					t.Fatalf("tick %d: emigrants_total %g, sum of emigrants %g", rr.Tick, tk.EmigrantsTotal, total)
				}
			}
		}
		if total == 0 {
			t.Errorf("%v: nobody emigrated: the test checks nothing", sets)
		}
	}
}

func TestModesDeterministicAndAllocationFree(t *testing.T) {
	cfg := load(t, exodus, "scale=3", "ticks=30") // several blocks a role
	regimetest.Deterministic(t, cfg, nil)
	regimetest.ZeroAllocs(t, cfg, nil)
	// On a social network, with the highest-utility choice.
	cfg = load(t, exodus, "ticks=20", "network.kind=random", "network.degree=6", "modes.choice=max")
	regimetest.Deterministic(t, cfg, nil)
	regimetest.ZeroAllocs(t, cfg, nil)
}

// With no mode beyond voice and the choice of the highest utility, the
// modes kernel is the threshold rule: the same agents defect and are
// jailed, tick by tick (the draws are the same too).
func TestModesVoiceOnlyMaxIsTheThresholdRule(t *testing.T) {
	plain := runSeeds(t, load(t, province), 2)
	modes := runSeeds(t, load(t, province, "modes={choice: max}"), 2)
	for s := range plain {
		for i := range plain[s].Ticks {
			a, b := plain[s].Ticks[i], modes[s].Ticks[i]
			if a.Defected != b.Defected || a.Jailed != b.Jailed || a.Legitimacy != b.Legitimacy || b.Voice != b.Defected {
				t.Fatalf("seed %d tick %d: defected %v jailed %v without modes, %v %v (voice %v) with", s+1, i, a.Defected, a.Jailed, b.Defected, b.Jailed, b.Voice)
			}
		}
		if b := modes[s].Summary.Modes; b == nil || b.Citizen.Exit != 0 || b.Soldier.Switch != 0 {
			t.Errorf("summary modes %+v", b)
		}
	}
}

// The mode columns: ticks.csv streamed by RunDir and written by WriteDir
// agree byte for byte; regions.csv and summary.json carry the modes.
func TestModesOutputs(t *testing.T) {
	cfg := load(t, exodus, "ticks=12")
	dir := t.TempDir()
	res, err := regime.RunDir(context.Background(), cfg, 1, dir)
	if err != nil {
		t.Fatal(err)
	}
	dir2 := t.TempDir()
	if err := res.WriteDir(dir2); err != nil {
		t.Fatal(err)
	}
	read := func(d, f string) string {
		b, err := os.ReadFile(filepath.Join(d, f))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ticks := read(dir, "ticks.csv")
	if ticks != read(dir2, "ticks.csv") {
		t.Error("ticks.csv of RunDir and WriteDir differ")
	}
	head := strings.SplitN(ticks, "\n", 2)[0]
	for _, c := range []string{",citizen_voice,soldier_voice,elite_voice,citizen_exit,", ",elite_shirk,emigrants,emigrants_total"} {
		if !strings.Contains(head, c) {
			t.Errorf("ticks.csv header %q lacks %q", head, c)
		}
	}
	if h := strings.SplitN(read(dir, "regions.csv"), "\n", 2)[0]; !strings.HasSuffix(h, ",voice,exit,switch,shirk,emigrants,emigrants_total") {
		t.Errorf("regions.csv header %q", h)
	}
	var sum struct {
		Modes          map[string]map[string]float64 `json:"modes"`
		EmigrantsTotal *float64                      `json:"emigrants_total"`
	}
	if err := json.Unmarshal([]byte(read(dir, "summary.json")), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.EmigrantsTotal == nil || *sum.EmigrantsTotal <= 0 || len(sum.Modes) != 3 || len(sum.Modes["soldier"]) != 4 {
		t.Errorf("summary.json modes %v emigrants_total %v", sum.Modes, sum.EmigrantsTotal)
	}
	// Without modes none of it appears.
	plain, err := regime.RunDir(context.Background(), load(t, province, "ticks=3"), 1, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if plain.Summary.Modes != nil || plain.Summary.EmigrantsTotal != nil {
		t.Error("summary without modes has mode fields")
	}
}
