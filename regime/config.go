package regime

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/agents"
)

// Config is a complete scenario: the population, the regime, the regions, the
// shocks and (for scoring only) the historical record. Every field has a YAML
// name; the dotted path of YAML names ("regime.repression",
// "roles.soldier.threshold.mean") is how files, --set flags, shocks and sweeps
// address it. DefaultConfig returns the documented baseline.
type Config struct {
	// Name is the scenario's short name.
	Name string `yaml:"name" json:"name"`
	// Description is a one-line description.
	Description string `yaml:"description" json:"description"`
	// Start is the calendar date of tick 0.
	Start Date `yaml:"start" json:"start"`
	// TickDays is the length of a tick in days (default 7: one week).
	TickDays float64 `yaml:"tick_days" json:"tick_days"`
	// Ticks is the default horizon of a run.
	Ticks int `yaml:"ticks" json:"ticks"`
	// Scale multiplies every role's agent count (default 1). Use it to run
	// millions of agents; shares and dynamics do not depend on it beyond
	// sampling noise.
	Scale float64 `yaml:"scale" json:"scale"`

	// Population says how agents are drawn.
	Population Population `yaml:"population" json:"population"`
	// Groups are the ethnic or social groups agents belong to.
	Groups []Group `yaml:"groups" json:"groups"`
	// Roles holds the per-role parameters.
	Roles Roles `yaml:"roles" json:"roles"`
	// Regime holds the regime's instruments and dynamics. Every number in it
	// can be changed by a shock.
	Regime Params `yaml:"regime" json:"regime"`
	// Regions are the regions (republics, provinces) of the state.
	Regions []Region `yaml:"regions" json:"regions"`
	// Detection holds the options of the detection probability.
	Detection Detection `yaml:"detection" json:"detection"`
	// Network, unless its kind is "none", links agents in a social network
	// and makes them read the region-wide part of the social term (or the
	// share Weight of it) from their own neighbours.
	Network Network `yaml:"network" json:"network"`
	// Exit is the rule by which a region leaves.
	Exit ExitRule `yaml:"exit" json:"exit"`
	// Sovereignty, when set, is the rule by which a region declares
	// sovereignty: a state between loyal and exited (see SovereigntyRule).
	// Nil (the default) leaves the model as without it.
	Sovereignty *SovereigntyRule `yaml:"sovereignty,omitempty" json:"sovereignty,omitempty"`
	// Bargain, when set, is the union-treaty bargaining stage of the
	// sovereign regions (see BargainRule). Nil (the default) leaves the
	// model as without it.
	Bargain *BargainRule `yaml:"bargain,omitempty" json:"bargain,omitempty"`
	// Assets, when set, lets loyal elites declare sovereignty to protect
	// their assets from a failing centre (see AssetsRule). Nil (the
	// default) leaves the model as without it.
	Assets *AssetsRule `yaml:"assets,omitempty" json:"assets,omitempty"`
	// Modes, when set, lets agents choose among several ways to defect:
	// voice (today's defection), exit (flight abroad), and for soldiers and
	// elites switching sides and shirking (see Modes). Nil (the default)
	// is the voice-only model, byte for byte.
	Modes *Modes `yaml:"modes,omitempty" json:"modes,omitempty"`
	// Collapse is the rule by which the regime falls.
	Collapse CollapseRule `yaml:"collapse" json:"collapse"`
	// Cascade defines the cascades that are reported as events.
	Cascade CascadeRule `yaml:"cascade" json:"cascade"`
	// Shocks are scheduled changes of regime parameters.
	Shocks []Shock `yaml:"shocks" json:"shocks"`
	// Outcome classifies a run as defected, split or loyal (see
	// OutcomeRule); with Enabled false summaries carry no outcome.
	Outcome OutcomeRule `yaml:"outcome" json:"outcome"`
	// History is the observed record, used only to score a run. The model
	// never reads it.
	History History `yaml:"history" json:"history"`
}

// Population says how many agents each region has and how they are drawn.
type Population struct {
	// CoreGroup names the regime's core group (the group soldiers are
	// stacked from); empty for none.
	CoreGroup string `yaml:"core_group" json:"core_group"`
	// Stacking ∈ [0,1] is the share of soldiers recruited from the core group
	// whatever the region's make-up (ethnic or sectarian stacking of the
	// security forces, a defection-proofing instrument). The rest are drawn
	// as SoldierLocalShare says. Elites are drawn from their region's groups.
	Stacking float64 `yaml:"stacking" json:"stacking"`
	// EliteStacking ∈ [0,1] is the share of elites drawn from the core group
	// whatever their region's make-up (a ruling family's or sect's hold on
	// the cabinet, the security services and the officer corps' top ranks).
	// The rest are drawn from their region's groups. 0 (the default) draws
	// no extra random number, so older scenarios are unchanged.
	EliteStacking float64 `yaml:"elite_stacking" json:"elite_stacking"`
	// SoldierLocalShare ∈ [0,1] is the share of a region's garrison recruited
	// in that region; the rest is drawn from the whole state (an
	// extraterritorial army has a low share).
	SoldierLocalShare float64 `yaml:"soldier_local_share" json:"soldier_local_share"`
	// DraftEffect ≥ 0 lowers the alignment of locally recruited soldiers by
	// DraftEffect·(1 − draft compliance of the region).
	DraftEffect float64 `yaml:"draft_effect" json:"draft_effect"`
}

// Group is an ethnic or social group.
type Group struct {
	// Name identifies the group in regions' Groups.
	Name string `yaml:"name" json:"name"`
	// Alignment is the mean ideological alignment of the group's members with
	// the regime, in [0,1]; each role adds its own AlignmentShift.
	Alignment float64 `yaml:"alignment" json:"alignment"`
}

// Roles holds the parameters of each role.
type Roles struct {
	Citizen RoleConfig `yaml:"citizen" json:"citizen"`
	Soldier RoleConfig `yaml:"soldier" json:"soldier"`
	Elite   RoleConfig `yaml:"elite" json:"elite"`
}

// Get returns the config of role r.
func (rs *Roles) Get(r agents.Role) *RoleConfig {
	switch r {
	case agents.Soldier:
		return &rs.Soldier
	case agents.Elite:
		return &rs.Elite
	}
	return &rs.Citizen
}

// RoleConfig holds one role's population, attribute distributions, incentive
// weights and decision rule.
type RoleConfig struct {
	// PerMillion is the number of agents per million inhabitants of a region
	// (before Scale).
	PerMillion float64 `yaml:"per_million" json:"per_million"`
	// MinPerRegion is the least number of agents of this role in a region
	// (before Scale), so small regions still have meaningful shares.
	MinPerRegion int `yaml:"min_per_region" json:"min_per_region"`
	// AlignmentShift is added to the group's mean alignment for this role.
	AlignmentShift float64 `yaml:"alignment_shift" json:"alignment_shift"`
	// AlignmentSD is the spread of alignment around the mean (beta
	// distribution).
	AlignmentSD float64 `yaml:"alignment_sd" json:"alignment_sd"`
	// Economic is the distribution of economic hardship h ∈ [0,1]
	// (citizens) or of the outside option o > 0 in units of baseline pay
	// (soldiers, elites).
	Economic agents.Dist `yaml:"economic" json:"economic"`
	// RiskAversion is the distribution of risk aversion ρ ∈ [0,1].
	RiskAversion agents.Dist `yaml:"risk_aversion" json:"risk_aversion"`
	// Threshold is the distribution of the personal threshold θ.
	Threshold agents.Dist `yaml:"threshold" json:"threshold"`
	// Weights are the incentive weights.
	Weights Weights `yaml:"weights" json:"weights"`
	// Observes weights what the social term watches: the defected share of
	// each role in the agent's region last tick (normalised by the sum).
	Observes Observes `yaml:"observes" json:"observes"`
	// GroupSocial ∈ [0,1] is the part of the social term read from the
	// agent's own group: S = (1−GroupSocial)·S_region + GroupSocial·S_group,
	// where S_group uses the same Observes weights on the defected shares of
	// the agent's group only (ethnic segmentation of the signal; 0 = the
	// whole region is one audience).
	GroupSocial float64 `yaml:"group_social" json:"group_social"`
	// Rule is the decision rule.
	Rule agents.Rule `yaml:"rule" json:"rule"`
	// JailMin and JailMax bound the jail (citizens) or purge (soldiers,
	// elites) term in ticks, drawn uniformly.
	JailMin int `yaml:"jail_min" json:"jail_min"`
	JailMax int `yaml:"jail_max" json:"jail_max"`
}

// Weights are the incentive weights of U = wI·I + wE·E + wS·S − wC·C.
type Weights struct {
	Ideological float64 `yaml:"ideological" json:"ideological"`
	Economic    float64 `yaml:"economic" json:"economic"`
	Social      float64 `yaml:"social" json:"social"`
	Coercive    float64 `yaml:"coercive" json:"coercive"`
}

// Observes weights the defected shares of the three roles in the social term.
type Observes struct {
	Citizen float64 `yaml:"citizen" json:"citizen"`
	Soldier float64 `yaml:"soldier" json:"soldier"`
	Elite   float64 `yaml:"elite" json:"elite"`
}

// Params are the regime's instruments and dynamics. All are numbers that a
// shock may set or scale for a window of ticks; Validate bounds them.
type Params struct {
	// Legitimacy ∈ [0,1] multiplies every region's base legitimacy (the
	// centre's standing; a discrediting event lowers it).
	Legitimacy float64 `yaml:"legitimacy" json:"legitimacy"`
	// LegitimacyRecovery ∈ [0,1] is the share of accumulated legitimacy
	// damage (from defections and arrests) that heals each tick.
	LegitimacyRecovery float64 `yaml:"legitimacy_recovery" json:"legitimacy_recovery"`
	// DefectionErosion ≥ 0: legitimacy damage per unit rise of a region's
	// defected share in one tick.
	DefectionErosion float64 `yaml:"defection_erosion" json:"defection_erosion"`
	// Backfire ≥ 0: legitimacy damage per unit of a region's population
	// arrested or purged in one tick (repression backfire).
	Backfire float64 `yaml:"backfire" json:"backfire"`
	// LegitimacyFloor ∈ [0,1]: accumulated damage cannot take a region's
	// legitimacy below LegitimacyFloor × its base legitimacy (the region's
	// input × Legitimacy × demonstration × sovereignty factor), so
	// legit = max(base − damage, floor × base). 0 (the default) is the
	// model without a floor; 1 makes damage inert.
	LegitimacyFloor float64 `yaml:"legitimacy_floor,omitempty" json:"legitimacy_floor,omitempty"`
	// Demonstration ∈ [0,1]: when a region exits, every other region loses
	// this share of its remaining base legitimacy, times their similarity.
	Demonstration float64 `yaml:"demonstration" json:"demonstration"`

	// Repression ∈ [0,1] is the severity of punishment and the intensity of
	// arrests.
	Repression float64 `yaml:"repression" json:"repression"`
	// Surveillance ∈ [0,1] caps the probability of detection.
	Surveillance float64 `yaml:"surveillance" json:"surveillance"`
	// ArrestK is k in P = surveillance·(1 − exp(−k·E/(1+D))) (Epstein 2002:
	// 2.3, so one enforcer per visible defector gives P ≈ 0.9·surveillance).
	ArrestK float64 `yaml:"arrest_k" json:"arrest_k"`
	// ArrestRate ∈ [0,1]: a visible defector is jailed or purged each tick
	// with probability ArrestRate·P·Repression.
	ArrestRate float64 `yaml:"arrest_rate" json:"arrest_rate"`
	// FamilyReprisal ≥ 0 raises the severity faced by defecting soldiers and
	// elites to Repression·(1 + FamilyReprisal).
	FamilyReprisal float64 `yaml:"family_reprisal" json:"family_reprisal"`
	// ParallelForces ≥ 0 is the size of praetorian forces as a share of the
	// initial soldier count, spread like the soldiers (times each region's
	// ParallelFactor). They never defect while the regime stands; they count
	// as enforcers and as coercive capacity.
	ParallelForces float64 `yaml:"parallel_forces" json:"parallel_forces"`

	// Pay is soldiers' pay per tick in units of baseline pay (1 = baseline).
	Pay float64 `yaml:"pay" json:"pay"`
	// ElitePay is elites' budget pay per tick in units of baseline pay.
	ElitePay float64 `yaml:"elite_pay" json:"elite_pay"`
	// ExtraRewards ≥ 0 are extra-budget rewards to soldiers per tick (paid
	// outside the budget, so never in arrears).
	ExtraRewards float64 `yaml:"extra_rewards" json:"extra_rewards"`
	// EnterpriseRents ≥ 0 are soldiers' income from military-run enterprises
	// per tick, independent of the budget, scaled by the economy index.
	EnterpriseRents float64 `yaml:"enterprise_rents" json:"enterprise_rents"`
	// EliteRents ≥ 0 are elites' rents from their own region per tick, scaled
	// by the region's revenue (economy index × tax compliance).
	EliteRents float64 `yaml:"elite_rents" json:"elite_rents"`

	// Economy is the economy index (1 = the start).
	Economy float64 `yaml:"economy" json:"economy"`
	// EconomyDecline is the fractional fall of the economy index per tick.
	EconomyDecline float64 `yaml:"economy_decline" json:"economy_decline"`
	// Hardship ∈ [0,1] is regional hardship at economy index 1; hardship
	// rises as the economy falls: H = clamp(Hardship + 1 − economy, 0, 1)
	// times the region's hardship factor.
	Hardship float64 `yaml:"hardship" json:"hardship"`
	// TaxCompliance ∈ [0,1]: how much of a region's revenue depends on its
	// citizens' compliance (defected citizens pay nothing in that share).
	TaxCompliance float64 `yaml:"tax_compliance" json:"tax_compliance"`
	// Reserves ≥ 0 are the initial reserves in ticks of initial revenue
	// (read at reset; not shockable).
	Reserves float64 `yaml:"reserves" json:"reserves"`
	// SoldierPayroll ≥ 0 is the soldiers' payroll at Pay = 1 as a share of
	// initial revenue per tick.
	SoldierPayroll float64 `yaml:"soldier_payroll" json:"soldier_payroll"`
	// ElitePayroll ≥ 0 is the elites' payroll at ElitePay = 1 as a share of
	// initial revenue per tick.
	ElitePayroll float64 `yaml:"elite_payroll" json:"elite_payroll"`
	// OtherSpending ≥ 0 is the centre's other spending (ministries,
	// subsidies, debt) as a share of initial revenue; it does not shrink when
	// regions leave.
	OtherSpending float64 `yaml:"other_spending" json:"other_spending"`
	// RepressionCost ≥ 0 is the cost of repression at Repression = 1 as a
	// share of initial revenue per tick.
	RepressionCost float64 `yaml:"repression_cost" json:"repression_cost"`

	// RepressionResponse ≥ 0 (adaptive policy): repression rises by this
	// much per unit of protest (citizen defected share) above
	// ProtestTolerance, up to RepressionMax.
	RepressionResponse float64 `yaml:"repression_response" json:"repression_response"`
	// ProtestTolerance ∈ [0,1] is the protest share the regime tolerates.
	ProtestTolerance float64 `yaml:"protest_tolerance" json:"protest_tolerance"`
	// RepressionMax ∈ [0,1] caps adaptive repression.
	RepressionMax float64 `yaml:"repression_max" json:"repression_max"`
	// PayResponse ≥ 0 (adaptive policy): when the soldier defected share
	// exceeds PayTrigger and reserves are positive, Pay and ExtraRewards rise
	// by this much per tick (a ratchet), up to PayMax.
	PayResponse float64 `yaml:"pay_response" json:"pay_response"`
	// PayTrigger ∈ [0,1] is the soldier defected share that triggers raises.
	PayTrigger float64 `yaml:"pay_trigger" json:"pay_trigger"`
	// PayMax caps the raises, in units of baseline pay.
	PayMax float64 `yaml:"pay_max" json:"pay_max"`
	// PurgeRate ∈ [0,1] (adaptive policy): while the soldier or elite
	// defected share exceeds PurgeTrigger, each defected soldier and elite is
	// purged with extra probability PurgeRate·Surveillance, and each loyal one
	// with probability PurgeRate·PurgeFalsePositive.
	PurgeRate float64 `yaml:"purge_rate" json:"purge_rate"`
	// PurgeTrigger ∈ [0,1] is the defected share that starts purges.
	PurgeTrigger float64 `yaml:"purge_trigger" json:"purge_trigger"`
	// PurgeFalsePositive ∈ [0,1] is the share of purge victims' probability
	// that falls on loyal agents.
	PurgeFalsePositive float64 `yaml:"purge_false_positive" json:"purge_false_positive"`

	// ForeignForces ≥ 0 are outside intervention forces sent to prop the
	// regime up (Bahrain's GCC Peninsula Shield, March 2011), as a share of
	// the initial soldier count, spread like the soldiers (times each
	// region's ParallelFactor). Like parallel forces they never defect while
	// the regime stands and count as enforcers and as coercive capacity; a
	// shock sets them from the date they arrive. Their base value also
	// counts in the initial capacity; they leave with the regime.
	ForeignForces float64 `yaml:"foreign_forces" json:"foreign_forces"`
	// ExternalFunds ≥ 0 are outside funds (allies' aid, sovereign funds
	// abroad) added to the regime's budget each tick, as a share of initial
	// revenue per tick: they pay salaries before reserves run down, so
	// arrears come later or never. They stop when the regime collapses.
	ExternalFunds float64 `yaml:"external_funds" json:"external_funds"`

	// The exit instruments below are read only when Config.Modes enables
	// exit (see Modes and docs/ODD.md, "Defection modes"); their zero
	// defaults leave every other scenario unchanged. Like every regime
	// parameter, a shock can set or scale them (Hungary's opening of its
	// border on 11 September 1989 is a shock on border_open).

	// BorderOpen ∈ [0,1] is the share of the border that is open: a
	// crossing through it always succeeds.
	BorderOpen float64 `yaml:"border_open,omitempty" json:"border_open,omitempty"`
	// BorderControl ∈ [0,1] is the chance that a crossing attempt through
	// the closed part of the border is stopped (before the region's
	// soldiers' defection weakens it: see ExitMode.Guards).
	BorderControl float64 `yaml:"border_control,omitempty" json:"border_control,omitempty"`
	// BorderLethality ∈ [0,1] is the chance that a stopped crossing is
	// lethal: a cost of exit, weighted by risk aversion.
	BorderLethality float64 `yaml:"border_lethality,omitempty" json:"border_lethality,omitempty"`
	// ExitVisas ∈ [0,1] is the per-tick chance that a would-be emigrant is
	// granted legal exit (emigration the regime allows to release
	// pressure).
	ExitVisas float64 `yaml:"exit_visas,omitempty" json:"exit_visas,omitempty"`
	// Minders ∈ [0,1] is the surveillance of people who travel abroad: it
	// cuts the travel route of flight, which only elites have.
	Minders float64 `yaml:"minders,omitempty" json:"minders,omitempty"`
	// Welcome ∈ [0,1] is the welcome abroad (asylum, automatic citizenship
	// as West Germany granted East Germans): the pull of exit.
	Welcome float64 `yaml:"welcome,omitempty" json:"welcome,omitempty"`
}

// Detection holds the options of the detection probability
// P = surveillance·(1 − exp(−k·round(E/(1+D)))).
type Detection struct {
	// Rounding of the enforcer/defector ratio E/(1+D): "none" (Epstein
	// 2002 as published), "floor" (NetLogo's Rebellion model) or
	// "half_even" (Mesa's EpsteinCivilViolence, Python's round).
	Rounding string `yaml:"rounding" json:"rounding"`
}

// round applies the rounding to the ratio x.
func (d Detection) round(x float64) float64 {
	switch d.Rounding {
	case "floor":
		return math.Floor(x)
	case "half_even":
		return math.RoundToEven(x)
	}
	return x
}

// Network is the social network agents observe (see agents.GraphSpec for
// the kinds). Every agent of every role is a node; an agent's region is its
// community. With a network, the region-wide part of an agent's social term,
// wS·(1−group_social)·S_region, becomes
//
//	wS·(1−group_social)·((1−Weight)·S_region + Weight·S_neighbours)
//
// where S_neighbours is the defected share of the agent's neighbours at the
// end of the last tick, each neighbour weighted by the observer role's
// Observes weight for the neighbour's role (0 for an agent without observed
// neighbours).
type Network struct {
	// Kind is "none" (the default: agents observe their region), "random"
	// or "small_world".
	Kind string `yaml:"kind" json:"kind"`
	// Degree is the mean number of neighbours of a random network; a
	// small world links each agent to the ⌊Degree/2⌋ next members of its
	// ring on each side, so its degree is 2⌊Degree/2⌋ (Degree >= 2).
	Degree float64 `yaml:"degree" json:"degree"`
	// Local ∈ [0,1] is the share of an agent's random links drawn inside
	// its own region.
	Local float64 `yaml:"local" json:"local"`
	// Rewire ∈ [0,1] is the small-world rewiring probability.
	Rewire float64 `yaml:"rewire" json:"rewire"`
	// Weight ∈ [0,1] is the share of the region-wide social signal read
	// from neighbours instead.
	Weight float64 `yaml:"weight" json:"weight"`
	// Seed, when not 0, fixes the graph: it is drawn once from Seed and
	// shared by every run (a common network across replicates). With 0,
	// each run draws its own graph from its seed.
	Seed uint64 `yaml:"seed" json:"seed"`
}

// Enabled reports whether the network is on.
func (n Network) Enabled() bool { return n.Kind == "random" || n.Kind == "small_world" }

// spec returns the graph spec of n.
func (n Network) spec() agents.GraphSpec {
	return agents.GraphSpec{Kind: n.Kind, Degree: n.Degree, Local: n.Local, Rewire: n.Rewire}
}

// Region is a region (a union republic, a province) of the state.
type Region struct {
	// Name identifies the region.
	Name string `yaml:"name" json:"name"`
	// PopulationM is the population in millions; agent counts are
	// proportional to it.
	PopulationM float64 `yaml:"population_m" json:"population_m"`
	// Legitimacy ∈ [0,1] is the regime's base legitimacy in the region.
	Legitimacy float64 `yaml:"legitimacy" json:"legitimacy"`
	// Groups are the population shares of the groups, summing to at most 1;
	// the remainder is added to the last group listed in Config.Groups.
	Groups map[string]float64 `yaml:"groups" json:"groups"`
	// DraftCompliance ∈ [0,1] is the share of conscripts who report (1 when
	// unknown).
	//
	// The defaults of DraftCompliance and the three factors below (1) are
	// filled by YAML, NewRegion and RegionDefaults; in a Go struct literal
	// an omitted field is 0 (see NewRegion).
	DraftCompliance float64 `yaml:"draft_compliance" json:"draft_compliance"`
	// HardshipFactor ≥ 0 multiplies regional hardship (default 1, see
	// above).
	HardshipFactor float64 `yaml:"hardship_factor" json:"hardship_factor"`
	// RevenueFactor ≥ 0 multiplies the region's revenue per inhabitant
	// (default 1, see above).
	RevenueFactor float64 `yaml:"revenue_factor" json:"revenue_factor"`
	// ParallelFactor ≥ 0 multiplies the parallel and foreign forces
	// stationed in the region, per soldier (default 1, see above: spread like the
	// soldiers; Libya's regime brigades sat around Tripoli and Sirte, not in
	// the east). Give factors whose soldier-weighted mean is 1 to keep the
	// national total.
	ParallelFactor float64 `yaml:"parallel_factor" json:"parallel_factor"`
}

// ExitRule: a region exits when its elite defected share is at least Elite
// and its citizen share is at least Citizen or its soldier share is at least
// Soldier, for Persist consecutive ticks. With Enabled false regions never
// exit (a single-country scenario).
type ExitRule struct {
	Enabled bool    `yaml:"enabled" json:"enabled"`
	Elite   float64 `yaml:"elite" json:"elite"`
	Citizen float64 `yaml:"citizen" json:"citizen"`
	Soldier float64 `yaml:"soldier" json:"soldier"`
	Persist int     `yaml:"persist" json:"persist"`
	// SimilarityBandwidth is σ in the similarity exp(−d²/2σ²) of regions'
	// features (legitimacy and group shares), which weights the
	// demonstration effect.
	SimilarityBandwidth float64 `yaml:"similarity_bandwidth" json:"similarity_bandwidth"`
}

// CollapseRule: the regime collapses when exited regions hold more than
// ExitedPopulation of the population, or coercive capacity (loyal soldiers
// plus parallel and foreign forces) falls below CapacityFloor of its
// initial value.
// After a collapse the centre pays nothing and has no legitimacy,
// repression or surveillance; with Stop set the run ends there.
type CollapseRule struct {
	ExitedPopulation float64 `yaml:"exited_population" json:"exited_population"`
	CapacityFloor    float64 `yaml:"capacity_floor" json:"capacity_floor"`
	Stop             bool    `yaml:"stop" json:"stop"`
}

// CascadeRule: a cascade of a role is reported when its defected share rises
// from at most From to at least To within Within ticks.
type CascadeRule struct {
	From   float64 `yaml:"from" json:"from"`
	To     float64 `yaml:"to" json:"to"`
	Within int     `yaml:"within" json:"within"`
}

// Shock changes regime parameters for a window of ticks: from tick Tick (or
// the tick containing date At) for Duration ticks (0: to the end of the run).
// Set replaces a parameter, Scale multiplies it; keys are paths such as
// "regime.repression". Active shocks apply in the order listed, each to the
// result of the ones before (within one shock, sets before scales); a
// scaled [0,1] parameter is capped at 1.
type Shock struct {
	Name     string             `yaml:"name" json:"name"`
	At       *Date              `yaml:"at,omitempty" json:"at,omitempty"`
	Tick     *int               `yaml:"tick,omitempty" json:"tick,omitempty"`
	Duration int                `yaml:"duration" json:"duration"`
	Set      map[string]float64 `yaml:"set,omitempty" json:"set,omitempty"`
	Scale    map[string]float64 `yaml:"scale,omitempty" json:"scale,omitempty"`
}

// History is the observed record: outcomes to score a run against, never
// inputs.
type History struct {
	// Exits maps region names to the date the region left.
	Exits map[string]Date `yaml:"exits" json:"exits"`
	// Declarations maps region names to the date the region declared
	// sovereignty (scored when Config.Sovereignty is set).
	Declarations map[string]Date `yaml:"declarations,omitempty" json:"declarations,omitempty"`
	// Outcome is the observed military response, one of the OutcomeRule
	// classes ("defected", "split", "loyal"), or empty when not scored.
	Outcome Outcome `yaml:"outcome,omitempty" json:"outcome,omitempty"`
	// Series are observed time series scored against model outputs
	// (summary.json "series"; see Series).
	Series []Series `yaml:"series,omitempty" json:"series,omitempty"`
	// Source cites where the dates come from.
	Source string `yaml:"source" json:"source"`
}

// DefaultConfig returns the documented baseline: one region of one million
// people, weekly ticks from 1990-01-01 for 104 weeks. Scenarios override it.
func DefaultConfig() Config {
	citizen := RoleConfig{
		PerMillion: 400, MinPerRegion: 200,
		AlignmentShift: 0, AlignmentSD: 0.15,
		Economic:     agents.Dist{Kind: "uniform", Min: 0, Max: 1},
		RiskAversion: agents.Dist{Kind: "uniform", Min: 0, Max: 1},
		Threshold:    agents.Dist{Kind: "normal", Mean: 0.45, SD: 0.1},
		Weights:      Weights{Ideological: 1, Economic: 0.3, Social: 0.35, Coercive: 1},
		Observes:     Observes{Citizen: 1},
		Rule:         agents.Rule{Kind: "threshold", Hysteresis: 0.05},
		JailMin:      1, JailMax: 30,
	}
	soldier := citizen
	soldier.PerMillion, soldier.MinPerRegion = 60, 100
	soldier.AlignmentShift = 0.1
	soldier.Economic = agents.Dist{Kind: "lognormal", Mean: 1, SD: 0.3}
	soldier.Threshold = agents.Dist{Kind: "normal", Mean: 0.6, SD: 0.1}
	soldier.Weights = Weights{Ideological: 0.8, Economic: 0.5, Social: 0.5, Coercive: 1}
	soldier.Observes = Observes{Citizen: 0.5, Soldier: 1}
	soldier.JailMin, soldier.JailMax = 4, 26
	elite := soldier
	elite.PerMillion, elite.MinPerRegion = 15, 50
	elite.AlignmentShift = 0.05
	elite.Threshold = agents.Dist{Kind: "normal", Mean: 0.5, SD: 0.1}
	elite.Weights = Weights{Ideological: 1, Economic: 0.5, Social: 0.6, Coercive: 1}
	elite.Observes = Observes{Citizen: 0.5, Soldier: 0.5, Elite: 1}
	return Config{
		Name:        "default",
		Description: "one region, baseline parameters",
		Start:       DateOf(1990, 1, 1),
		TickDays:    7,
		Ticks:       104,
		Scale:       1,
		Population:  Population{SoldierLocalShare: 1},
		Groups:      []Group{{Name: "all", Alignment: 0.5}},
		Roles:       Roles{Citizen: citizen, Soldier: soldier, Elite: elite},
		Regime: Params{
			Legitimacy: 1, LegitimacyRecovery: 0.05, DefectionErosion: 0.5, Backfire: 1, Demonstration: 0.2,
			Repression: 0.4, Surveillance: 0.7, ArrestK: 2.3, ArrestRate: 0.2,
			Pay: 1, ElitePay: 1,
			Economy: 1, Hardship: 0.2, TaxCompliance: 0.5, Reserves: 10,
			SoldierPayroll: 0.3, ElitePayroll: 0.1, OtherSpending: 0.55, RepressionCost: 0.05,
			ProtestTolerance: 0.1, RepressionMax: 1, PayTrigger: 0.1, PayMax: 2, PurgeTrigger: 0.1, PurgeFalsePositive: 0.1,
		},
		Regions:   []Region{{Name: "all", PopulationM: 1, Legitimacy: 0.6, DraftCompliance: 1, HardshipFactor: 1, RevenueFactor: 1, ParallelFactor: 1}},
		Detection: Detection{Rounding: "none"},
		Network:   Network{Kind: "none", Degree: 10, Local: 0.9, Rewire: 0.1, Weight: 1},
		Exit:      ExitRule{Enabled: true, Elite: 0.5, Citizen: 0.3, Soldier: 0.3, Persist: 1, SimilarityBandwidth: 0.3},
		Collapse:  CollapseRule{ExitedPopulation: 0.5, CapacityFloor: 0.25},
		Cascade:   CascadeRule{From: 0.1, To: 0.5, Within: 8},
		Outcome:   DefaultOutcomeRule(),
	}
}

// RegionDefaults returns a Region with the documented defaults of its
// optional fields (DraftCompliance, HardshipFactor, RevenueFactor,
// ParallelFactor = 1).
func RegionDefaults() Region {
	return Region{DraftCompliance: 1, HardshipFactor: 1, RevenueFactor: 1, ParallelFactor: 1}
}

// FieldError locates a problem by field path.
type FieldError = agents.FieldError

// Validate checks every field and returns all problems joined, each a
// *FieldError naming the field path, the constraint and the value.
func (c *Config) Validate() error {
	var errs []error
	add := func(field string, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	unit := func(field string, v float64) {
		if !(v >= 0 && v <= 1) {
			add(field, "must be in [0,1], got %g", v)
		}
	}
	nonneg := func(field string, v float64) {
		if !(v >= 0) || math.IsInf(v, 0) {
			add(field, "must be finite and >= 0, got %g", v)
		}
	}
	if c.Name == "" {
		add("name", "must not be empty")
	}
	if c.Start.IsZero() {
		add("start", "must be a date after 0001-01-01 (YYYY-MM-DD), got %s", c.Start.Format("2006-01-02"))
	}
	if !(c.TickDays > 0) {
		add("tick_days", "must be > 0, got %g", c.TickDays)
	}
	if c.Ticks <= 0 {
		add("ticks", "must be > 0, got %d", c.Ticks)
	} else if c.TickDays > 0 && float64(c.Ticks)*c.TickDays > MaxSpanDays {
		add("ticks", "ticks × tick_days = %d × %g days is more than %d years (the most a run may span)", c.Ticks, c.TickDays, MaxSpanDays/365)
	}
	if !(c.Scale > 0) || math.IsInf(c.Scale, 0) {
		add("scale", "must be > 0, got %g", c.Scale)
	} else if c.rolesValid() {
		for r, counts := range c.agentCounts() {
			n := 0
			for _, v := range counts {
				n += v
			}
			if n >= math.MaxInt32 {
				// The counts are capped at 2^31−1 a region: report the
				// number the scale asks for, not the cap.
				want := 0.0
				rc := c.Roles.Get(agents.Role(r))
				for _, g := range c.Regions {
					want += math.Max(rc.PerMillion*g.PopulationM, float64(rc.MinPerRegion)) * c.Scale
				}
				add("scale", "gives %.3g %ss, more than 2^31", want, agents.Role(r))
			}
		}
	}
	unit("population.stacking", c.Population.Stacking)
	unit("population.elite_stacking", c.Population.EliteStacking)
	unit("population.soldier_local_share", c.Population.SoldierLocalShare)
	nonneg("population.draft_effect", c.Population.DraftEffect)
	if len(c.Groups) == 0 || len(c.Groups) > agents.MaxGroups {
		add("groups", "must list 1 to %d groups, got %d", agents.MaxGroups, len(c.Groups))
	}
	groups := map[string]bool{}
	for i, g := range c.Groups {
		f := fmt.Sprintf("groups[%d]", i)
		if g.Name == "" {
			add(f+".name", "must not be empty")
		} else if groups[g.Name] {
			add(f+".name", "duplicate group %q", g.Name)
		}
		groups[g.Name] = true
		unit(f+".alignment", g.Alignment)
	}
	if c.Population.CoreGroup != "" && !groups[c.Population.CoreGroup] {
		add("population.core_group", "names no group: %q", c.Population.CoreGroup)
	}
	for _, r := range agents.Roles {
		errs = append(errs, agents.Prefix("roles."+r.String(), c.Roles.Get(r).validate(r)))
	}
	errs = append(errs, c.Regime.validate())
	if len(c.Regions) == 0 {
		add("regions", "must list at least one region")
	}
	regions := map[string]bool{}
	for i, g := range c.Regions {
		f := fmt.Sprintf("regions[%d]", i)
		if g.Name == "" {
			add(f+".name", "must not be empty")
		} else if regions[g.Name] {
			add(f+".name", "duplicate region %q", g.Name)
		}
		regions[g.Name] = true
		if !(g.PopulationM > 0) || math.IsInf(g.PopulationM, 0) {
			add(f+".population_m", "must be > 0, got %g", g.PopulationM)
		}
		unit(f+".legitimacy", g.Legitimacy)
		unit(f+".draft_compliance", g.DraftCompliance)
		nonneg(f+".hardship_factor", g.HardshipFactor)
		nonneg(f+".revenue_factor", g.RevenueFactor)
		nonneg(f+".parallel_factor", g.ParallelFactor)
		if g.DraftCompliance == 0 && g.HardshipFactor == 0 && g.RevenueFactor == 0 && g.ParallelFactor == 0 {
			add(f, "draft_compliance, hardship_factor, revenue_factor and parallel_factor are all 0 (no conscripts, revenue, hardship or parallel forces): a Go struct literal leaves them 0, not their default 1; build regions with regime.NewRegion or regime.RegionDefaults")
		}
		sum := 0.0
		for _, name := range sortedKeys(g.Groups) {
			v := g.Groups[name]
			if !groups[name] {
				add(f+".groups."+name, "names no group")
			}
			unit(f+".groups."+name, v)
			sum += v
		}
		if sum > 1+1e-9 {
			add(f+".groups", "shares must sum to at most 1, got %g", sum)
		}
	}
	switch c.Network.Kind {
	case "none", "random", "small_world":
	default:
		add("network.kind", "must be none, random or small_world, got %q", c.Network.Kind)
	}
	// The fields are checked whatever the kind, so a sweep or --set over a
	// network field gets its range checked even before the network is on.
	spec := c.Network.spec()
	if !c.Network.Enabled() {
		spec.Kind = "random"
	}
	errs = append(errs, agents.Prefix("network", spec.Validate()))
	unit("network.weight", c.Network.Weight)
	if c.Network.Enabled() {
		if c.Scale > 0 && c.rolesValid() {
			if n := c.Agents(); uint64(n) > math.MaxUint32 {
				add("network", "needs at most 2^32 agents, got %d", n)
			}
		}
	}
	switch c.Detection.Rounding {
	case "none", "floor", "half_even":
	default:
		add("detection.rounding", "must be none, floor or half_even, got %q", c.Detection.Rounding)
	}
	unit("exit.elite", c.Exit.Elite)
	unit("exit.citizen", c.Exit.Citizen)
	unit("exit.soldier", c.Exit.Soldier)
	if c.Exit.Persist < 1 {
		add("exit.persist", "must be >= 1, got %d", c.Exit.Persist)
	}
	if c.Exit.Enabled && c.Ticks > 0 && c.Exit.Persist > c.Ticks {
		add("exit.persist", "is %d ticks, longer than the run (%d): no region can exit (set exit.enabled: false to say so)", c.Exit.Persist, c.Ticks)
	}
	if !(c.Exit.SimilarityBandwidth > 0) {
		add("exit.similarity_bandwidth", "must be > 0, got %g", c.Exit.SimilarityBandwidth)
	}
	unit("collapse.exited_population", c.Collapse.ExitedPopulation)
	unit("collapse.capacity_floor", c.Collapse.CapacityFloor)
	unit("cascade.from", c.Cascade.From)
	unit("cascade.to", c.Cascade.To)
	if c.Cascade.To <= c.Cascade.From {
		add("cascade.to", "must be > cascade.from (%g), got %g", c.Cascade.From, c.Cascade.To)
	}
	if c.Cascade.Within < 1 {
		add("cascade.within", "must be >= 1, got %d", c.Cascade.Within)
	}
	for i, s := range c.Shocks {
		f := fmt.Sprintf("shocks[%d]", i)
		if (s.At == nil) == (s.Tick == nil) {
			add(f, "needs exactly one of at (a date) or tick")
		}
		if s.Tick != nil && *s.Tick < 0 {
			add(f+".tick", "must be >= 0, got %d", *s.Tick)
		}
		if s.Tick != nil && c.Ticks > 0 && *s.Tick >= c.Ticks {
			add(f+".tick", "starts at tick %d, after the last tick of the run (%d)", *s.Tick, c.Ticks-1)
		}
		if s.At != nil && !c.Start.IsZero() && c.TickDays > 0 && c.Ticks > 0 && c.TickOf(*s.At) >= c.Ticks {
			add(f+".at", "is after the end of the run (%s)", c.DateOf(c.Ticks))
		}
		if s.At != nil && !c.Start.IsZero() && s.At.Before(c.Start.Time) {
			add(f+".at", "is before start %s: %s", c.Start, s.At)
		}
		if s.Duration < 0 {
			add(f+".duration", "must be >= 0 (0 = to the end), got %d", s.Duration)
		}
		if len(s.Set)+len(s.Scale) == 0 {
			add(f, "changes nothing: give set or scale")
		}
		for _, k := range sortedKeys(s.Set) {
			if i, err := paramIndex(k); err != nil {
				add(f+".set."+k, "%v", err)
			} else if v := s.Set[k]; unitParam[i] && !(v >= 0 && v <= 1) {
				add(f+".set."+k, "must be in [0,1], got %g", v)
			} else if !(v >= 0) || math.IsInf(v, 0) {
				add(f+".set."+k, "must be finite and >= 0, got %g", v)
			}
		}
		for _, k := range sortedKeys(s.Scale) {
			if _, err := paramIndex(k); err != nil {
				add(f+".scale."+k, "%v", err)
			} else if !(s.Scale[k] >= 0) || math.IsInf(s.Scale[k], 0) {
				add(f+".scale."+k, "must be finite and >= 0, got %g", s.Scale[k])
			}
		}
	}
	for _, name := range sortedKeys(c.History.Exits) {
		if !regions[name] {
			add("history.exits."+name, "names no region")
		}
	}
	for _, name := range sortedKeys(c.History.Declarations) {
		if !regions[name] {
			add("history.declarations."+name, "names no region")
		}
	}
	if c.Sovereignty != nil {
		errs = append(errs, c.Sovereignty.validate())
	}
	if c.Bargain != nil {
		errs = append(errs, c.Bargain.validate(c))
	}
	if c.Assets != nil {
		errs = append(errs, c.Assets.validate(c))
	}
	if c.Modes != nil {
		errs = append(errs, c.Modes.validate())
		for _, r := range agents.Roles {
			if c.Roles.Get(r).Rule.Kind == "game" {
				add("modes", "cannot be combined with the game rule (roles.%s.rule.kind is game)", r)
			}
		}
	}
	errs = append(errs, c.Outcome.validate())
	if h := c.History.Outcome; h != "" && !h.valid() {
		add("history.outcome", "must be defected, split or loyal, got %q", string(h))
	}
	errs = append(errs, c.History.validateSeries(c))
	return errors.Join(errs...)
}

func (rc *RoleConfig) validate(r agents.Role) error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	if !(rc.PerMillion >= 0) || math.IsInf(rc.PerMillion, 0) {
		add("per_million", "must be finite and >= 0, got %g", rc.PerMillion)
	}
	if rc.MinPerRegion < 1 {
		add("min_per_region", "must be >= 1, got %d", rc.MinPerRegion)
	}
	if math.Abs(rc.AlignmentShift) > 1 {
		add("alignment_shift", "must be in [-1,1], got %g", rc.AlignmentShift)
	}
	if !(rc.AlignmentSD >= 0 && rc.AlignmentSD < 0.5) {
		add("alignment_sd", "must be in [0,0.5), got %g", rc.AlignmentSD)
	}
	errs = append(errs, agents.Prefix("economic", rc.Economic.Validate()))
	if r != agents.Citizen && rc.Economic.Kind != "" && rc.Economic.Validate() == nil {
		lo := rc.Economic.Min
		if rc.Economic.Max <= rc.Economic.Min {
			lo = math.Inf(-1)
		}
		if rc.Economic.Kind == "normal" || rc.Economic.Kind == "uniform" || rc.Economic.Kind == "const" {
			if !(lo > 0) && !(rc.Economic.Kind == "const" && rc.Economic.Mean > 0) {
				add("economic", "the outside option must stay > 0: set min > 0 or use lognormal")
			}
		}
	}
	errs = append(errs, agents.Prefix("risk_aversion", rc.RiskAversion.Validate()))
	errs = append(errs, agents.Prefix("threshold", rc.Threshold.Validate()))
	for _, w := range []struct {
		name string
		v    float64
	}{
		{"weights.ideological", rc.Weights.Ideological}, {"weights.economic", rc.Weights.Economic},
		{"weights.social", rc.Weights.Social}, {"weights.coercive", rc.Weights.Coercive},
		{"observes.citizen", rc.Observes.Citizen}, {"observes.soldier", rc.Observes.Soldier}, {"observes.elite", rc.Observes.Elite},
	} {
		if !(w.v >= 0) || math.IsInf(w.v, 0) {
			add(w.name, "must be finite and >= 0, got %g", w.v)
		}
	}
	if rc.Observes.Citizen+rc.Observes.Soldier+rc.Observes.Elite == 0 && rc.Weights.Social > 0 {
		add("observes", "needs a positive weight when weights.social > 0")
	}
	if !(rc.GroupSocial >= 0 && rc.GroupSocial <= 1) {
		add("group_social", "must be in [0,1], got %g", rc.GroupSocial)
	}
	errs = append(errs, agents.Prefix("rule", rc.Rule.Validate()))
	if rc.JailMin < 1 || rc.JailMin > 65535 {
		add("jail_min", "must be in [1,65535] ticks, got %d", rc.JailMin)
	}
	if rc.JailMax < rc.JailMin || rc.JailMax > 65535 {
		add("jail_max", "must be in [jail_min,65535] ticks, got %d", rc.JailMax)
	}
	return errors.Join(errs...)
}

// unitParam[i] reports whether Params field i is bounded to [0,1].
var unitParam = func() []bool {
	u := make([]bool, len(paramNames))
	for i, n := range paramNames {
		u[i] = unitParams[n]
	}
	return u
}()

// unitParams are the Params fields bounded to [0,1]; every other field must
// be finite and >= 0.
var unitParams = map[string]bool{
	"legitimacy": true, "legitimacy_recovery": true, "legitimacy_floor": true, "demonstration": true, "repression": true,
	"surveillance": true, "arrest_rate": true, "hardship": true, "tax_compliance": true,
	"protest_tolerance": true, "repression_max": true, "pay_trigger": true, "purge_rate": true,
	"purge_trigger": true, "purge_false_positive": true,
	"border_open": true, "border_control": true, "border_lethality": true, "exit_visas": true,
	"minders": true, "welcome": true,
}

func (p *Params) validate() error {
	var errs []error
	v := reflect.ValueOf(p).Elem()
	for i := 0; i < v.NumField(); i++ {
		name := paramNames[i]
		x := v.Field(i).Float()
		switch {
		case unitParams[name] && !(x >= 0 && x <= 1):
			errs = append(errs, &FieldError{Field: "regime." + name, Err: fmt.Errorf("must be in [0,1], got %g", x)})
		case !(x >= 0) || math.IsInf(x, 0):
			errs = append(errs, &FieldError{Field: "regime." + name, Err: fmt.Errorf("must be finite and >= 0, got %g", x)})
		}
	}
	return errors.Join(errs...)
}

// paramNames are the YAML names of Params' fields, in field order.
var paramNames = func() []string {
	t := reflect.TypeFor[Params]()
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
	}
	return names
}()

// initialOnly are Params read once at reset, which a shock cannot change.
var initialOnly = map[string]bool{"reserves": true}

// paramIndex resolves "regime.<name>" to the index of a shockable Params
// field.
func paramIndex(path string) (int, error) {
	name, ok := strings.CutPrefix(path, "regime.")
	if ok && initialOnly[name] {
		return 0, fmt.Errorf("is an initial value, read once at reset; a shock cannot change it")
	}
	if ok {
		for i, n := range paramNames {
			if n == name {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("is not a regime parameter (want regime.<name>, one of %s)", strings.Join(paramNames, ", "))
}

// ParamNames returns the names of the shockable regime parameters.
func ParamNames() []string {
	var out []string
	for _, n := range paramNames {
		if !initialOnly[n] {
			out = append(out, n)
		}
	}
	return out
}

// UnmarshalYAML decodes a region, starting from RegionDefaults so omitted
// optional fields keep their documented defaults.
func (r *Region) UnmarshalYAML(n *yaml.Node) error {
	type plain Region
	p := plain(RegionDefaults())
	if err := n.Decode(&p); err != nil {
		return err
	}
	*r = Region(p)
	return nil
}

// Clone returns a deep copy of c: changing the copy's slices, maps or
// pointers never changes c (configs are shared by sweep workers).
func (c Config) Clone() Config {
	d := c
	d.Groups = slices.Clone(c.Groups)
	d.Regions = slices.Clone(c.Regions)
	for i := range d.Regions {
		d.Regions[i].Groups = maps.Clone(c.Regions[i].Groups)
	}
	d.Shocks = slices.Clone(c.Shocks)
	for i, s := range c.Shocks {
		d.Shocks[i].Set = maps.Clone(s.Set)
		d.Shocks[i].Scale = maps.Clone(s.Scale)
		if s.At != nil {
			at := *s.At
			d.Shocks[i].At = &at
		}
		if s.Tick != nil {
			tk := *s.Tick
			d.Shocks[i].Tick = &tk
		}
	}
	d.History.Exits = maps.Clone(c.History.Exits)
	d.History.Declarations = maps.Clone(c.History.Declarations)
	d.History.Series = cloneSeries(c.History.Series)
	if c.Sovereignty != nil {
		sv := *c.Sovereignty
		d.Sovereignty = &sv
	}
	if c.Bargain != nil {
		bg := *c.Bargain
		d.Bargain = &bg
	}
	if c.Assets != nil {
		as := *c.Assets
		if as.Consequences != nil {
			k := *as.Consequences
			as.Consequences = &k
		}
		d.Assets = &as
	}
	if c.Modes != nil {
		md := *c.Modes
		d.Modes = &md
	}
	return d
}

// rolesValid reports whether the role sizes can be computed.
func (c *Config) rolesValid() bool {
	for _, r := range agents.Roles {
		rc := c.Roles.Get(r)
		if !(rc.PerMillion >= 0) || math.IsInf(rc.PerMillion, 0) || rc.MinPerRegion < 1 {
			return false
		}
	}
	for _, g := range c.Regions {
		if !(g.PopulationM > 0) || math.IsInf(g.PopulationM, 0) {
			return false
		}
	}
	return true
}

// MaxSpanDays is the longest time a run may span (ticks × tick_days):
// 10 000 years of 365 days. Dates stay exact over the whole span.
const MaxSpanDays = 3_650_000
