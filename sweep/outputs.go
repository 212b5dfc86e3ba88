package sweep

import (
	"math"
	"slices"
	"strings"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

// output extracts one measure from a run's result. prob marks 0/1 outcomes
// (their intervals are Wilson's).
type output struct {
	name   string
	prob   bool
	region string // for per-region outputs, to validate the name
	series string // for history-series outputs, to validate the name
	get    func(r *regime.Result) float64
}

var nan = math.NaN()

func roleOf(s string) (agents.Role, bool) {
	r, err := agents.ParseRole(s)
	return r, err == nil
}

// outputSpec resolves an output name. Missing values (no collapse, a region
// that never exits, no history) are NaN: empty in CSV, null in JSON.
func outputSpec(name string) (output, bool) {
	o := output{name: name}
	head, arg, _ := strings.Cut(name, ".")
	last := func(r *regime.Result) *regime.TickRecord { return &r.Ticks[len(r.Ticks)-1] }
	switch {
	case name == "collapsed":
		o.prob = true
		o.get = func(r *regime.Result) float64 { return b2f(r.Summary.Collapsed) }
	case name == "collapse_tick":
		o.get = func(r *regime.Result) float64 { return intp(r.Summary.CollapseTick) }
	case name == "spearman_vs_history":
		o.get = func(r *regime.Result) float64 { return floatp(r.Summary.SpearmanVsHistory) }
	case name == "timing_error_weeks":
		o.get = func(r *regime.Result) float64 { return floatp(r.Summary.TimingErrorWeeks) }
	case name == "exits":
		o.get = func(r *regime.Result) float64 { return float64(len(r.Summary.Exits)) }
	case name == "cascades":
		o.get = func(r *regime.Result) float64 { return float64(len(r.Summary.Cascades)) }
	case name == "exited_population":
		o.get = func(r *regime.Result) float64 { return last(r).ExitedPop }
	case name == "legitimacy":
		o.get = func(r *regime.Result) float64 { return last(r).Legitimacy }
	case name == "delivery":
		o.get = func(r *regime.Result) float64 { return last(r).Delivery }
	case name == "coercive_capacity":
		o.get = func(r *regime.Result) float64 { return last(r).Capacity }
	case head == "final_share" || head == "peak_share" || head == "cascade_tick" || head == "cascade_duration":
		role, ok := roleOf(arg)
		if !ok {
			return o, false
		}
		switch head {
		case "final_share":
			o.get = func(r *regime.Result) float64 { return last(r).Defected[role] }
		case "peak_share":
			o.get = func(r *regime.Result) float64 {
				m := 0.0
				for i := range r.Ticks {
					m = math.Max(m, r.Ticks[i].Defected[role])
				}
				return m
			}
		default:
			dur := head == "cascade_duration"
			o.get = func(r *regime.Result) float64 {
				for _, c := range r.Summary.Cascades {
					if c.Role == arg {
						if dur {
							return float64(c.Duration)
						}
						return float64(c.Tick)
					}
				}
				return nan
			}
		}
	case name == "emigrants_total":
		o.get = func(r *regime.Result) float64 { return last(r).EmigrantsTotal }
	case head == "final_voice" || head == "final_exit" || head == "final_switch" || head == "final_shirk":
		// Defection modes (regime.Modes): final shares by mode; without
		// modes voice is the defected share and the others are 0.
		role, ok := roleOf(arg)
		if !ok {
			return o, false
		}
		mode := head
		o.get = func(r *regime.Result) float64 {
			t := last(r)
			switch mode {
			case "final_exit":
				return t.Exit[role]
			case "final_switch":
				return t.Switch[role]
			case "final_shirk":
				return t.Shirk[role]
			}
			return t.Defected[role]
		}
	case head == "outcome":
		class := regime.Outcome(arg)
		if !slices.Contains(regime.Outcomes[:], class) {
			return o, false
		}
		o.prob = true
		o.get = func(r *regime.Result) float64 { return b2f(r.Config.Outcome.Classify(r) == class) }
	case (head == "exit_tick" || head == "exited") && arg != "":
		o.region = arg
		o.prob = head == "exited"
		o.get = func(r *regime.Result) float64 {
			for _, e := range r.Summary.Exits {
				if e.Region == arg {
					if o.prob {
						return 1
					}
					return float64(e.Tick)
				}
			}
			if o.prob {
				return 0
			}
			return nan
		}
	default:
		return seriesOutput(o, head, arg)
	}
	return o, true
}

// OutputNames lists the output names a sweep can collect (<role> is
// citizen, soldier or elite; <Region> a region name; <class> defected,
// split or loyal).
func OutputNames() []string {
	return slices.Clone(outputNames)
}

var outputNames = []string{
	"collapsed", "collapse_tick", "exits", "exited_population", "spearman_vs_history", "timing_error_weeks",
	"cascades", "legitimacy", "delivery", "coercive_capacity",
	"final_share.<role>", "peak_share.<role>", "cascade_tick.<role>", "cascade_duration.<role>",
	"exit_tick.<Region>", "exited.<Region>", "outcome.<class>",
	"final_voice.<role>", "final_exit.<role>", "final_switch.<role>", "final_shirk.<role>", "emigrants_total",
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func intp(p *int) float64 {
	if p == nil {
		return nan
	}
	return float64(*p)
}

func floatp(p *float64) float64 {
	if p == nil {
		return nan
	}
	return *p
}
