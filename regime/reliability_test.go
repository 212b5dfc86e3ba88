package regime_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"unsafe"

	"github.com/turncoat-abm/turncoat/regime"
)

// TestDatesPast292Years: issue 20 item 4. Dates are exact beyond the
// ±292 years a time.Duration holds, and TickOf inverts DateOf.
func TestDatesPast292Years(t *testing.T) {
	c := regime.DefaultConfig()
	c.Start = regime.DateOf(1991, 1, 1)
	c.TickDays = 365
	for _, tick := range []int{292, 293, 400, 9000} {
		d := c.DateOf(tick)
		if want := c.Start.AddDate(0, 0, 365*tick); !d.Equal(want) {
			t.Errorf("DateOf(%d) = %s, want %s", tick, d.Format("2006-01-02"), want.Format("2006-01-02"))
		}
		if got := c.TickOf(d); got != tick {
			t.Errorf("TickOf(DateOf(%d)) = %d", tick, got)
		}
	}
	if d := c.DateOf(400); d.Year() < 2300 {
		t.Errorf("tick 400 of a yearly run from 1991 is %s", d.Format("2006-01-02"))
	}
}

// TestSpanAndStartLimits: a run longer than MaxSpanDays is a validation
// error naming ticks, and a zero start date names the date it got.
func TestSpanAndStartLimits(t *testing.T) {
	c := regime.DefaultConfig()
	c.TickDays = 1e9
	c.Ticks = 10
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "ticks") || !strings.Contains(err.Error(), "years") {
		t.Errorf("tick_days=1e9: got %v", err)
	}
	c = regime.DefaultConfig()
	c.Ticks = 2305843009213693952
	if err := c.Validate(); err == nil {
		t.Error("ticks = 2^61 accepted")
	}
	c = regime.DefaultConfig()
	c.Start = regime.Date{}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "0001-01-01") {
		t.Errorf("zero start: %v", err)
	}
}

// TestMemoryEstimateSaturates: issue 20 item 3. The estimate counts the
// records of every region and tick and never wraps around.
func TestMemoryEstimateSaturates(t *testing.T) {
	c := regime.DefaultConfig()
	c.Ticks = 2305843009213693952
	if got := c.MemoryEstimate(); got != math.MaxUint64 {
		t.Errorf("ticks = 2^61: estimate %d, want saturation at MaxUint64", got)
	}
	c = regime.DefaultConfig()
	one := c.MemoryEstimate()
	r := c.Regions[0]
	c.Regions = nil
	for i := 0; i < 100_000; i++ {
		r.Name = fmt.Sprint("r", i)
		r.PopulationM = 1e-6
		c.Regions = append(c.Regions, r)
	}
	records := 2 * uint64(c.Ticks) * uint64(len(c.Regions)) * uint64(unsafe.Sizeof(regime.RegionRecord{}))
	if got := c.MemoryEstimate(); got < records || got < one {
		t.Errorf("10^5 regions: estimate %d bytes, want at least the %d bytes of region records", got, records)
	}
}

// TestWorkersCapped: issue 20 item 3. SetWorkers caps the goroutine count
// at the work items and MaxWorkers, and the result does not change.
func TestWorkersCapped(t *testing.T) {
	c := regime.DefaultConfig()
	c.Ticks = 5
	m, err := regime.New(c)
	if err != nil {
		t.Fatal(err)
	}
	m.SetWorkers(10_000_000)
	if w := m.Workers(); w > regime.MaxWorkers || w < 1 {
		t.Errorf("Workers() = %d after SetWorkers(10^7)", w)
	}
}

// TestHugeScaleReportsTheRealCount: issue 20 item 10. scale 1e300 names
// the agent count it asks for, not the 2^31 cap.
func TestHugeScaleReportsTheRealCount(t *testing.T) {
	c := regime.DefaultConfig()
	c.Scale = 1e300
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "e+") || strings.Contains(err.Error(), "2147483647 ") {
		t.Errorf("scale 1e300: %v", err)
	}
}

// TestMemoryLinearInRegions: the model keeps nothing quadratic in the
// number of regions (the similarity of two regions is computed when one
// exits or declares): doubling the regions at most doubles the estimate,
// and a model of 20,000 regions builds (it once took 3.2 GB for the
// similarity matrix).
func TestMemoryLinearInRegions(t *testing.T) {
	build := func(n int) regime.Config {
		c := regime.DefaultConfig()
		r := c.Regions[0]
		c.Regions = nil
		for i := 0; i < n; i++ {
			r.Name = fmt.Sprint("r", i)
			c.Regions = append(c.Regions, r)
		}
		c.Scale = 0.01
		c.Ticks = 3
		return c
	}
	c1, c2 := build(10_000), build(20_000)
	a, b := c1.MemoryEstimate(), c2.MemoryEstimate()
	if float64(b) > 2.05*float64(a) {
		t.Errorf("estimate %d bytes for 10,000 regions and %d for 20,000: more than linear", a, b)
	}
	if testing.Short() || raceEnabled {
		return // the build below takes 1.5 s, 6 s under -race
	}
	m, err := regime.New(c2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Run(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
}
