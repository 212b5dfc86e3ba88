package regime

import (
	"github.com/turncoat-abm/turncoat/agents"
)

// TickRecord is the state of the whole state (sic) after one tick.
type TickRecord struct {
	Tick int
	Date Date
	// Defected, Jailed are the shares of each role (all regions; agents of
	// exited regions count as defected).
	Defected [agents.NumRoles]float64
	Jailed   [agents.NumRoles]float64
	// Legitimacy is the population-weighted mean legitimacy over regions
	// still in the state.
	Legitimacy   float64
	Repression   float64 // effective repression (after adaptive response)
	Surveillance float64
	Pay          float64 // soldiers' pay level (after adaptive raises)
	ExtraRewards float64
	Delivery     float64 // share of payroll delivered (1 = no arrears)
	Reserves     float64 // in ticks of initial revenue
	Revenue      float64 // per tick, 1 = initial
	Economy      float64 // economy index
	Capacity     float64 // coercive capacity / initial
	Exited       int     // regions that have exited
	ExitedPop    float64 // population share of exited regions
	Collapsed    bool
	// Under defection modes (Config.Modes) only: Voice, Exit, Switch and
	// Shirk are the shares of each role's initial population in voice (the
	// same as Defected), emigrated (a stock), switched and shirking;
	// Emigrants are this tick's departures and EmigrantsTotal all
	// departures so far, in people (each agent stands for its region's
	// population_m·10⁶ / its agents of all roles).
	Voice, Exit, Switch, Shirk [agents.NumRoles]float64
	Emigrants, EmigrantsTotal  float64
}

// RegionRecord is one region's state after one tick.
type RegionRecord struct {
	Tick       int
	Region     int
	Counts     [agents.NumRoles][agents.NumStates]int
	Legitimacy float64
	Exited     bool
	// Sovereign is true once the region has declared sovereignty (only
	// with a sovereignty rule).
	Sovereign bool
	// Modes counts each role's agents by the defection modes beyond voice
	// (only under Config.Modes).
	Modes [agents.NumRoles]ModeCounts
}

// EventKind names an event type.
type EventKind string

// Event kinds written to events.csv.
const (
	EventFirstDefection EventKind = "first_defection" // first defection of a role in a region
	EventExit           EventKind = "exit"            // a region leaves (Value: its elite defected share)
	EventCollapse       EventKind = "collapse"        // the regime collapses (Detail: which rule)
	EventCascade        EventKind = "cascade"         // a role's share jumps From -> To (Span: ticks)
	EventShockStart     EventKind = "shock_start"     // a scheduled shock begins (Detail: its name)
	EventShockEnd       EventKind = "shock_end"       // a scheduled shock ends
)

// Event is something that happened in a run.
type Event struct {
	Tick   int
	Kind   EventKind
	Region int // -1 when not about a region
	Role   agents.Role
	Value  float64
	Span   int
	Detail string
	// RegionName is the name of region Region (as Exit.Region and the
	// region column of events.csv), or "" when not about a region.
	RegionName string
}

func (m *Model) event(t int, k EventKind, g int, role agents.Role, v float64, detail string) {
	e := Event{Tick: t, Kind: k, Region: g, Role: role, Value: v, Detail: detail}
	if g >= 0 && g < len(m.cfg.Regions) {
		e.RegionName = m.cfg.Regions[g].Name
	}
	m.events = append(m.events, e)
}

// record appends this tick's records.
func (m *Model) record(t int) {
	c := &m.cfg
	rec := TickRecord{Tick: t, Date: c.DateOf(t), Repression: m.derived.repression, Surveillance: m.eff.Surveillance,
		Pay: m.eff.Pay, ExtraRewards: m.eff.ExtraRewards, Delivery: m.derived.delivery, Reserves: m.reserves,
		Revenue: m.derived.revenue, Economy: m.econ(), Capacity: m.derived.capacity, ExitedPop: m.derived.exitedPop,
		Collapsed: m.collapsed}
	legit, pop := 0.0, 0.0
	for g := range c.Regions {
		rr := RegionRecord{Tick: t, Region: g, Legitimacy: m.legit[g], Exited: m.exited[g]}
		if m.sov != nil {
			rr.Sovereign = m.sov[g]
		}
		for _, role := range agents.Roles {
			rr.Counts[role] = m.counts[role][g]
			rec.Defected[role] += float64(m.counts[role][g][agents.Defected])
			rec.Jailed[role] += float64(m.counts[role][g][agents.Jailed])
		}
		if m.exited[g] {
			rec.Exited++
			rr.Legitimacy = 0
		} else {
			legit += m.legit[g] * m.popShare[g]
			pop += m.popShare[g]
		}
		m.regions = append(m.regions, rr)
	}
	for _, role := range agents.Roles {
		rec.Defected[role] /= float64(m.nTotal[role])
		rec.Jailed[role] /= float64(m.nTotal[role])
	}
	if m.md != nil {
		m.md.record(m, &rec, m.regions[len(m.regions)-len(c.Regions):])
	}
	if pop > 0 {
		rec.Legitimacy = legit / pop
	}
	m.ticks = append(m.ticks, rec)
}

// Ticks returns the tick records so far (shared; valid until the next Reset).
func (m *Model) Ticks() []TickRecord { return m.ticks }

// Regions returns the region records so far, tick-major.
func (m *Model) Regions() []RegionRecord { return m.regions }

// Events returns the events so far.
func (m *Model) Events() []Event { return m.events }
