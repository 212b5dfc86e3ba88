package scenarios

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/turncoat-abm/turncoat/regime"
)

//go:embed data/soviet_republics.csv
var sovietCSV []byte

// Baseline is a naive forecast of a scenario's dated history, scored by
// the same code as a run ([regime.Config.FitTicks]) so that every claim of
// fit can be shown beside it. A baseline gives either a date per region
// (Dates) or only an order (Rank, smaller is earlier; ties allowed), in
// which case only its Spearman correlation is defined.
type Baseline struct {
	Name        string
	Description string
	Dates       map[string]regime.Date
	Rank        map[string]float64
}

// Fit scores the baseline against hist on cfg's regions and calendar.
// Regions the baseline does not cover count as never happening.
func (b Baseline) Fit(cfg *regime.Config, hist map[string]regime.Date) regime.DateFit {
	if b.Dates == nil {
		rank := make([]float64, len(cfg.Regions))
		for g, r := range cfg.Regions {
			v, ok := b.Rank[r.Name]
			if !ok {
				v = float64(len(cfg.Regions) + 1)
			}
			rank[g] = v
		}
		return cfg.FitOrder(hist, rank)
	}
	ticks := make([]int, len(cfg.Regions))
	for g, r := range cfg.Regions {
		ticks[g] = -1
		if d, ok := b.Dates[r.Name]; ok {
			ticks[g] = max(cfg.TickOf(d), 0)
		}
	}
	return cfg.FitTicks(hist, ticks)
}

// MedianBaseline puts every event of hist on the median historical date
// (the lower middle date for an even count): the forecast of a modeller
// who knows when things happened on average and nothing about the order.
func MedianBaseline(hist map[string]regime.Date) Baseline {
	var ds []regime.Date
	for _, d := range hist {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(a, b regime.Date) int { return a.Compare(b.Time) })
	b := Baseline{Name: "median", Dates: map[string]regime.Date{}}
	if len(ds) == 0 {
		return b
	}
	m := ds[(len(ds)-1)/2]
	b.Description = "every event on the median historical date, " + m.String()
	for name := range hist {
		b.Dates[name] = m
	}
	return b
}

// Republic is one row of scenarios/data/soviet_republics.csv.
type Republic struct {
	Name                 string
	PopulationM          float64
	ReferendumYes        float64 // share voting yes, 17 March 1991; 0 when boycotted
	BoycottedReferendum  bool
	TitularShare         float64
	RussianShare         float64
	DraftCompliance      float64 // spring 1990; 1 where not published
	SovereigntyDeclared  regime.Date
	IndependenceDeclared regime.Date
}

// SovietRepublics parses the embedded scenarios/data/soviet_republics.csv.
// The two date columns are outcomes: scenarios and the model never read
// them; they score runs and define baselines.
func SovietRepublics() ([]Republic, error) {
	const file = "scenarios/data/soviet_republics.csv"
	rows, err := csv.NewReader(bytes.NewReader(sovietCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var out []Republic
	for i, row := range rows[1:] {
		line := i + 2
		if len(row) != 9 {
			return nil, fmt.Errorf("%s:%d: want 9 columns, got %d", file, line, len(row))
		}
		num := func(col int, def float64) (float64, error) {
			if row[col] == "" {
				return def, nil
			}
			v, err := strconv.ParseFloat(row[col], 64)
			if err != nil {
				return 0, fmt.Errorf("%s:%d: %s: %w", file, line, rows[0][col], err)
			}
			return v, nil
		}
		r := Republic{Name: row[0], BoycottedReferendum: row[3] == "true"}
		var errs [5]error
		r.PopulationM, errs[0] = num(1, 0)
		r.ReferendumYes, errs[1] = num(2, 0)
		r.TitularShare, errs[2] = num(4, 0)
		r.RussianShare, errs[3] = num(5, 0)
		r.DraftCompliance, errs[4] = num(6, 100)
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		r.ReferendumYes /= 100
		r.TitularShare /= 100
		r.RussianShare /= 100
		r.DraftCompliance /= 100
		if r.SovereigntyDeclared, err = regime.ParseDate(row[7]); err != nil {
			return nil, fmt.Errorf("%s:%d: sovereignty_declared: %w", file, line, err)
		}
		if r.IndependenceDeclared, err = regime.ParseDate(row[8]); err != nil {
			return nil, fmt.Errorf("%s:%d: independence_declared: %w", file, line, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// slavic and centralAsian name the tiers of the "tiers" baseline.
var (
	slavic       = []string{"Ukraine", "Belarus"}
	centralAsian = []string{"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "Azerbaijan"}
)

// SovietExitBaselines returns the naive forecasts of the republics' exits
// that soviet1991 must beat (docs/VALIDATION.md):
//
//   - "august": every republic leaves on 1991-08-31, Russia and
//     Kazakhstan on 1991-12-12 (mean timing error 7.73 weeks);
//   - "referendum": the order of the March 1991 referendum's yes share,
//     boycotters first (tied) and Russia last; order only (Spearman 0.759);
//   - "tiers": the boycotting republics in the week of 1991-08-26, the
//     Slavic republics a week later, Central Asia and Azerbaijan a week
//     after that, Russia on 1991-12-12 (Spearman 0.738, 8.87 weeks);
//   - "median": every exit on the median historical date.
//
// They know the history's broad shape (the August coup, Russia last); the
// model has to earn a better fit from its mechanisms.
func SovietExitBaselines() ([]Baseline, error) {
	reps, err := SovietRepublics()
	if err != nil {
		return nil, err
	}
	aug := Baseline{Name: "august", Description: "every exit on 1991-08-31, Russia and Kazakhstan on 1991-12-12", Dates: map[string]regime.Date{}}
	ref := Baseline{Name: "referendum", Description: "the order of the March 1991 referendum's yes share (boycotters first, Russia last); order only", Rank: map[string]float64{}}
	tiers := Baseline{Name: "tiers", Description: "boycotters 1991-08-26, Slavic republics 1991-09-02, Central Asia and Azerbaijan 1991-09-09, Russia 1991-12-12", Dates: map[string]regime.Date{}}
	hist := map[string]regime.Date{}
	for _, r := range reps {
		hist[r.Name] = r.IndependenceDeclared
		aug.Dates[r.Name] = regime.DateOf(1991, time.August, 31)
		ref.Rank[r.Name] = r.ReferendumYes // boycotters: 0
		switch {
		case r.Name == "Russia":
			tiers.Dates[r.Name] = regime.DateOf(1991, time.December, 12)
			ref.Rank[r.Name] = 2
		case r.BoycottedReferendum:
			tiers.Dates[r.Name] = regime.DateOf(1991, time.August, 26)
		case slices.Contains(slavic, r.Name):
			tiers.Dates[r.Name] = regime.DateOf(1991, time.September, 2)
		case slices.Contains(centralAsian, r.Name):
			tiers.Dates[r.Name] = regime.DateOf(1991, time.September, 9)
		default:
			return nil, fmt.Errorf("scenarios: republic %q has no tier", r.Name)
		}
	}
	aug.Dates["Russia"], aug.Dates["Kazakhstan"] = regime.DateOf(1991, time.December, 12), regime.DateOf(1991, time.December, 12)
	return []Baseline{aug, ref, tiers, MedianBaseline(hist)}, nil
}

// SovietDeclarationBaselines returns the naive forecasts of the
// republics' declarations of sovereignty (1988–90) that
// soviet1991-sovereignty must beat, scored like the exit baselines:
//
//   - "referendum": the order of the March 1991 referendum's yes share,
//     boycotters first (tied); order only;
//   - "median": every declaration on the median historical date
//     (1990-06-23; mean timing error 21.4 weeks on the 1988 calendar).
func SovietDeclarationBaselines() ([]Baseline, error) {
	reps, err := SovietRepublics()
	if err != nil {
		return nil, err
	}
	ref := Baseline{Name: "referendum", Description: "the order of the March 1991 referendum's yes share (boycotters first); order only", Rank: map[string]float64{}}
	hist := map[string]regime.Date{}
	for _, r := range reps {
		hist[r.Name] = r.SovereigntyDeclared
		ref.Rank[r.Name] = r.ReferendumYes // boycotters: 0
	}
	return []Baseline{ref, MedianBaseline(hist)}, nil
}
