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
	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestGameDeterminism: under the game rule the same seed gives identical
// results with 1, 2 and 5 stepping goroutines; another seed differs.
func TestGameDeterminism(t *testing.T) {
	cfg := load(t, "soviet1991-strategic", "scale=0.2")
	ref := runFingerprint(t, cfg, 3, 1)
	for _, w := range []int{1, 2, 5} {
		if got := runFingerprint(t, cfg, 3, w); got != ref {
			t.Errorf("%d workers: result differs from the sequential run", w)
		}
	}
	if runFingerprint(t, cfg, 4, 1) == ref {
		t.Error("seeds 3 and 4 give the same run")
	}
}

func TestGameTickAllocatesNothing(t *testing.T) {
	m, err := regime.New(load(t, "soviet1991-strategic"))
	if err != nil {
		t.Fatal(err)
	}
	m.SetWorkers(2)
	defer m.Close()
	if allocs := tickAllocs(t, m, 60, 20); allocs != 0 {
		t.Errorf("Step with the game rule allocates %.1f times per tick, want 0", allocs)
	}
}

// meanElite returns the elite defected share averaged over ticks and seeds.
func meanElite(t *testing.T, cfg regime.Config, seeds int) float64 {
	t.Helper()
	m, err := regime.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sum, n := 0.0, 0
	for s := 1; s <= seeds; s++ {
		res, err := m.RunShared(context.Background(), uint64(s))
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range res.Ticks {
			sum += tk.Defected[agents.Elite]
			n++
		}
	}
	return sum / float64(n)
}

// TestGameShadowOfTheFuture: the mechanism. A shorter shadow of the
// future (lower w_max: the elites expect the regime to last less) raises
// elite defection, through the imitation of always-defect; so does a
// weaker regime (lower surveillance and repression).
func TestGameShadowOfTheFuture(t *testing.T) {
	base := []string{"collapse.stop=true", "scale=0.3"}
	var prev float64
	for i, w := range []string{"0.95", "0.6", "0.2"} {
		got := meanElite(t, load(t, "soviet1991-strategic", append(base, "roles.elite.rule.game.w_max="+w)...), 2)
		t.Logf("w_max %s: mean elite defected share %.4f", w, got)
		if i > 0 && !(got > prev) {
			t.Errorf("w_max %s: elite defection %.4f, not above %.4f at the higher w_max", w, got, prev)
		}
		prev = got
	}
	strong := meanElite(t, load(t, "soviet1991-strategic", base...), 2)
	weak := meanElite(t, load(t, "soviet1991-strategic", append(base, "regime.surveillance=0.5", "regime.repression=0.4")...), 2)
	t.Logf("strong regime %.4f, weak regime %.4f", strong, weak)
	if !(weak > strong) {
		t.Errorf("weaker regime: elite defection %.4f, not above %.4f", weak, strong)
	}
}

func TestGameConfigErrors(t *testing.T) {
	_, err := scenarios.Load("soviet1991-strategic", "roles.elite.rule.game.w_max=1", "roles.elite.rule.game.imitation=2")
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"roles.elite.rule.game.w_max", "roles.elite.rule.game.imitation"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	_, err = scenarios.Load("soviet1991", "roles.elite.rule.kind=gaem")
	if err == nil || !strings.Contains(err.Error(), "threshold, logit or game") {
		t.Errorf("unknown kind: %v", err)
	}
}

// TestGameOnlyWhenChosen: a scenario without the game rule has no game
// records and no "game" in its summary; choosing the rule by --set alone
// uses the documented defaults.
func TestGameOnlyWhenChosen(t *testing.T) {
	res, err := regime.Run(context.Background(), load(t, "soviet1991", "ticks=5", "shocks=[]"), 1)
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := json.Marshal(res.Summary)
	if len(res.Game) != 0 || strings.Contains(string(sum), `"game"`) {
		t.Error("a threshold scenario reports game records")
	}
	res, err = regime.Run(context.Background(), load(t, "soviet1991", "ticks=5", "shocks=[]", "roles.elite.rule.kind=game"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Game) != 5 || len(res.Summary.Game) != 1 || res.Summary.Game[0].Role != "elite" {
		t.Fatalf("game records %d, summary %+v", len(res.Game), res.Summary.Game)
	}
	if got := res.Config.Roles.Elite.Rule.Game; got != agents.DefaultGame() {
		t.Errorf("kind=game alone: game %+v, want the defaults", got)
	}
}

// TestGameTicksColumns: ticks.csv gains the game columns only for a
// scenario that uses the rule, and the streamed file equals the one
// written from the result.
func TestGameTicksColumns(t *testing.T) {
	cfg := load(t, "soviet1991-strategic", "ticks=12", "shocks=[]")
	dir1, dir2 := t.TempDir(), t.TempDir()
	res, err := regime.RunDir(context.Background(), cfg, 1, dir1)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteDir(dir2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(dir1, "ticks.csv"))
	b, _ := os.ReadFile(filepath.Join(dir2, "ticks.csv"))
	if string(a) != string(b) {
		t.Error("streamed and written ticks.csv differ")
	}
	head := strings.SplitN(string(a), "\n", 2)[0]
	for _, col := range []string{",elite_w,", ",elite_survival,", ",elite_payoff_t,", ",elite_share_tft,", ",elite_share_noisy_gtft"} {
		if !strings.Contains(head, col) {
			t.Errorf("ticks.csv header lacks %s: %s", col, head)
		}
	}
	res, err = regime.RunDir(context.Background(), load(t, "soviet1991", "ticks=12", "shocks=[]"), 1, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m, _ := regime.New(res.Config)
	if h := strings.Join(m.Header(), ","); strings.Contains(h, "_w,") || strings.Contains(h, "share") {
		t.Errorf("a threshold scenario has game columns: %s", h)
	}
}
