// Package calibrate fits a scenario's parameters to its history with
// approximate Bayesian computation (ABC-SMC) and checks the fit on the
// posterior predictive and on held-out targets.
//
// A [Spec] (a YAML calibration file, decoded as strictly as scenarios and
// sweeps: errors name file, line and field) names a scenario, the
// parameters with their priors (uniform, loguniform, normal truncated to a
// range), the targets (by default every exit date of the scenario's
// history block and, when the scenario has a sovereignty rule, every
// declaration date too: targets named "declaration:REGION") and the
// ABC-SMC settings. [Run] performs it:
//
//   - generation 0 samples Particles points from the prior;
//   - each later generation sets its tolerance to the Quantile of the last
//     generation's distances, proposes particles by resampling the last
//     population by weight and perturbing with a Gaussian kernel whose
//     variance is twice the weighted variance of each parameter
//     (Beaumont et al. 2009), keeps the first Particles within tolerance,
//     and weights them prior / Σ_j w_j K(θ | θ_j);
//   - the distance of a particle is the mean over Replicates runs of the
//     mean absolute timing error (weeks) over the fitted targets, scored by
//     regime.Config.FitTicks, the same scoring as runs and baselines;
//     with Spec.OrderWeight W > 0 (order_weight, default 0) each run adds
//     W × (1 − ρ̄), ρ̄ the FitTicks Spearman of simulated against observed
//     dates averaged over the kinds of fitted targets (exits;
//     declarations) with at least two (undefined ρ counts 0);
//   - it stops after Generations, when a tolerance reaches Tolerance, or
//     when the acceptance rate falls below MinAcceptance;
//   - the posterior predictive check runs Draws posterior draws and
//     reports per target the 90% interval and whether the observation is
//     inside, with Spearman, timing error and collapse as distributions.
//
// [CrossValidate] refits with each target held out in turn (with
// declaration targets, each region's exit and declaration together;
// Options.Folds limits the folds); HoldoutAfter holds out every target
// dated after a date (fit on the past, predict the rest); HoldoutKind
// "exit" fits on the declarations only and predicts the exits.
//
// # Packs
//
// When Scenario names a pack built from a case table (arabspring2011, or
// FILE.csv), a particle is one cases.Mapping: parameters are mapping.<field>
// (a numeric field of the mapping, in snake case) or scenario paths on
// Mapping.Base, every case is built from its row through the mapping, and
// the targets are the cases' observed outcome classes ({class: CASE}). The
// distance is the mean share of misclassified case-replicates; the
// predictive check reports class shares per case and class accuracy beside
// the majority class of the fitted cases; cross-validation is
// leave-one-case-out.
//
// # Determinism
//
// Every proposal batch and every run seed is derived from (Seed,
// generation, batch) and run index by internal/seed, and runs are executed
// by the sweep engine's pool (abm.Sweep), which hands results back in run
// order: the files are byte-identical for any number of workers and after a
// resume, which restarts from the last complete generation checkpoint.
package calibrate
