// Package regime is turncoat's defection model: citizens, soldiers and
// elites (package agents) living in regions under a regime with legitimacy,
// repression, surveillance, pay and a budget. [Model] implements
// abm.Model; [Config] is a complete scenario (usually loaded from YAML by
// package scenarios); [Run] and [RunDir] run one and return a [Result] with
// the time series ([TickRecord], [RegionRecord]), the [Event]s and the
// [Summary].
//
// Each tick (docs/ODD.md gives every equation):
//
//  1. scheduled shocks set or scale regime parameters ([Shock]);
//     adaptive policies raise repression with protest, raise pay and
//     extra-budget rewards while soldiers defect and reserves last, and
//     purge while defection exceeds a trigger;
//  2. the economy declines; revenue from regions still in the state (less
//     what defected citizens withhold) pays the payroll, other spending and
//     repression; a shortfall becomes pay arrears;
//  3. each region's legitimacy is its base × the centre's legitimacy × the
//     demonstration loss, less damage from defections and arrests
//     (backfire) that heals over time;
//  4. every agent weighs its ideological, economic, social and coercive
//     incentives and decides; detected defectors are jailed or purged;
//  5. regions whose elites and citizens or soldiers have defected exit,
//     taking their agents, revenue and soldiers with them and lowering the
//     legitimacy of similar regions; the regime collapses when exited
//     regions hold most of the population or coercive capacity falls below
//     a floor.
//
// # Defection-proofing instruments
//
// Params has one field per instrument: ExtraRewards (extra-budget rewards),
// EnterpriseRents (military enterprises), Surveillance, ParallelForces,
// PurgeRate (purges), FamilyReprisal; Population.Stacking and
// Population.EliteStacking are ethnic or sectarian stacking of the army and
// of the elite from Population.CoreGroup; Region.ParallelFactor says where
// the praetorian units are garrisoned. Outside support is ForeignForces
// (intervention forces that never defect, usually set by a dated shock) and
// ExternalFunds (allies' money paid into the budget).
//
// # Defection modes
//
// With Config.Modes set ([Modes], [DefaultModes]) agents choose among
// loyalty, voice (the defection of the model without modes), exit (flight
// abroad: they leave for good and join the emigrant stock) and, for
// soldiers and elites, switching sides and shirking, by a multinomial
// logit or the highest utility over mode-specific utilities (Hirschman
// 1970, 1993; Lohmann 1994). The exit instruments are regime parameters
// that shocks can change: BorderOpen, BorderControl, BorderLethality,
// ExitVisas, Minders, Welcome (and FamilyReprisal). Defecting soldiers open
// their region's border; flights set off voice through the social term;
// emigrants take revenue with them. [TickRecord] and [RegionRecord]
// ([ModeCounts]) and the [Summary] ([ModeShares], EmigrantsTotal) carry the
// modes. Nil Modes leaves every output byte-identical. See docs/MODES.md
// and docs/ODD.md, Appendix C.
//
// # Outcome classes
//
// [OutcomeRule] classifies a run as [OutcomeDefected] (the regime
// collapsed), [OutcomeSplit] (no collapse, but the soldiers' defected share
// held at or above a threshold) or [OutcomeLoyal]; with Config.Outcome
// enabled the class is in the [Summary], and [ClassifyRuns] counts the
// classes over replicates ([OutcomeDist]). History.Outcome, the observed
// class, is for scoring only.
//
// # History series
//
// History.Series lists observed time series ([Series]) scored against a
// model output (a ticks.csv column, or a region's regions.csv column) at
// their dates: [Summary].Series holds, per series, the scored points and
// the fit on the shape ([Fit]: log correlation, level-free log RMSE, peak
// error, the ratio after/before a break) of the model and of naive
// baselines (constant, persistence, trend), all by [ScoreSeries]. See
// docs/GDR.md.
//
// # Determinism
//
// A run is a pure function of (Config, seed): Reset draws the population in
// a fixed order from the run stream and the dynamics use streams keyed by
// tick, role, region and block. No map is ranged over where order could
// matter. The history block of a Config is never read by the dynamics.
//
// # Building and extending in Go
//
// Build regions with [NewRegion] (it fills the defaults YAML fills) and
// override fields by path with [Config.Set], the code of the CLI's --set.
// Optional summary values are read with (value, ok) methods such as
// [Summary.SpearmanVsHistoryValue]. A [Model] takes Go extensions: a
// per-role decision rule ([Model.SetDecider], an agents.Decider), a
// reactive regime [Policy] between ticks ([Model.SetPolicy]) and a per-tick
// [Observer] ([Model.SetObserver]); package regimetest checks them for
// determinism and allocations. See docs/EXTENDING.md.
//
// # Performance
//
// Step allocates nothing after warm-up; per-agent work is a few
// multiply-adds on float32 columns.
package regime
