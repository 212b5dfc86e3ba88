package cases

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

// Mapping is the one documented mapping from a case's indicators to the
// model's inputs (docs/SCENARIOS.md §2, "The case builder"). Base holds the
// behavioural parameters every case shares; the other fields say how each
// indicator becomes a model input. Nothing in a Mapping is per case, and
// Build never reads a case's outcome.
type Mapping struct {
	// Base is the scenario every case starts from: the shared behavioural
	// parameters (thresholds, weights, observation, the regime's dynamics,
	// the shared instruments surveillance, family_reprisal, purge_rate and
	// pay, the collapse and outcome rules). Build overwrites only the
	// per-case fields listed below.
	Base regime.Config

	// LeadWeeks are simulated before the onset (calm, to check that the
	// model is quiet before the uprising); HorizonWeeks from the onset on.
	LeadWeeks, HorizonWeeks int

	// Citizens and Elites are the agent counts of every case (a fixed
	// sample: shares, not head counts, matter). Soldier agents are
	// Citizens × (armed forces per 1,000 inhabitants) × SoldiersPerForce,
	// clamped to [MinSoldiers, MaxSoldiers], so a country with more
	// soldiers per head has more enforcers per citizen.
	Citizens, Elites         int
	SoldiersPerForce         float64
	MinSoldiers, MaxSoldiers int

	// Legitimacy is every case's base legitimacy in its one region.
	Legitimacy float64
	// CoreAlignment, RestAlignment and ExcludedAlignment are the mean
	// alignments of the regime's core group, of the unattached population
	// and of excluded groups.
	CoreAlignment, RestAlignment, ExcludedAlignment float64

	// Stacking and EliteStacking give population.stacking and
	// population.elite_stacking for each level of officer_core (none,
	// partial, dominant, exclusive).
	Stacking, EliteStacking [4]float64

	// The region's hardship factor is 1 + HardshipSlope·ln(HardshipGDP /
	// gdp_pc), clamped to [HardshipMin, HardshipMax]: poorer countries'
	// citizens weigh economic grievance more.
	HardshipGDP, HardshipSlope, HardshipMin, HardshipMax float64

	// Fuel rents (share of GDP, 0–1) fund the regime: elite_rents =
	// EliteRentsBase + EliteRentsPerRent·share, reserves (weeks of revenue)
	// = ReservesBase + ReservesPerRent·share, extra_rewards =
	// RewardsPerRent·share.
	EliteRentsBase, EliteRentsPerRent float64
	ReservesBase, ReservesPerRent     float64
	RewardsPerRent                    float64

	// EnterpriseRents gives regime.enterprise_rents for each level of
	// military_economy (none, minor, extensive).
	EnterpriseRents [3]float64
	// Repression gives the starting regime.repression for each level of
	// first_response (restraint, arrests, lethal, massacre).
	Repression [4]float64
	// ParallelMax caps regime.parallel_forces = parallel_k / armed_forces_k.
	ParallelMax float64

	// The onset shock scales the centre's legitimacy, from the onset to the
	// end, by OnsetScale − OnsetSlope·log10(peak protest, % of the
	// population), clamped to [OnsetMin, OnsetMax]: an uprising of 1% of
	// the population gets OnsetScale, one of 10% OnsetScale − OnsetSlope.
	OnsetScale, OnsetSlope, OnsetMin, OnsetMax float64
}

// DefaultMapping returns the shipped mapping. Eight shared numbers, marked
// "calibrated", are the best point of the documented search on the six
// arabspring2011 cases (validate.SearchSpace; docs/SCENARIOS.md §4,
// "Calibration"): the soldiers' and citizens' threshold means, the
// soldiers' social weight, surveillance, family reprisals, the onset
// shock's scale and slope and the soldier agents per unit of armed forces.
// Every other number was set from the literature or kept from the earlier
// hand-written pack before any case was run.
func DefaultMapping() Mapping {
	b := regime.DefaultConfig()
	b.Name, b.Description = "", ""
	b.TickDays, b.Scale = 7, 1
	b.Population = regime.Population{SoldierLocalShare: 1}

	cit := &b.Roles.Citizen
	cit.MinPerRegion, cit.AlignmentSD = 1, 0.15
	cit.Threshold = agents.Dist{Kind: "normal", Mean: 0.563, SD: 0.1} // calibrated
	cit.Weights = regime.Weights{Ideological: 1, Economic: 0.35, Social: 0.3, Coercive: 1}
	cit.Observes = regime.Observes{Citizen: 1, Soldier: 0.5}
	cit.GroupSocial, cit.JailMin, cit.JailMax = 0.5, 1, 8

	sol := &b.Roles.Soldier
	sol.MinPerRegion, sol.AlignmentShift, sol.AlignmentSD = 1, 0.1, 0.15
	sol.Economic = agents.Dist{Kind: "lognormal", Mean: 1, SD: 0.3}
	sol.Threshold = agents.Dist{Kind: "normal", Mean: 0.348, SD: 0.1}                         // calibrated
	sol.Weights = regime.Weights{Ideological: 0.8, Economic: 0.5, Social: 1.376, Coercive: 1} // social: calibrated
	sol.Observes = regime.Observes{Citizen: 0.5, Soldier: 1, Elite: 0.5}
	sol.GroupSocial, sol.JailMin, sol.JailMax = 0.6, 4, 26

	el := &b.Roles.Elite
	el.MinPerRegion, el.AlignmentShift, el.AlignmentSD = 1, 0.05, 0.15
	el.Economic = agents.Dist{Kind: "lognormal", Mean: 1, SD: 0.3}
	el.Threshold = agents.Dist{Kind: "normal", Mean: 0.5, SD: 0.1}
	el.Weights = regime.Weights{Ideological: 1, Economic: 0.5, Social: 0.6, Coercive: 1}
	el.Observes = regime.Observes{Citizen: 0.3, Soldier: 0.6, Elite: 1}
	el.GroupSocial, el.JailMin, el.JailMax = 0.6, 4, 26

	p := &b.Regime
	p.Legitimacy = 1
	p.Surveillance, p.FamilyReprisal, p.PurgeRate, p.Pay = 0.756, 0.218, 0, 1 // surveillance, family_reprisal: calibrated
	p.EconomyDecline, p.Hardship = 0.003, 0.45
	p.LegitimacyRecovery, p.DefectionErosion, p.Backfire = 0.05, 0.5, 1.5
	p.ArrestK, p.ArrestRate = 2.3, 0.2
	p.RepressionResponse, p.ProtestTolerance, p.RepressionMax = 0.5, 0.1, 0.9
	p.PayResponse = 0
	p.TaxCompliance, p.SoldierPayroll, p.ElitePayroll, p.OtherSpending, p.RepressionCost = 0.3, 0.2, 0.05, 0.7, 0.05

	b.Exit.Enabled = false
	b.Collapse = regime.CollapseRule{ExitedPopulation: 0.5, CapacityFloor: 0.5}
	b.Outcome = regime.OutcomeRule{Enabled: true, Split: 0.2, Persist: 2}
	b.Shocks, b.History = nil, regime.History{}

	return Mapping{
		Base:      b,
		LeadWeeks: 2, HorizonWeeks: 30,
		Citizens: 1500, Elites: 100,
		SoldiersPerForce: 0.036, MinSoldiers: 50, MaxSoldiers: 1000, // calibrated
		Legitimacy:    0.5,
		CoreAlignment: 0.75, RestAlignment: 0.45, ExcludedAlignment: 0.3,
		Stacking:      [4]float64{0, 0.2, 0.45, 0.9},
		EliteStacking: [4]float64{0, 0.3, 0.6, 0.9},
		HardshipGDP:   10000, HardshipSlope: 0.3, HardshipMin: 0.5, HardshipMax: 1.8,
		EliteRentsBase: 0.3, EliteRentsPerRent: 1,
		ReservesBase: 6, ReservesPerRent: 50,
		RewardsPerRent:  0.4,
		EnterpriseRents: [3]float64{0, 0.1, 0.3},
		Repression:      [4]float64{0.3, 0.4, 0.5, 0.65},
		ParallelMax:     1.5,
		OnsetScale:      0.418, OnsetSlope: 0.053, OnsetMin: 0.3, OnsetMax: 0.9, // calibrated
	}
}

// Validate checks the mapping's own numbers (not Base, which Build
// validates with each case).
func (m *Mapping) Validate() error {
	var errs []error
	bad := func(field string, format string, args ...any) {
		errs = append(errs, fmt.Errorf("cases: Mapping.%s %s", field, fmt.Sprintf(format, args...)))
	}
	if m.LeadWeeks < 0 {
		bad("LeadWeeks", "must be >= 0, got %d", m.LeadWeeks)
	}
	if m.HorizonWeeks < 1 {
		bad("HorizonWeeks", "must be >= 1, got %d", m.HorizonWeeks)
	}
	if m.Citizens < 1 || m.Elites < 1 {
		bad("Citizens/Elites", "must be >= 1, got %d and %d", m.Citizens, m.Elites)
	}
	if !(m.SoldiersPerForce > 0) || m.MinSoldiers < 1 || m.MaxSoldiers < m.MinSoldiers {
		bad("SoldiersPerForce/MinSoldiers/MaxSoldiers", "need a positive factor and 1 <= min <= max, got %g, %d, %d", m.SoldiersPerForce, m.MinSoldiers, m.MaxSoldiers)
	}
	if !(m.HardshipGDP > 0) || m.HardshipMin > m.HardshipMax {
		bad("Hardship*", "need HardshipGDP > 0 and min <= max, got %g, [%g, %g]", m.HardshipGDP, m.HardshipMin, m.HardshipMax)
	}
	if !(m.OnsetMin >= 0 && m.OnsetMin <= m.OnsetMax) {
		bad("OnsetMin/OnsetMax", "need 0 <= min <= max, got [%g, %g]", m.OnsetMin, m.OnsetMax)
	}
	return errors.Join(errs...)
}

// round4 rounds x to four significant digits, so that the scenario files
// print short numbers and a file read back gives exactly the built config.
func round4(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
	return v
}

func clamp(x, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, x)) }

// num formats a number for a comment.
func num(x float64) string { return strconv.FormatFloat(round4(x), 'f', -1, 64) }

// built is a case's scenario and the comments that explain its inputs,
// keyed by YAML path ("regime.parallel_forces", "groups.0.alignment").
type built struct {
	cfg      regime.Config
	comments map[string]string
}

// Build turns a case's inputs into a validated scenario through the
// mapping. It reads nothing but in and m: a case's outcome never enters
// (Outcome is not among its arguments).
func (m *Mapping) Build(in Inputs) (regime.Config, error) {
	b, err := m.build(in)
	return b.cfg, err
}

func (m *Mapping) build(in Inputs) (built, error) {
	if err := m.Validate(); err != nil {
		return built{}, err
	}
	c := m.Base.Clone()
	com := map[string]string{}
	c.Name = in.Case
	c.Description = fmt.Sprintf("%s %d: the uprising from %s (built from its case-table row)", in.Country, in.Onset.Year(), in.Onset)
	c.Start = regime.Date{Time: in.Onset.AddDate(0, 0, -7*m.LeadWeeks)}
	c.Ticks = m.LeadWeeks + m.HorizonWeeks
	com["start"] = fmt.Sprintf("onset %s less %d weeks", in.Onset, m.LeadWeeks)
	com["ticks"] = fmt.Sprintf("%d weeks before the onset and %d from it", m.LeadWeeks, m.HorizonWeeks)

	// groups and the one region
	region := regime.RegionDefaults()
	region.Name = strings.ToLower(strings.ReplaceAll(in.Country, " ", "_"))
	region.PopulationM = in.PopulationM
	region.Legitimacy = m.Legitimacy
	region.Groups = map[string]float64{}
	c.Groups = nil
	core, excl := in.CoreSharePct/100, in.ExcludedPct/100
	if core > 0 {
		g := len(c.Groups)
		c.Groups = append(c.Groups, regime.Group{Name: in.CoreGroup, Alignment: m.CoreAlignment})
		region.Groups[in.CoreGroup] = round4(core)
		com[fmt.Sprintf("groups.%d.alignment", g)] = fmt.Sprintf("the regime's core group, %s%% of the population", num(in.CoreSharePct))
	}
	if excl > 0 {
		g := len(c.Groups)
		label := in.ExcludedGroup
		if label == "" {
			label = "excluded groups"
		}
		c.Groups = append(c.Groups, regime.Group{Name: "excluded", Alignment: m.ExcludedAlignment})
		region.Groups["excluded"] = round4(excl)
		com[fmt.Sprintf("groups.%d.alignment", g)] = fmt.Sprintf("excluded: %s, %s%% of the population", label, num(in.ExcludedPct))
	}
	if core+excl < 1 || len(c.Groups) == 0 {
		name := "rest"
		if len(c.Groups) == 0 {
			name = "all"
		}
		c.Groups = append(c.Groups, regime.Group{Name: name, Alignment: m.RestAlignment})
		com[fmt.Sprintf("groups.%d.alignment", len(c.Groups)-1)] = "no tie to the ruler (the remainder of the population)"
	}
	if len(region.Groups) == 0 {
		region.Groups = nil
	}
	gdpFactor := round4(clamp(1+m.HardshipSlope*math.Log(m.HardshipGDP/in.GDPPerCapita), m.HardshipMin, m.HardshipMax))
	region.HardshipFactor = gdpFactor
	c.Regions = []regime.Region{region}
	com["regions.0.population_m"] = "population_m"
	com["regions.0.legitimacy"] = "shared base legitimacy"
	com["regions.0.hardship_factor"] = fmt.Sprintf("1 + %s·ln(%s / gdp_pc %s)", num(m.HardshipSlope), num(m.HardshipGDP), num(in.GDPPerCapita))

	// agents
	perK := in.ArmedForcesK / in.PopulationM // armed forces per 1,000 inhabitants
	soldiers := int(math.Round(float64(m.Citizens) * perK * m.SoldiersPerForce))
	soldiers = min(max(soldiers, m.MinSoldiers), m.MaxSoldiers)
	c.Roles.Citizen.PerMillion = round4(float64(m.Citizens) / in.PopulationM)
	c.Roles.Soldier.PerMillion = round4(float64(soldiers) / in.PopulationM)
	c.Roles.Elite.PerMillion = round4(float64(m.Elites) / in.PopulationM)
	com["roles.citizen.per_million"] = fmt.Sprintf("%d citizen agents", m.Citizens)
	com["roles.soldier.per_million"] = fmt.Sprintf("%d soldier agents: %d × %s armed forces per 1,000 inhabitants (%sk / %sm) × %s", soldiers, m.Citizens, num(perK), num(in.ArmedForcesK), num(in.PopulationM), num(m.SoldiersPerForce))
	com["roles.elite.per_million"] = fmt.Sprintf("%d elite agents", m.Elites)

	// stacking
	lvl := in.OfficerCore
	if lvl > 0 {
		c.Population.CoreGroup = in.CoreGroup
		c.Population.Stacking = m.Stacking[lvl]
		c.Population.EliteStacking = m.EliteStacking[lvl]
		com["population.stacking"] = "officer_core " + OfficerCoreLevels[lvl]
		com["population.elite_stacking"] = "officer_core " + OfficerCoreLevels[lvl]
	}

	// the regime's instruments
	p := &c.Regime
	rents := in.FuelRentsPct / 100
	p.ParallelForces = round4(math.Min(m.ParallelMax, in.ParallelK/in.ArmedForcesK))
	com["regime.parallel_forces"] = fmt.Sprintf("parallel_k %s / armed_forces_k %s", num(in.ParallelK), num(in.ArmedForcesK))
	p.EnterpriseRents = m.EnterpriseRents[in.MilEconomy]
	com["regime.enterprise_rents"] = "military_economy " + MilitaryEconomyLevels[in.MilEconomy]
	p.Repression = m.Repression[in.Response]
	com["regime.repression"] = "first_response " + ResponseLevels[in.Response] + " (the starting level; the adaptive rule raises it)"
	p.EliteRents = round4(m.EliteRentsBase + m.EliteRentsPerRent*rents)
	p.Reserves = round4(m.ReservesBase + m.ReservesPerRent*rents)
	p.ExtraRewards = round4(m.RewardsPerRent * rents)
	for _, k := range []string{"elite_rents", "reserves", "extra_rewards"} {
		com["regime."+k] = fmt.Sprintf("fuel rents %s%% of GDP", num(in.FuelRentsPct))
	}

	// shocks: the onset, then outside support where it came during the run
	end := c.Start.AddDate(0, 0, 7*c.Ticks)
	onset := in.Onset
	scale := round4(clamp(m.OnsetScale-m.OnsetSlope*math.Log10(in.ProtestPct), m.OnsetMin, m.OnsetMax))
	c.Shocks = []regime.Shock{{Name: "uprising", At: &onset, Scale: map[string]float64{"regime.legitimacy": scale}}}
	com["shocks.0.at"] = "onset"
	com["shocks.0.scale"] = fmt.Sprintf("%s − %s·log10(protest_peak_pct %s)", num(m.OnsetScale), num(m.OnsetSlope), num(in.ProtestPct))
	var errs []error
	support := func(name, param, col, dateCol string, pct float64, at regime.Date) {
		if pct == 0 {
			return
		}
		v := round4(pct / 100)
		switch {
		case at.IsZero():
			if param == "regime.foreign_forces" {
				p.ForeignForces = v
			} else {
				p.ExternalFunds = v
			}
			com[param] = fmt.Sprintf("%s %s%%, in place before the onset", col, num(pct))
		case at.Before(c.Start.Time):
			errs = append(errs, fmt.Errorf("cases: case %s: column %s: %s is before the simulated window (from %s); leave it empty for support in place before the onset", in.Case, dateCol, at, c.Start))
		case !at.Before(end):
			com["shocks.0"] = fmt.Sprintf("%s on %s falls after the horizon and is left out", col, at)
		default:
			d := at
			c.Shocks = append(c.Shocks, regime.Shock{Name: name, At: &d, Set: map[string]float64{param: v}})
			com[fmt.Sprintf("shocks.%d.set", len(c.Shocks)-1)] = fmt.Sprintf("%s %s%%", col, num(pct))
		}
	}
	support("foreign-troops", "regime.foreign_forces", "foreign_troops_pct", "foreign_troops_date", in.ForeignTroopsPct, in.ForeignTroopsDate)
	support("foreign-funds", "regime.external_funds", "foreign_funds_pct", "foreign_funds_date", in.ForeignFundsPct, in.ForeignFundsDate)
	if len(errs) > 0 {
		return built{}, errors.Join(errs...)
	}
	if err := c.Validate(); err != nil {
		return built{}, fmt.Errorf("cases: case %s: %w", in.Case, err)
	}
	return built{cfg: c, comments: com}, nil
}
