package calib

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

type rng struct {
	key    string
	lo, hi float64
}

var space = []rng{
	{"roles.citizen.threshold.mean", 0.35, 0.6},
	{"roles.elite.threshold.mean", 0.4, 0.7},
	{"roles.soldier.threshold.mean", 0.45, 0.75},
	{"roles.citizen.weights.social", 0.2, 0.6},
	{"roles.elite.weights.social", 0.2, 0.7},
	{"roles.elite.weights.economic", 0.3, 1.0},
	{"regime.repression", 0.3, 0.7},
	{"regime.surveillance", 0.5, 0.95},
	{"regime.demonstration", 0, 0.3},
	{"regime.other_spending", 0.4, 0.6},
	{"groups.0.alignment", 0.6, 0.85},
	{"groups.1.alignment", 0.25, 0.45},
	{"exit.elite", 0.4, 0.6},
	{"regime.family_reprisal", 0, 0.6},
	{"shocks.0.scale.regime.legitimacy", 0.35, 0.7},
	{"exit.similarity_bandwidth", 0.08, 0.4},
	{"regime.reserves", 1, 4},
	{"roles.elite.observes.citizen", 0, 1},
	{"roles.elite.observes.soldier", 0, 1},
	{"roles.citizen.threshold.sd", 0.05, 0.2},
	{"roles.elite.threshold.sd", 0.05, 0.2},
	{"population.stacking", 0.2, 0.8},
	{"roles.citizen.group_social", 0, 1},
	{"roles.elite.group_social", 0, 1},
	{"roles.soldier.group_social", 0, 1},
	{"groups.2.alignment", 0.3, 0.75},
}

func eval(sets []string, seeds int) (float64, float64, error) {
	cfg, err := scenarios.Load("soviet1991", sets...)
	if err != nil {
		return 0, 0, err
	}
	m, err := regime.New(cfg)
	if err != nil {
		return 0, 0, err
	}
	var sp, te []float64
	for s := 1; s <= seeds; s++ {
		res, err := m.Run(context.Background(), uint64(s))
		if err != nil {
			return 0, 0, err
		}
		r := -1.0
		if res.Summary.SpearmanVsHistory != nil {
			r = *res.Summary.SpearmanVsHistory
		}
		sp = append(sp, r)
		te = append(te, *res.Summary.TimingErrorWeeks)
	}
	slices.Sort(sp)
	slices.Sort(te)
	return (sp[seeds/2-1] + sp[seeds/2]) / 2, (te[seeds/2-1] + te[seeds/2]) / 2, nil
}

func TestSearch(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SEARCH"))
	if n == 0 {
		t.Skip("set SEARCH=n")
	}
	base := strings.Fields(os.Getenv("SETS"))
	center := map[string]float64{}
	for _, kv := range strings.Fields(os.Getenv("CENTER")) {
		k, v, _ := strings.Cut(kv, "=")
		center[k], _ = strconv.ParseFloat(v, 64)
	}
	r := rand.New(rand.NewPCG(uint64(n), 7))
	type res struct {
		score, rho, te float64
		sets           []string
	}
	var mu sync.Mutex
	var all []res
	jobs := make(chan []string)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sets := range jobs {
				rho, te, err := eval(append(slices.Clone(base), sets...), 12)
				if err != nil {
					fmt.Println(err)
					continue
				}
				mu.Lock()
				all = append(all, res{rho - 0.05*te, rho, te, sets})
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		var sets []string
		for _, p := range space {
			v := p.lo + r.Float64()*(p.hi-p.lo)
			if c, ok := center[p.key]; ok {
				v = min(p.hi, max(p.lo, c+(r.Float64()-0.5)*0.3*(p.hi-p.lo)))
			}
			sets = append(sets, fmt.Sprintf("%s=%.3f", p.key, v))
		}
		jobs <- sets
	}
	close(jobs)
	wg.Wait()
	slices.SortFunc(all, func(a, b res) int {
		if a.score > b.score {
			return -1
		}
		return 1
	})
	for _, a := range all[:min(8, len(all))] {
		fmt.Printf("score %.3f rho %.3f te %.2f SETS=\"%s\"\n", a.score, a.rho, a.te, strings.Join(a.sets, " "))
	}
}
