package scenarios_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/scenarios"
)

const good = `name: t
regions:
  - {name: a, population_m: 1, legitimacy: 0.5}
`

// TestStrictDecoding is the table of bad scenario files and the error each
// must give: the file, the line and the field, and what is wrong.
func TestStrictDecoding(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		sets []string
		want []string // substrings of the error, in order
	}{
		{"unknown top-level key", good + "regmie: {repression: 0.5}\n", nil,
			[]string{"bad.yaml:4: regmie: unknown field", `did you mean "regime"?`}},
		{"unknown nested key", good + "regime:\n  represion: 0.5\n", nil,
			[]string{"bad.yaml:5: regime.represion: unknown field", `did you mean "repression"?`}},
		{"wrong type number", good + "regime:\n  repression: high\n", nil,
			[]string{"bad.yaml:5: regime.repression: want a number, got \"high\""}},
		{"wrong type int", good + "ticks: 10.5\n", nil,
			[]string{"bad.yaml:4: ticks: want a whole number"}},
		{"wrong type bool", good + "exit: {enabled: maybe}\n", nil,
			[]string{"bad.yaml:4: exit.enabled: want a boolean"}},
		{"mapping where list expected", "name: t\nregions: {name: a}\n", nil,
			[]string{"bad.yaml:2: regions: want a list, got a mapping"}},
		{"scalar where mapping expected", good + "regime: 3\n", nil,
			[]string{"bad.yaml:4: regime: want a mapping of Params fields"}},
		{"null value", good + "regime:\n  pay:\n", nil,
			[]string{"bad.yaml:5: regime.pay: has no value"}},
		{"out of range", good + "regime:\n  repression: 1.5\n", nil,
			[]string{"bad.yaml:5: regime.repression: must be in [0,1], got 1.5"}},
		{"negative", good + "regime:\n  backfire: -1\n", nil,
			[]string{"bad.yaml:5: regime.backfire: must be finite and >= 0, got -1"}},
		{"region out of range", "name: t\nregions:\n  - {name: a, population_m: 1, legitimacy: 2}\n", nil,
			[]string{"bad.yaml:3: regions[0].legitimacy: must be in [0,1], got 2"}},
		{"region unknown field", "name: t\nregions:\n  - {name: a, population: 1, legitimacy: 0.5}\n", nil,
			[]string{"bad.yaml:3: regions[0].population: unknown field", `did you mean "population_m"?`}},
		{"region missing population", "name: t\nregions:\n  - {name: a, legitimacy: 0.5}\n", nil,
			[]string{"bad.yaml:3: regions[0].population_m: must be > 0, got 0"}},
		{"bad date", good + "start: 1990-13-01\n", nil,
			[]string{"bad.yaml:4: start: want a date YYYY-MM-DD"}},
		{"bad distribution", good + "roles:\n  citizen:\n    threshold: {dist: gaussian, mean: 0.3}\n", nil,
			[]string{"bad.yaml:6: roles.citizen.threshold.dist: must be one of const, uniform, normal, beta, lognormal"}},
		{"bad rule", good + "roles:\n  soldier:\n    rule: {kind: logit, tau: 0}\n", nil,
			[]string{"bad.yaml:6: roles.soldier.rule.tau: logit needs tau > 0"}},
		{"unknown group share", "name: t\nregions:\n  - {name: a, population_m: 1, legitimacy: 0.5, groups: {martians: 0.2}}\n", nil,
			[]string{"bad.yaml:3: regions[0].groups.martians: names no group"}},
		{"group shares above one", "name: t\ngroups: [{name: x, alignment: 0.5}, {name: y, alignment: 0.5}]\nregions:\n  - {name: a, population_m: 1, legitimacy: 0.5, groups: {x: 0.7, y: 0.6}}\n", nil,
			[]string{"bad.yaml:4: regions[0].groups: shares must sum to at most 1"}},
		{"duplicate region", "name: t\nregions:\n  - {name: a, population_m: 1, legitimacy: 0.5}\n  - {name: a, population_m: 1, legitimacy: 0.5}\n", nil,
			[]string{"bad.yaml:4: regions[1].name: duplicate region \"a\""}},
		{"shock with unknown parameter", good + "shocks:\n  - {name: s, tick: 3, set: {regime.nonsense: 1}}\n", nil,
			[]string{"bad.yaml:5: shocks[0].set.regime.nonsense: is not a regime parameter"}},
		{"shock without time", good + "shocks:\n  - {name: s, set: {regime.pay: 1}}\n", nil,
			[]string{"bad.yaml:5: shocks[0]: needs exactly one of at (a date) or tick"}},
		{"shock after the horizon", good + "ticks: 10\nshocks:\n  - {name: s, tick: 12, set: {regime.pay: 1}}\n", nil,
			[]string{"bad.yaml:6: shocks[0].tick: starts at tick 12, after the last tick of the run (9)"}},
		{"exit rule no region can meet", good + "ticks: 10\nexit: {persist: 20}\n", nil,
			[]string{"bad.yaml:5: exit.persist: is 20 ticks, longer than the run (10): no region can exit"}},
		{"history names unknown region", good + "history:\n  exits: {Atlantis: 1990-01-01}\n", nil,
			[]string{"bad.yaml:5: history.exits.Atlantis: names no region"}},
		{"syntax error", "name: t\nregions: [\n", nil,
			[]string{"bad.yaml:2: did not find expected node content"}},
		{"not a mapping", "- a\n- b\n", nil,
			[]string{"bad.yaml:1: the file must be a YAML mapping"}},
		{"set out of range", good, []string{"regime.repression=7"},
			[]string{"--set regime.repression=7: regime.repression: must be in [0,1], got 7"}},
		{"set unknown field", good, []string{"regime.represion=0.5"},
			[]string{"--set regime.represion=0.5: regime.represion: unknown field", `did you mean "repression"?`}},
		{"set wrong type", good, []string{"regime.pay=lots"},
			[]string{"--set regime.pay=lots: regime.pay: want a number, got \"lots\""}},
		{"set without value", good, []string{"regime.pay"},
			[]string{"--set regime.pay: want key=value"}},
		{"set unknown region", good, []string{"regions.Atlantis.legitimacy=0.5"},
			[]string{"--set regions.Atlantis.legitimacy=0.5: regions.Atlantis: no element \"Atlantis\""}},
		{"several problems at once", good + "regime:\n  repression: 2\n  surveillance: -1\n", nil,
			[]string{"bad.yaml:5: regime.repression", "bad.yaml:6: regime.surveillance"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenarios.Parse("bad.yaml", []byte(tc.yaml), tc.sets...)
			require.Error(t, err)
			msg := err.Error()
			at := 0
			for _, w := range tc.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("error\n  %s\nlacks %q (after position %d)", msg, w, at)
				}
				at += i + len(w)
			}
			var se *scenarios.Error
			assert.True(t, errors.As(err, &se), "error is not a *scenarios.Error: %T", err)
		})
	}
}

func TestGoodFileAndDefaults(t *testing.T) {
	cfg, err := scenarios.Parse("good.yaml", []byte(good))
	require.NoError(t, err)
	assert.Equal(t, "t", cfg.Name)
	assert.Equal(t, 1.0, cfg.Regions[0].DraftCompliance, "omitted region fields keep their defaults")
	assert.Equal(t, 7.0, cfg.TickDays)
}

func TestSetOverrides(t *testing.T) {
	cfg, err := scenarios.Load("soviet1991",
		"regime.repression=0.2", "regions.Ukraine.legitimacy=0.9", "regions.2.population_m=20",
		"roles.soldier.rule={kind: logit, tau: 0.1}", "shocks.1.set.regime.repression=0.95", "ticks=90")
	require.NoError(t, err)
	assert.Equal(t, 0.2, cfg.Regime.Repression)
	assert.Equal(t, 0.9, cfg.Regions[1].Legitimacy)
	assert.Equal(t, 20.0, cfg.Regions[2].PopulationM)
	assert.Equal(t, "logit", cfg.Roles.Soldier.Rule.Kind)
	assert.Equal(t, 0.95, cfg.Shocks[1].Set["regime.repression"])
	assert.Equal(t, 90, cfg.Ticks)
}

func TestBuiltinsLoadAndList(t *testing.T) {
	list := scenarios.List()
	require.NotEmpty(t, list)
	for _, s := range list {
		assert.NotEmpty(t, s.Description, s.Name)
		_, err := scenarios.Load(s.Name)
		assert.NoError(t, err, s.Name)
	}
	_, err := scenarios.Load("no-such-scenario")
	assert.ErrorIs(t, err, scenarios.ErrUnknown)
}

func TestSetWithAliases(t *testing.T) {
	yaml := good + "roles:\n  citizen: &r\n    threshold: {dist: normal, mean: 0.3, sd: 0.1}\n  elite: *r\n"
	cfg, err := scenarios.Parse("a.yaml", []byte(yaml), "roles.elite.threshold.mean=0.9")
	require.NoError(t, err)
	assert.Equal(t, 0.9, cfg.Roles.Elite.Threshold.Mean, "the alias is changed")
	assert.Equal(t, 0.3, cfg.Roles.Citizen.Threshold.Mean, "its target is not")
	cfg, err = scenarios.Parse("a.yaml", []byte(yaml), "roles.citizen.threshold.mean=0.1")
	require.NoError(t, err)
	assert.Equal(t, 0.1, cfg.Roles.Citizen.Threshold.Mean)
	assert.Equal(t, 0.3, cfg.Roles.Elite.Threshold.Mean)
	_, err = scenarios.Parse("a.yaml", []byte("name: x\n"), "regions.all.legitimacy=0.9")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not written in the file")
}
