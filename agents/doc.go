// Package agents stores turncoat's agents and decides what they do.
//
// A [Population] holds the agents of one [Role] (citizens, soldiers or
// elites) as struct-of-arrays columns grouped by region: alignment with the
// regime, economic hardship or outside option, risk aversion, threshold,
// state, group and jail timer, 20 bytes per agent. Each tick the regime computes,
// per region and role, the [Terms] that agents combine with their own
// attributes into the net utility of defecting
//
//	U = wI·(1−a)·(1−L) + wE·E + wS·S − wC·ρ·P·severity
//
// and [Population.StepRegion] applies the decision [Rule] (threshold or
// logit, with hysteresis or absorbing defection), then arrests or purges
// detected defectors. [Dist] describes attribute distributions and samples
// them with gonum's distuv.
//
// A [Graph] is a social network over the agents in compressed sparse rows
// (random or small-world, [GraphSpec], drawn deterministically from a
// seed; 8 bytes per edge); a [Neighbourhood] pairs it with a bitset of
// last tick's defectors, from which each agent reads the defected share of
// its neighbours when [Terms].Net is set.
//
// The "game" rule replaces U and θ by a repeated cooperate/defect game
// with a fixed peer: each agent plays a memory-one [Strategy] (always
// cooperate or defect, tit-for-tat, grim trigger, Pavlov, generous
// tit-for-tat, or a noisy variant) and imitates better-paid strategies;
// [Game] holds its parameters and [GameTerms] the payoffs' consequences
// that the regime computes each tick. [Play] plays exact finite matches
// and [Value] gives the expected payoff of two memory-one strategies in
// the infinitely repeated game with continuation probability w.
//
// With [Terms].Modes set ([ModeTerms]) agents choose among defection modes
// instead — loyal, voice (Defected), exit (flight abroad: state
// [Emigrated], for good), and for soldiers and elites switching sides
// ([Switched]) and shirking ([Shirked]) — by a multinomial logit or the
// highest utility over mode-specific utilities, in a kernel of its own.
//
// # Determinism
//
// StepRegion draws from streams keyed by (run key, tick, role, region,
// block of [BlockSize] agents), so a tick's draws do not depend on how the
// work is split. A Population is not safe for concurrent use.
//
// # Performance
//
// StepRegion allocates nothing and has no interface calls, closures or maps
// in its loop; the threshold rule draws no random numbers for agents that
// stay loyal. A user-defined [Decider] (Terms.Decider) runs in a separate
// kernel with one interface call per agent, so the built-in kernels keep
// their code.
package agents
