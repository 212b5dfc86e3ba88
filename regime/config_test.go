package regime

import (
	"math"
	"strings"
	"testing"
)

func TestDetectionRounding(t *testing.T) {
	tests := []struct {
		rounding string
		in, want float64
	}{
		{"none", 2.5, 2.5},
		{"floor", 2.9, 2},
		{"half_even", 2.5, 2}, // banker's rounding, as Python's round
		{"half_even", 3.5, 4},
		{"half_even", 0.4, 0},
	}
	for _, tc := range tests {
		if got := (Detection{Rounding: tc.rounding}).round(tc.in); got != tc.want {
			t.Errorf("%s(%g) = %g, want %g", tc.rounding, tc.in, got, tc.want)
		}
	}
}

func TestDefaultConfigValid(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Detection.Rounding = "ceil"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "detection.rounding") {
		t.Errorf("bad rounding: err = %v", err)
	}
}

func TestValidateReportsEveryParam(t *testing.T) {
	c := DefaultConfig()
	c.Regime.Repression = 2
	c.Regime.Backfire = -1
	c.Regime.Pay = math.Inf(1)
	err := c.Validate()
	for _, want := range []string{"regime.repression", "regime.backfire", "regime.pay"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to name %s", err, want)
		}
	}
}

func TestParamIndex(t *testing.T) {
	for _, name := range ParamNames() {
		if _, err := paramIndex("regime." + name); err != nil {
			t.Errorf("paramIndex(regime.%s): %v", name, err)
		}
	}
	if _, err := paramIndex("regime.nonsense"); err == nil {
		t.Error("unknown parameter: want an error")
	}
}

func TestCloneIsDeep(t *testing.T) {
	c := DefaultConfig()
	c.Regions[0].Groups = map[string]float64{"all": 0.5}
	tick := 3
	c.Shocks = []Shock{{Name: "s", Tick: &tick, Set: map[string]float64{"regime.pay": 2}}}
	c.History.Exits = map[string]Date{"all": DateOf(1991, 1, 1)}
	d := c.Clone()
	d.Regions[0].Groups["all"] = 0.9
	d.Regions[0].Legitimacy = 0.1
	d.Shocks[0].Set["regime.pay"] = 3
	*d.Shocks[0].Tick = 9
	d.History.Exits["all"] = DateOf(1990, 1, 1)
	d.Groups[0].Alignment = 0.99
	if c.Regions[0].Groups["all"] != 0.5 || c.Regions[0].Legitimacy == 0.1 || c.Shocks[0].Set["regime.pay"] != 2 ||
		*c.Shocks[0].Tick != 3 || c.History.Exits["all"] != DateOf(1991, 1, 1) || c.Groups[0].Alignment == 0.99 {
		t.Fatal("changing the clone changed the original")
	}
}
