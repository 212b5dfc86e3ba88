package regime_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// TestConfigSetMatchesCLI checks that Config.Set gives the same config as
// the CLI's --set on every built-in scenario, for a number, a string, an
// integer and a region field addressed by name.
func TestConfigSetMatchesCLI(t *testing.T) {
	for _, info := range scenarios.List() {
		base, err := scenarios.Load(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		region := base.Regions[len(base.Regions)-1].Name
		for _, tc := range []struct {
			path  string
			value any
			flag  string
		}{
			{"regime.repression", 0.55, "0.55"},
			{"roles.soldier.threshold.mean", 0.7, "0.7"},
			{"network.kind", "random", "random"},
			{"ticks", base.Ticks + 10, strconv.Itoa(base.Ticks + 10)},
			{"regions." + region + ".legitimacy", 0.123, "0.123"},
			{"exit.enabled", !base.Exit.Enabled, strconv.FormatBool(!base.Exit.Enabled)},
		} {
			cfg := base.Clone()
			if err := cfg.Set(tc.path, tc.value); err != nil {
				t.Fatalf("%s: Set(%s, %v): %v", info.Name, tc.path, tc.value, err)
			}
			want, err := scenarios.Load(info.Name, tc.path+"="+tc.flag)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := cfg.YAML()
			wantY, _ := want.YAML()
			if string(got) != string(wantY) {
				t.Errorf("%s: Set(%s) differs from --set", info.Name, tc.path)
			}
			same, _ := base.YAML()
			if string(got) == string(same) {
				t.Errorf("%s: Set(%s) changed nothing", info.Name, tc.path)
			}
		}
	}
}

func TestConfigSetErrors(t *testing.T) {
	cfg := regime.DefaultConfig()
	before := cfg.Clone()
	for _, tc := range []struct {
		path  string
		value any
		want  string
	}{
		{"regime.represion", 0.5, `did you mean "repression"`},
		{"regime.repression", 1.5, "regime.repression: must be in [0,1]"},
		{"ticks", 2.5, "ticks"},
		{"network.kind", "ring", "network.kind"},
		{"regions.nowhere.legitimacy", 0.5, `no element "nowhere"`},
		{"regime.pay", nil, "nil"},
	} {
		err := cfg.Set(tc.path, tc.value)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Set(%s, %v): err = %v, want %q", tc.path, tc.value, err, tc.want)
		}
		if !reflect.DeepEqual(cfg, before) {
			t.Fatalf("Set(%s, %v) failed but changed the config", tc.path, tc.value)
		}
	}
	// Dates and structures marshal to YAML.
	if err := cfg.Set("start", regime.DateOf(1991, 3, 4)); err != nil || cfg.Start != regime.DateOf(1991, 3, 4) {
		t.Errorf("start = %v, err %v", cfg.Start, err)
	}
	if err := cfg.Set("roles.elite.rule", agents.Rule{Kind: "logit", Tau: 0.2}); err != nil || cfg.Roles.Elite.Rule.Kind != "logit" || cfg.Roles.Elite.Rule.Tau != 0.2 {
		t.Errorf("elite rule = %+v, err %v", cfg.Roles.Elite.Rule, err)
	}
	if err := cfg.Set("regions", []regime.Region{regime.NewRegion("a", 1, 0.5), regime.NewRegion("b", 2, 0.3)}); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Regions) != 2 || cfg.Regions[1].RevenueFactor != 1 {
		t.Errorf("regions = %+v", cfg.Regions)
	}
}
