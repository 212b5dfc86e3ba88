package validate

import (
	"context"
	"fmt"
	"strings"

	"github.com/turncoat-abm/turncoat/cases"
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

// PackOutcomes runs every scenario of the pack (scenarios.Pack: a pack of
// built-ins, or a case table FILE.csv) for seeds 1..replicates, with the
// --set style overrides sets applied to each, and returns each scenario's
// class distribution under its outcome rule. The history is read only to
// fill History and Match.
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

// CalibrationSample is the sample of the case table on which the shipped
// mapping was calibrated: the six arabspring2011 cases.
const CalibrationSample = "arabspring2011"

// CaseOptions control ScoreCases.
type CaseOptions struct {
	// Replicates are the runs per case (seeds 1..n) of the frozen-parameter
	// predictions and of the robustness runs (default 20).
	Replicates int
	// Points is the size of the Latin hypercube over SearchSpace that the
	// leave-one-out calibration chooses from (default 2 × Replicates, in
	// [12, 40]), and SearchReplicates the runs per case and point (default
	// 5).
	Points, SearchReplicates int
	// Seed draws the design (default 1).
	Seed uint64
	// Table is the case table (default: the embedded uprisings.csv) and
	// Mapping the frozen mapping (default: cases.DefaultMapping).
	Table   *cases.Table
	Mapping *cases.Mapping
}

func (o *CaseOptions) defaults() error {
	if o.Replicates <= 0 {
		o.Replicates = 20
	}
	if o.Points <= 0 {
		o.Points = min(40, max(12, 2*o.Replicates))
	}
	if o.SearchReplicates <= 0 {
		o.SearchReplicates = 5
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Table == nil {
		t, err := scenarios.Uprisings()
		if err != nil {
			return err
		}
		o.Table = t
	}
	if o.Mapping == nil {
		m := cases.DefaultMapping()
		o.Mapping = &m
	}
	return nil
}

// CasePrediction is one case's predicted class probabilities beside the
// observed class: the model's, the majority-class baseline's and the
// refitted two-threshold rule's.
type CasePrediction struct {
	Case      string         `json:"case"`
	Sample    string         `json:"sample"`
	History   regime.Outcome `json:"history"`
	Source    string         `json:"source"`
	Model     Probs          `json:"model"`
	Majority  Probs          `json:"majority"`
	Threshold Probs          `json:"threshold"`
	// Rule is the two-threshold rule fitted on this case's training set.
	Rule ThresholdRule `json:"rule"`
	// Point is the design point the leave-one-out calibration chose
	// (-1: the shipped mapping).
	Point int `json:"point"`
}

// Evaluation scores the model and the two baselines on the same cases,
// each fitted on the same training cases.
type Evaluation struct {
	Description string           `json:"description"`
	Model       Score            `json:"model"`
	Majority    Score            `json:"majority"`
	Threshold   Score            `json:"threshold"`
	Cases       []CasePrediction `json:"cases"`
}

func evaluate(desc string, preds []CasePrediction) Evaluation {
	e := Evaluation{Description: desc, Cases: preds}
	var m, mj, th []Probs
	var obs []regime.Outcome
	for _, p := range preds {
		m, mj, th = append(m, p.Model), append(mj, p.Majority), append(th, p.Threshold)
		obs = append(obs, p.History)
	}
	e.Model, e.Majority, e.Threshold = score(m, obs), score(mj, obs), score(th, obs)
	return e
}

// Robustness is how a second coding of one judgement column changes the
// model's predictions (frozen mapping, modal class).
type Robustness struct {
	Alternative string `json:"alternative"`
	// Coded is the number of cases whose second coding differs from the
	// first; Changed how many of them change their predicted class.
	Coded   int      `json:"coded"`
	Changed int      `json:"changed"`
	Which   []string `json:"which"`
	// Share is Changed over all cases.
	Share float64 `json:"share"`
}

// CaseReport is the scoring of a case table.
type CaseReport struct {
	Replicates int `json:"replicates"`
	// InSample scores the calibration cases under the mapping calibrated on
	// them (baselines fitted on them too).
	InSample Evaluation `json:"in_sample"`
	// OutOfSample: the mapping calibrated on the six arabspring2011 cases,
	// frozen, predicting every other case.
	OutOfSample Evaluation `json:"out_of_sample"`
	// LeaveOneOut: each case predicted by the design point chosen on all
	// the others (and baselines fitted on them).
	LeaveOneOut Evaluation `json:"leave_one_out"`
	// Points and SearchReplicates describe the leave-one-out design.
	Points           int `json:"points"`
	SearchReplicates int `json:"search_replicates"`
	// Oracle is the design point that does best on the out-of-sample
	// cases, chosen by looking at them: not a test, but a bound on what
	// the shared parameters can do for those cases at all.
	Oracle     Oracle       `json:"oracle"`
	Robustness []Robustness `json:"robustness"`
}

// Oracle is a design point's score on the out-of-sample cases.
type Oracle struct {
	Point    int     `json:"point"`
	Accuracy float64 `json:"accuracy"`
	Brier    float64 `json:"brier"`
}

// ScoreCases scores the case table: the frozen mapping out of sample,
// leave-one-case-out calibration over all cases, both beside the
// majority-class baseline and the two-threshold rule fitted on the same
// training cases, and the robustness of the predictions to each
// judgement column's second coding. Cases without an observed class are
// left out.
func ScoreCases(ctx context.Context, opt CaseOptions) (*CaseReport, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	var rows []*cases.Case
	for i := range opt.Table.Cases {
		if opt.Table.Cases[i].Outcome.Military != "" {
			rows = append(rows, &opt.Table.Cases[i])
		}
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("validate: %s has %d cases with an observed class; scoring needs at least 2", opt.Table.File, len(rows))
	}
	ins := make([]cases.Inputs, len(rows))
	obs := make([]regime.Outcome, len(rows))
	rule := make([]ruleInputs, len(rows))
	for i, c := range rows {
		ins[i], obs[i] = c.Inputs, c.Outcome.Military
		cfg, err := opt.Mapping.Build(c.Inputs)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", opt.Table.File, c.Line, err)
		}
		rule[i] = ruleInputs{cfg.Population.Stacking, cfg.Regime.ParallelForces}
	}
	frozen, _, err := predictions(ctx, []cases.Mapping{*opt.Mapping}, ins, opt.Replicates)
	if err != nil {
		return nil, err
	}
	rep := &CaseReport{Replicates: opt.Replicates, Points: opt.Points, SearchReplicates: opt.SearchReplicates}

	pred := func(i int, model Probs, train []int, point int) CasePrediction {
		var tobs []regime.Outcome
		var tin []ruleInputs
		for _, j := range train {
			tobs, tin = append(tobs, obs[j]), append(tin, rule[j])
		}
		r := fitThreshold(tin, tobs)
		c := rows[i]
		return CasePrediction{Case: c.Name(), Sample: c.Inputs.Sample, History: obs[i], Source: c.Outcome.Source,
			Model: model, Majority: majority(tobs), Threshold: onehot(r.Predict(rule[i].stacking, rule[i].parallel)), Rule: r, Point: point}
	}

	// in and out of sample, with the frozen mapping
	var calib, held []int
	for i, c := range rows {
		if c.Inputs.Sample == CalibrationSample {
			calib = append(calib, i)
		} else {
			held = append(held, i)
		}
	}
	var in, out []CasePrediction
	for _, i := range calib {
		in = append(in, pred(i, frozen[0][i], calib, -1))
	}
	for _, i := range held {
		out = append(out, pred(i, frozen[0][i], calib, -1))
	}
	if len(calib) > 0 {
		rep.InSample = evaluate(fmt.Sprintf("the %d %s cases, in sample: the shipped mapping was calibrated on them; baselines fitted on them", len(calib), CalibrationSample), in)
		if len(held) > 0 {
			rep.OutOfSample = evaluate(fmt.Sprintf("%d cases out of sample: the mapping calibrated on the %d %s cases, frozen; baselines fitted on the same %d", len(held), len(calib), CalibrationSample, len(calib)), out)
		}
	}

	// leave one case out, choosing among the design points on the others
	maps, _, err := SearchDesign(*opt.Mapping, opt.Points, opt.Seed)
	if err != nil {
		return nil, err
	}
	probs, calm, err := predictions(ctx, maps, ins, opt.SearchReplicates)
	if err != nil {
		return nil, err
	}
	rep.Oracle.Point = -1
	for p := range probs {
		var ps []Probs
		var os []regime.Outcome
		for _, i := range held {
			ps, os = append(ps, probs[p][i]), append(os, obs[i])
		}
		if len(ps) == 0 {
			break
		}
		sc := score(ps, os)
		if rep.Oracle.Point < 0 || sc.Accuracy > rep.Oracle.Accuracy || sc.Accuracy == rep.Oracle.Accuracy && sc.Brier < rep.Oracle.Brier {
			rep.Oracle = Oracle{Point: p, Accuracy: sc.Accuracy, Brier: sc.Brier}
		}
	}
	var loo []CasePrediction
	for i := range rows {
		var train []int
		for j := range rows {
			if j != i {
				train = append(train, j)
			}
		}
		p := selectPoint(probs, calm, obs, train)
		loo = append(loo, pred(i, probs[p][i], train, p))
	}
	rep.LeaveOneOut = evaluate(fmt.Sprintf("each of the %d cases predicted by the point of a %d-point Latin hypercube over %d shared parameters with the least Brier score on the other %d (%d runs per case and point); baselines fitted on the same %d",
		len(rows), opt.Points, len(SearchSpace()), len(rows)-1, opt.SearchReplicates, len(rows)-1), loo)

	// robustness of the coding
	for _, alt := range cases.Alternatives {
		r := Robustness{Alternative: alt.String()}
		var idx []int
		var vin []cases.Inputs
		for i, c := range rows {
			if v, changed := c.Variant(alt); changed {
				idx, vin = append(idx, i), append(vin, v)
			}
		}
		r.Coded = len(idx)
		if len(idx) > 0 {
			vp, _, err := predictions(ctx, []cases.Mapping{*opt.Mapping}, vin, opt.Replicates)
			if err != nil {
				return nil, err
			}
			for k, i := range idx {
				if predicted(vp[0][k]) != predicted(frozen[0][i]) {
					r.Changed++
					r.Which = append(r.Which, rows[i].Name())
				}
			}
		}
		r.Share = float64(r.Changed) / float64(len(rows))
		rep.Robustness = append(rep.Robustness, r)
	}
	return rep, nil
}

const arabSpringRef = "observed military response: defected Tunisia, Egypt; split Libya, Yemen; loyal Syria, Bahrain (Nepstad 2013; Barany 2016; Lee 2015); in sample: the shared parameters of the cases mapping were calibrated on these six (docs/SCENARIOS.md)"

// arabSpring scores the case table (ScoreCases): one row per
// arabspring2011 country (value: share of replicates in the historical
// class; passes when the modal class is the historical one),
// arabspring2011/matches, and the out-of-sample and leave-one-out rows,
// which pass only where the model beats both baselines.
func arabSpring(ctx context.Context, r *Report, opt Options) error {
	// at least 3 runs per case: with 2 a split vote is a coin toss
	reps := max(3, opt.Replicates)
	rep, err := ScoreCases(ctx, CaseOptions{Replicates: reps, SearchReplicates: max(2, reps/5)})
	if err != nil {
		return err
	}
	matches := 0
	var modal []string
	for _, c := range rep.InSample.Cases {
		country := strings.TrimPrefix(c.Case, "arabspring2011-")
		k := classIndex(c.History)
		m := regime.Outcomes[predicted(c.Model)]
		ok := hit(c.Model, c.History) == 1
		if ok {
			matches++
		}
		modal = append(modal, country+" "+string(m))
		r.add(verdict("arabspring2011/"+country, c.Model[k], ok,
			fmt.Sprintf("history %s (%s); %d replicates: %s; modal %s (value: share of replicates in the historical class)", c.History, c.Source, rep.Replicates, fmtProbs(c.Model), m)))
	}
	r.add(near("arabspring2011/matches", float64(matches), float64(len(rep.InSample.Cases)), 0,
		fmt.Sprintf("%s; modal classes: %s", arabSpringRef, strings.Join(modal, ", "))))
	for _, c := range rep.OutOfSample.Cases {
		k := classIndex(c.History)
		r.add(verdict("cases/out-of-sample/"+c.Case, c.Model[k], hit(c.Model, c.History) == 1,
			fmt.Sprintf("observed %s (coded by %s); frozen mapping, %d replicates: %s, modal %s; two-threshold rule %s; majority class %s (value: share of replicates in the observed class; passes when the modal class is the observed one)",
				c.History, c.Source, rep.Replicates, fmtProbs(c.Model), regime.Outcomes[predicted(c.Model)], regime.Outcomes[predicted(c.Threshold)], fmtProbs(c.Majority))))
	}
	for _, e := range []struct {
		name string
		ev   Evaluation
	}{{"out-of-sample", rep.OutOfSample}, {"leave-one-out", rep.LeaveOneOut}} {
		best := max(e.ev.Majority.Accuracy, e.ev.Threshold.Accuracy)
		acc := verdict("cases/"+e.name+"/accuracy", e.ev.Model.Accuracy, e.ev.Model.Accuracy > best,
			fmt.Sprintf("%s; passes when the model's accuracy beats both baselines (expected: the better baseline): majority class %.3f, two-threshold rule %.3f", e.ev.Description, e.ev.Majority.Accuracy, e.ev.Threshold.Accuracy))
		acc.Expected = &best
		r.add(acc)
		bestB := min(e.ev.Majority.Brier, e.ev.Threshold.Brier)
		br := verdict("cases/"+e.name+"/brier", e.ev.Model.Brier, e.ev.Model.Brier < bestB,
			fmt.Sprintf("%s; multiclass Brier score, passes when below both baselines (expected: the better baseline): majority class %.3f, two-threshold rule %.3f", e.ev.Description, e.ev.Majority.Brier, e.ev.Threshold.Brier))
		br.Expected = &bestB
		r.add(br)
	}
	return nil
}

// Markdown renders the report as the tables of docs/SCENARIOS.md.
func (rep *CaseReport) Markdown() string {
	var b strings.Builder
	scores := func(e Evaluation) {
		fmt.Fprintf(&b, "%s.\n\n| | accuracy | Brier | confusion (rows observed d/s/l, columns predicted d/s/l) |\n|---|---|---|---|\n", e.Description)
		for _, s := range []struct {
			name string
			s    Score
		}{{"model", e.Model}, {"majority class", e.Majority}, {"two-threshold rule", e.Threshold}} {
			c := s.s.Confusion
			fmt.Fprintf(&b, "| %s | %.3f | %.3f | %v %v %v |\n", s.name, s.s.Accuracy, s.s.Brier, c[0], c[1], c[2])
		}
		fmt.Fprintf(&b, "\n| case | observed | model P(d, s, l) | majority | rule (stacking ≥ a → loyal; parallel ≥ b → split) | source of the coding |\n|---|---|---|---|---|---|\n")
		for _, c := range e.Cases {
			fmt.Fprintf(&b, "| %s | %s | %.2f, %.2f, %.2f | %.2f, %.2f, %.2f | %s (a %.3g, b %.3g) | %s |\n", c.Case, c.History,
				c.Model[0], c.Model[1], c.Model[2], c.Majority[0], c.Majority[1], c.Majority[2],
				regime.Outcomes[predicted(c.Threshold)], c.Rule.Stacking, c.Rule.Parallel, c.Source)
		}
		b.WriteString("\n")
	}
	b.WriteString("In sample: ")
	scores(rep.InSample)
	b.WriteString("Out of sample: ")
	scores(rep.OutOfSample)
	b.WriteString("Leave one out: ")
	scores(rep.LeaveOneOut)
	fmt.Fprintf(&b, "Oracle: the best of the %d design points on the out-of-sample cases (chosen by looking at them) reaches accuracy %.3f, Brier %.3f (point %d).\n\n", rep.Points, rep.Oracle.Accuracy, rep.Oracle.Brier, rep.Oracle.Point)
	fmt.Fprintf(&b, "Robustness (%d runs per case):\n\n| judgement column -> second coding | cases coded differently | predictions changed | which | share of all cases |\n|---|---|---|---|---|\n", rep.Replicates)
	for _, r := range rep.Robustness {
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %.3f |\n", r.Alternative, r.Coded, r.Changed, strings.Join(r.Which, ", "), r.Share)
	}
	return b.String()
}
