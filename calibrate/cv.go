package calibrate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/regime"
)

// Fold is one leave-one-out fit: Target held out, its predictive interval
// and the absolute error of the predicted median (weeks).
type Fold struct {
	Target       string   `json:"target"`
	ObservedWeek float64  `json:"observed_week"`
	Predicted    Interval `json:"predicted_week"`
	Inside       bool     `json:"inside"`
	ErrorWeeks   float64  `json:"error_weeks"`
	// Class folds (pack calibrations): the observed class, the held-out
	// case's class shares over the predictive draws and the modal class;
	// Inside reports whether the modal class is the observed one.
	ObservedClass string             `json:"observed_class,omitempty"`
	Classes       map[string]float64 `json:"classes,omitempty"`
	Modal         string             `json:"modal_class,omitempty"`
	// MajorityBaseline is the expected accuracy on this case of the
	// majority class of the other folds' cases (ties at random).
	MajorityBaseline float64 `json:"majority_baseline,omitempty"`
}

// CV is the leave-one-out cross-validation (cv.json).
type CV struct {
	Folds []Fold `json:"folds"`
	// TimingErrorWeeks is the mean over folds of the held-out median's
	// absolute error; Spearman correlates the held-out medians with the
	// observed dates; Covered counts held-out observations inside their
	// 90% intervals.
	TimingErrorWeeks float64         `json:"timing_error_weeks"`
	Spearman         float64         `json:"spearman"`
	Covered          int             `json:"covered"`
	Runs             int             `json:"runs"`
	Baselines        []BaselineScore `json:"baselines,omitempty"`
	// Pack calibrations: the share of held-out cases whose modal class is
	// the observed one (leave-one-country-out accuracy), and the same for
	// the majority class of the other cases.
	ClassAccuracy    *float64 `json:"class_accuracy,omitempty"`
	MajorityBaseline *float64 `json:"majority_baseline,omitempty"`
	// With declaration targets, a fold leaves one republic out (its exit
	// and its declaration); TimingErrorWeeks, Spearman and Baselines then
	// score the held-out exits, these the held-out declarations.
	DeclarationTimingErrorWeeks *float64        `json:"declaration_timing_error_weeks,omitempty"`
	DeclarationSpearman         *float64        `json:"declaration_spearman,omitempty"`
	DeclarationBaselines        []BaselineScore `json:"declaration_baselines,omitempty"`
}

// CrossValidate refits spec once per target with that target held out
// (on top of spec.Holdout) and scores the held-out predictions. With
// declaration targets a fold is a region: its exit and its declaration
// are held out together (leave one republic out). Options.Folds, when
// set, runs only the named folds. With opt.Dir each fold writes its
// calibration directory to Dir/cv-<fold> and the scores go to
// Dir/cv.json and Dir/cv.csv.
func CrossValidate(ctx context.Context, spec *Spec, opt Options) (*CV, error) {
	names, err := spec.allTargets()
	if err != nil {
		return nil, err
	}
	if spec.seriesCalibration() {
		return nil, ErrSeriesCV
	}
	pack := isPack(spec.Scenario)
	var obsClass map[string]regime.Outcome
	if pack {
		pk, err := loadPack(spec.Scenario, spec.Set)
		if err != nil {
			return nil, err
		}
		obsClass = map[string]regime.Outcome{}
		for _, c := range pk.cases {
			obsClass[c.name] = c.observed
		}
	}
	// A fold is a unit: a case, an exit's region, or a region with its
	// exit and declaration.
	var folds []string
	members := map[string][]string{}
	for _, n := range names {
		if slices.Contains(spec.Holdout, n) {
			continue
		}
		u := n
		if !pack {
			_, u = splitTarget(n)
		}
		if _, ok := members[u]; !ok {
			folds = append(folds, u)
		}
		members[u] = append(members[u], n)
	}
	if len(opt.Folds) > 0 {
		for _, f := range opt.Folds {
			if _, ok := members[f]; !ok {
				return nil, fmt.Errorf("calibrate: fold %q names no target that is fitted (folds: %s)", f, strings.Join(folds, ", "))
			}
		}
		folds = slices.DeleteFunc(folds, func(f string) bool { return !slices.Contains(opt.Folds, f) })
	} else if len(folds) < 2 {
		return nil, ErrNoTarget
	}
	cv := &CV{}
	var pred, obs, predD, obsD []float64
	nExit := 0
	for _, f := range folds {
		for _, n := range members[f] {
			if k, _ := splitTarget(n); k == "exit" {
				nExit++
			}
		}
	}
	for _, fold := range folds {
		t := fold
		s := *spec
		s.Holdout = append(slices.Clone(spec.Holdout), members[fold]...)
		o := opt
		if opt.Dir != "" {
			o.Dir = filepath.Join(opt.Dir, "cv-"+t)
		}
		if opt.OnProgress != nil {
			o.OnProgress = func(line string) { opt.OnProgress(t + " held out: " + line) }
		}
		res, err := Run(ctx, &s, o)
		if err != nil {
			return cv, fmt.Errorf("calibrate: fold %s: %w", t, err)
		}
		cv.Runs += res.Runs
		for _, tc := range res.Summary.Predictive.Targets {
			if tc.Name == t && pack {
				f := Fold{Target: t, ObservedClass: tc.ObservedClass, Classes: tc.Classes, Modal: tc.Modal, Inside: tc.Inside}
				var train []regime.Outcome
				for _, o := range folds {
					if o != t {
						train = append(train, obsClass[o])
					}
				}
				f.MajorityBaseline = majority(train, obsClass[t])
				cv.Folds = append(cv.Folds, f)
				if f.Inside {
					cv.Covered++
				}
				continue
			}
			if !pack && slices.Contains(members[fold], tc.Name) {
				f := Fold{Target: tc.Name, ObservedWeek: tc.ObservedWeek, Predicted: tc.Predicted, Inside: tc.Inside, ErrorWeeks: math.Abs(tc.Predicted.Median - tc.ObservedWeek)}
				cv.Folds = append(cv.Folds, f)
				if f.Inside {
					cv.Covered++
				}
				if k, _ := splitTarget(tc.Name); k == "declaration" {
					predD = append(predD, f.Predicted.Median)
					obsD = append(obsD, f.ObservedWeek)
					continue
				}
				cv.TimingErrorWeeks += f.ErrorWeeks / float64(nExit)
				pred = append(pred, f.Predicted.Median)
				obs = append(obs, f.ObservedWeek)
			}
		}
	}
	if pack {
		acc, base := 0.0, 0.0
		for _, f := range cv.Folds {
			if f.Inside {
				acc++
			}
			base += f.MajorityBaseline
		}
		n := float64(len(cv.Folds))
		cv.ClassAccuracy, cv.MajorityBaseline = ptr(acc/n), ptr(base/n)
	} else {
		base, err := spec.Base()
		if err != nil {
			return cv, err
		}
		cv.Spearman = abm.Spearman(pred, obs)
		hist, histD := map[string]regime.Date{}, map[string]regime.Date{}
		for _, f := range folds {
			for _, n := range members[f] {
				if k, r := splitTarget(n); k == "declaration" {
					histD[r] = base.History.Declarations[r]
				} else {
					hist[r] = base.History.Exits[r]
				}
			}
		}
		p := &prepared{base: base}
		if len(hist) > 0 {
			cv.Baselines = p.baselines(hist)
		}
		if len(histD) > 0 {
			e := 0.0
			for i := range predD {
				e += math.Abs(predD[i]-obsD[i]) / float64(len(predD))
			}
			cv.DeclarationTimingErrorWeeks = ptr(e)
			cv.DeclarationSpearman = ptr(abm.Spearman(predD, obsD))
			cv.DeclarationBaselines = p.declarationBaselines(histD)
		}
	}
	if opt.Dir != "" {
		var b bytes.Buffer
		if pack {
			b.WriteString("target,observed_class,modal_class,defected,split,loyal,hit,majority_baseline\n")
			for _, f := range cv.Folds {
				fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%t,%s\n", abm.CSVField(f.Target), f.ObservedClass, f.Modal, fmtf(f.Classes["defected"]), fmtf(f.Classes["split"]), fmtf(f.Classes["loyal"]), f.Inside, fmtf(f.MajorityBaseline))
			}
		} else {
			b.WriteString("target,observed_week,q05,median,q95,inside,error_weeks\n")
		}
		for _, f := range cv.Folds {
			if pack {
				break
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%t,%s\n", abm.CSVField(f.Target), fmtf(f.ObservedWeek), fmtf(f.Predicted.Q05), fmtf(f.Predicted.Median), fmtf(f.Predicted.Q95), f.Inside, fmtf(f.ErrorWeeks))
		}
		if err := abm.WriteFileAtomic(filepath.Join(opt.Dir, "cv.csv"), b.Bytes()); err != nil {
			return cv, err
		}
		c := *cv
		if math.IsNaN(c.Spearman) {
			c.Spearman = 0
		}
		js, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			return cv, err
		}
		if err := abm.WriteFileAtomic(filepath.Join(opt.Dir, "cv.json"), append(js, '\n')); err != nil {
			return cv, err
		}
	}
	return cv, nil
}
