package regime_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// parseRegion decodes a one-region scenario whose region entry is entry.
func parseRegion(t *testing.T, entry string) regime.Region {
	t.Helper()
	cfg, err := scenarios.Parse("r.yaml", []byte("name: r\nregions:\n  - {"+entry+"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Regions[0]
}

// TestNewRegionMatchesYAML proves field by field that NewRegion and a YAML
// region entry stating the same fields give the same Region: with nothing
// optional stated (every default), and with each optional field stated
// alone. A new Region field without a row here fails the test.
func TestNewRegionMatchesYAML(t *testing.T) {
	const base = "name: North, population_m: 2, legitimacy: 0.4"
	if got, want := regime.NewRegion("North", 2, 0.4), parseRegion(t, base); !reflect.DeepEqual(got, want) {
		t.Fatalf("defaults: NewRegion = %+v, YAML = %+v", got, want)
	}
	cases := map[string]struct {
		yaml string
		opt  regime.RegionOption
	}{
		"Groups":          {"groups: {a: 0.3}", regime.WithGroups(map[string]float64{"a": 0.3})},
		"DraftCompliance": {"draft_compliance: 0.3", regime.WithDraftCompliance(0.3)},
		"HardshipFactor":  {"hardship_factor: 0.3", regime.WithHardshipFactor(0.3)},
		"RevenueFactor":   {"revenue_factor: 0.3", regime.WithRevenueFactor(0.3)},
		"ParallelFactor":  {"parallel_factor: 0.3", regime.WithParallelFactor(0.3)},
	}
	rt := reflect.TypeFor[regime.Region]()
	for i := 0; i < rt.NumField(); i++ {
		name := rt.Field(i).Name
		if name == "Name" || name == "PopulationM" || name == "Legitimacy" {
			continue
		}
		tc, ok := cases[name]
		if !ok {
			t.Errorf("Region.%s has no NewRegion option/YAML row in this test", name)
			continue
		}
		yml := base + ", " + tc.yaml
		var got regime.Region
		if name == "Groups" {
			cfg, err := scenarios.Parse("r.yaml", []byte("name: r\ngroups: [{name: a, alignment: 0.5}, {name: b, alignment: 0.5}]\nregions:\n  - {"+yml+"}\n"))
			if err != nil {
				t.Fatal(err)
			}
			got = cfg.Regions[0]
		} else {
			got = parseRegion(t, yml)
		}
		want := regime.NewRegion("North", 2, 0.4, tc.opt)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: YAML = %+v, NewRegion = %+v", name, got, want)
		}
		// The default and the stated value differ, so the row tests something.
		if reflect.DeepEqual(want, regime.NewRegion("North", 2, 0.4)) {
			t.Errorf("%s: the option changes nothing", name)
		}
	}
}

// TestNewRegionSameRun checks that the Go path and the YAML path give the
// same run, and that a struct literal that forgets the defaults is refused
// rather than run as a different model.
func TestNewRegionSameRun(t *testing.T) {
	yml, err := scenarios.Parse("r.yaml", []byte("name: r\nticks: 20\nregions:\n  - {name: North, population_m: 2, legitimacy: 0.4}\n"))
	if err != nil {
		t.Fatal(err)
	}
	goCfg := regime.DefaultConfig()
	goCfg.Name, goCfg.Ticks = "r", 20
	goCfg.Regions = []regime.Region{regime.NewRegion("North", 2, 0.4)}
	if !reflect.DeepEqual(yml, goCfg) {
		t.Fatalf("configs differ:\nYAML %+v\nGo   %+v", yml, goCfg)
	}
	a, err := regime.Run(context.Background(), yml, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := regime.Run(context.Background(), goCfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Summary, b.Summary) {
		t.Errorf("summaries differ: %+v vs %+v", a.Summary, b.Summary)
	}
	goCfg.Regions = []regime.Region{{Name: "North", PopulationM: 2, Legitimacy: 0.4}}
	if err := goCfg.Validate(); err == nil || !strings.Contains(err.Error(), "NewRegion") {
		t.Errorf("a struct literal without defaults: err = %v, want a pointer to NewRegion", err)
	}
}
