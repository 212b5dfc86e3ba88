package validate

import (
	"context"
	"fmt"
	"strings"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// PackOutcome is one scenario's distribution of outcome classes over
// replicates (seeds 1..n), beside the class history records for it.
type PackOutcome struct {
	Scenario string             `json:"scenario"`
	History  regime.Outcome     `json:"history"`
	Dist     regime.OutcomeDist `json:"classes"`
	Modal    regime.Outcome     `json:"modal"`
	Match    bool               `json:"match"`
}

// PackOutcomes runs every scenario of the built-in pack (scenarios.Pack)
// for seeds 1..replicates, with the --set style overrides sets applied to
// each, and returns each scenario's class distribution under its outcome
// rule. The history is read only to fill History and Match.
func PackOutcomes(ctx context.Context, pack string, replicates int, sets ...string) ([]PackOutcome, error) {
	names := scenarios.Pack(pack)
	if len(names) == 0 {
		return nil, fmt.Errorf("validate: %q is not a pack of scenarios", pack)
	}
	var out []PackOutcome
	for _, name := range names {
		cfg, err := scenarios.Load(name, sets...)
		if err != nil {
			return nil, err
		}
		d, err := regime.ClassifyRuns(ctx, cfg, replicates)
		if err != nil {
			return nil, err
		}
		o := PackOutcome{Scenario: name, History: cfg.History.Outcome, Dist: d, Modal: d.Modal()}
		o.Match = o.History != "" && o.Modal == o.History
		out = append(out, o)
	}
	return out, nil
}

const arabSpringRef = "observed military response 2011: defected Tunisia, Egypt; split Libya, Yemen; loyal Syria, Bahrain (Nepstad 2013; Barany 2016; Lee 2015); in-sample: the shared behavioural parameters were calibrated on these six (docs/SCENARIOS.md)"

// arabSpring scores the arabspring2011 pack: one row per country (value:
// share of replicates in the historical class; passes when the modal class
// is the historical one) and arabspring2011/matches, the number of
// countries whose modal class matches history (expected 6).
func arabSpring(ctx context.Context, r *Report, opt Options) error {
	outs, err := PackOutcomes(ctx, "arabspring2011", opt.Replicates)
	if err != nil {
		return err
	}
	matches := 0
	var dist []string
	for _, o := range outs {
		country := strings.TrimPrefix(o.Scenario, "arabspring2011-")
		if o.Match {
			matches++
		}
		dist = append(dist, fmt.Sprintf("%s %s", country, o.Modal))
		r.add(Check{Name: "arabspring2011/" + country, Value: o.Dist.Share(o.History), Pass: o.Match,
			Reference: fmt.Sprintf("history %s; %d replicates: %s; modal %s (value: share of replicates in the historical class)", o.History, opt.Replicates, o.Dist, o.Modal)})
	}
	r.add(near("arabspring2011/matches", float64(matches), float64(len(outs)), 0,
		fmt.Sprintf("%s; modal classes: %s", arabSpringRef, strings.Join(dist, ", "))))
	return nil
}
