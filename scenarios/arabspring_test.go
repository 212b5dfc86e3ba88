package scenarios_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

var arabSpring = []string{"arabspring2011-bahrain", "arabspring2011-egypt", "arabspring2011-libya",
	"arabspring2011-syria", "arabspring2011-tunisia", "arabspring2011-yemen"}

func loadPack(t *testing.T) []regime.Config {
	t.Helper()
	var out []regime.Config
	for _, name := range scenarios.Pack("arabspring2011") {
		cfg, err := scenarios.Load(name)
		require.NoError(t, err, name)
		out = append(out, cfg)
	}
	return out
}

func TestArabSpringPack(t *testing.T) {
	assert.Equal(t, arabSpring, scenarios.Pack("arabspring2011"))
	assert.Empty(t, scenarios.Pack("soviet1991"))
	assert.Empty(t, scenarios.Pack(""))
	_, err := scenarios.Load("arabspring2011")
	assert.ErrorContains(t, err, "a pack of scenarios")
	want := map[string]regime.Outcome{
		"arabspring2011-tunisia": regime.OutcomeDefected, "arabspring2011-egypt": regime.OutcomeDefected,
		"arabspring2011-libya": regime.OutcomeSplit, "arabspring2011-yemen": regime.OutcomeSplit,
		"arabspring2011-syria": regime.OutcomeLoyal, "arabspring2011-bahrain": regime.OutcomeLoyal,
	}
	for _, cfg := range loadPack(t) {
		assert.Equal(t, want[cfg.Name], cfg.History.Outcome, "%s: history outcome (Nepstad 2013; Barany 2016)", cfg.Name)
		assert.NotEmpty(t, cfg.History.Source, cfg.Name)
		assert.True(t, cfg.Outcome.Enabled, cfg.Name)
		assert.Equal(t, 7.0, cfg.TickDays, cfg.Name)
		assert.Equal(t, 32, cfg.Ticks, "%s: 2 weeks before the onset, 30 from it", cfg.Name)
		require.NotEmpty(t, cfg.Shocks, cfg.Name)
		assert.Equal(t, "uprising", cfg.Shocks[0].Name, "%s: the first shock is the onset of protest", cfg.Name)
		assert.Equal(t, 2.0, cfg.Start.Weeks(*cfg.Shocks[0].At), "%s: the run starts two weeks before the onset", cfg.Name)
	}
}

// TestArabSpringSharedParameters: the behavioural parameters are the same
// in the six files; only the inputs the case mapping derives from each
// row differ. The comparison zeroes those and asks for equal configs.
func TestArabSpringSharedParameters(t *testing.T) {
	var ref string
	for _, cfg := range loadPack(t) {
		c := cfg.Clone()
		for _, r := range []*regime.RoleConfig{&c.Roles.Citizen, &c.Roles.Soldier, &c.Roles.Elite} {
			r.PerMillion = 0 // agent counts follow population and armed forces
		}
		p := &c.Regime
		// the per-case inputs of the mapping (cases.Mapping.Build)
		p.Repression, p.ParallelForces, p.ForeignForces, p.ExternalFunds = 0, 0, 0, 0
		p.ExtraRewards, p.EnterpriseRents, p.EliteRents, p.Reserves = 0, 0, 0, 0
		c.Name, c.Description, c.Start, c.Population, c.Groups, c.Regions, c.History = "", "", regime.Date{}, regime.Population{}, nil, nil, regime.History{}
		c.Shocks = nil // the onset (its date and size) and outside support
		b, err := json.Marshal(c)
		require.NoError(t, err)
		if ref == "" {
			ref = string(b)
			continue
		}
		assert.JSONEq(t, ref, string(b), "%s: a shared parameter differs from %s's", cfg.Name, arabSpring[0])
	}
	for _, cfg := range loadPack(t) {
		for _, g := range cfg.Groups {
			assert.Contains(t, []float64{0.75, 0.45, 0.3}, g.Alignment, "%s: group %s uses one of the shared alignments", cfg.Name, g.Name)
		}
	}
}

// TestArabSpringHistoryIsNotRead: the observed outcomes score runs and
// nothing else. Scrambling them (and the sources) leaves every output
// byte of every country's run as it was.
func TestArabSpringHistoryIsNotRead(t *testing.T) {
	cfgs := loadPack(t)
	for i, cfg := range cfgs {
		scrambled := cfg.Clone()
		scrambled.History.Outcome = cfgs[(i+1)%len(cfgs)].History.Outcome
		if scrambled.History.Outcome == cfg.History.Outcome {
			scrambled.History.Outcome = regime.OutcomeSplit
			if cfg.History.Outcome == regime.OutcomeSplit {
				scrambled.History.Outcome = regime.OutcomeLoyal
			}
		}
		scrambled.History.Source = "scrambled"
		a, err := regime.Run(context.Background(), cfg, 7)
		require.NoError(t, err)
		b, err := regime.Run(context.Background(), scrambled, 7)
		require.NoError(t, err)
		sa, _ := json.Marshal(a.Summary)
		sb, _ := json.Marshal(b.Summary)
		assert.Equal(t, string(sa), string(sb), "%s: the summary depends on the history", cfg.Name)
		assert.Equal(t, fmt.Sprint(a.Ticks, a.Regions, a.Events), fmt.Sprint(b.Ticks, b.Regions, b.Events), "%s: the run depends on the history", cfg.Name)
	}
}

// TestArabSpringDeterminism: a run's files are a function of (scenario,
// seed) whatever the number of stepping goroutines; other seeds differ.
func TestArabSpringDeterminism(t *testing.T) {
	for _, name := range []string{"arabspring2011-libya", "arabspring2011-syria"} {
		cfg, err := scenarios.Load(name)
		require.NoError(t, err)
		files := func(workers int, seed uint64) string {
			m, err := regime.New(cfg)
			require.NoError(t, err)
			m.SetWorkers(workers)
			dir := t.TempDir()
			_, err = m.RunDir(context.Background(), seed, dir)
			require.NoError(t, err)
			out := ""
			for _, f := range []string{"summary.json", "ticks.csv", "regions.csv", "events.csv"} {
				b, err := os.ReadFile(filepath.Join(dir, f))
				require.NoError(t, err)
				out += string(b)
			}
			return out
		}
		ref := files(1, 3)
		assert.Equal(t, ref, files(1, 3), "%s: same seed, different bytes", name)
		assert.Equal(t, ref, files(8, 3), "%s: 8 workers differ from 1", name)
		assert.NotEqual(t, ref, files(1, 4), "%s: seeds 3 and 4 give the same run", name)
	}
}
