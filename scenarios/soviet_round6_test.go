package scenarios_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/regime"
)

// referendumLegitimacy is the median over seeds 1..n of the Spearman
// correlation between each republic's simulated legitimacy on 1991-03-17
// (the union referendum) and its referendum input (Region.Legitimacy).
func referendumLegitimacy(t *testing.T, cfg regime.Config, n int) (rho, mean float64) {
	t.Helper()
	m, err := regime.New(cfg)
	require.NoError(t, err)
	tick := cfg.TickOf(regime.DateOf(1991, 3, 17))
	in := make([]float64, len(cfg.Regions))
	for g, r := range cfg.Regions {
		in[g] = r.Legitimacy
	}
	var rs, ms []float64
	for s := 1; s <= n; s++ {
		res, err := m.Run(context.Background(), uint64(s))
		require.NoError(t, err)
		sim := make([]float64, len(cfg.Regions))
		sum := 0.0
		for g := range cfg.Regions {
			sim[g] = res.Regions[tick*len(cfg.Regions)+g].Legitimacy
			sum += sim[g]
		}
		rs = append(rs, abm.Spearman(sim, in))
		ms = append(ms, sum/float64(len(sim)))
	}
	return median(rs), median(ms)
}

func TestSovietRound6Explore(t *testing.T) {
	out := os.Getenv("TURNCOAT_ROUND6_EXPLORE")
	if out == "" || raceEnabled {
		t.Skip("set TURNCOAT_ROUND6_EXPLORE=FILE")
	}
	var b strings.Builder
	for _, extra := range [][]string{nil, {"regime.legitimacy_floor=0.25"}, {"regime.legitimacy_floor=0.5"}, {"regime.legitimacy_floor=0.75"},
		{"regime.legitimacy_floor=0.5", "assets.threshold=0.25"}, {"regime.legitimacy_floor=0.5", "assets.elasticity=0.25"}} {
		cfg := loadRound5(t, round5Chosen, extra...)
		a := measureRound5(t, cfg, 20)
		rho, mean := referendumLegitimacy(t, cfg, 20)
		fmt.Fprintf(&b, "%s legit@ref rho %.3f mean %.3f\n", round5Row(cfg, strings.Join(extra, " "), a, 20), rho, mean)
	}
	require.NoError(t, os.WriteFile(out, []byte(b.String()), 0o644))
}
