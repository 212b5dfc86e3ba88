package regime

import (
	"math"

	"github.com/turncoat-abm/turncoat/abm"
)

// DateFit is how well dated region events (exits, declarations) match a
// historical record of dates. Every score of a run against dated history,
// and every naive baseline it is shown beside, is computed by
// [Config.FitTicks], so the two are comparable by construction.
type DateFit struct {
	// Spearman is Spearman's rank correlation between the simulated and
	// the historical dates over the regions with a historical date;
	// regions without a simulated event rank last, tied. NaN when it is
	// undefined (fewer than two regions, or no variation).
	Spearman float64
	// TimingErrorWeeks is the mean absolute difference in weeks between
	// the simulated tick and the tick of the historical date; a region
	// without a simulated event counts as one at tick Config.Ticks, one
	// past the horizon. NaN for an order-only forecast.
	TimingErrorWeeks float64
	// Censored lists, in region order, the regions with a historical date
	// and no simulated event.
	Censored []string
	// N is the number of regions scored.
	N int
}

// FitTicks scores simulated events against hist (region name → date):
// ticks[g] is the tick of region g's event (Config.Regions order), or −1
// when it has none. Regions absent from hist are ignored. It panics if
// len(ticks) != len(c.Regions).
func (c *Config) FitTicks(hist map[string]Date, ticks []int) DateFit {
	if len(ticks) != len(c.Regions) {
		panic("regime: FitTicks length mismatch")
	}
	f := DateFit{Spearman: math.NaN(), TimingErrorWeeks: math.NaN(), Censored: []string{}}
	var sim, obs []float64
	mae := 0.0
	for g, reg := range c.Regions {
		h, ok := hist[reg.Name]
		if !ok {
			continue
		}
		t := ticks[g]
		if t < 0 {
			t = c.Ticks
			f.Censored = append(f.Censored, reg.Name)
		}
		sim = append(sim, float64(t))
		obs = append(obs, h.Sub(c.Start.Time).Hours())
		mae += math.Abs(float64(t-c.TickOf(h))) * c.TickDays / 7
	}
	f.N = len(sim)
	if f.N == 0 {
		return f
	}
	f.TimingErrorWeeks = mae / float64(f.N)
	f.Spearman = abm.Spearman(sim, obs)
	return f
}

// FitOrder scores an order-only forecast against hist: rank[g] orders
// region g (smaller is earlier; ties allowed). Only the Spearman
// correlation is defined; TimingErrorWeeks is NaN. It panics if
// len(rank) != len(c.Regions).
func (c *Config) FitOrder(hist map[string]Date, rank []float64) DateFit {
	if len(rank) != len(c.Regions) {
		panic("regime: FitOrder length mismatch")
	}
	f := DateFit{Spearman: math.NaN(), TimingErrorWeeks: math.NaN(), Censored: []string{}}
	var sim, obs []float64
	for g, reg := range c.Regions {
		if h, ok := hist[reg.Name]; ok {
			sim = append(sim, rank[g])
			obs = append(obs, h.Sub(c.Start.Time).Hours())
		}
	}
	f.N = len(sim)
	f.Spearman = abm.Spearman(sim, obs)
	return f
}
