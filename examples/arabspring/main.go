// Arab Spring policy experiments: which single defection-proofing
// instrument, added to Egypt's regime in 2011, would have kept the army
// loyal; and how much removing Syria's sectarian stacking raises the chance
// of a split. Each row runs the scenario for seeds 1..N and counts the
// outcome classes; the tables go to stdout (markdown) and DIR/*.csv, the
// figures to DIR/*.png (docs/SCENARIOS.md shows them).
//
//	go run ./examples/arabspring [-replicates 40] [-out DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// row is one experiment: a change to a scenario and its outcome over seeds.
type row struct {
	name, dose string
	change     func(*regime.Config)
	dist       regime.OutcomeDist
	peak       float64 // mean peak soldier defected share
}

func main() {
	reps := flag.Int("replicates", 40, "runs per row (seeds 1..N)")
	out := flag.String("out", filepath.Join(os.TempDir(), "turncoat-arabspring"), "directory for the CSV tables and PNG figures")
	flag.Parse()

	egypt := []row{
		{"none (as in 2011)", "-", func(*regime.Config) {}, regime.OutcomeDist{}, 0},
		{"extra_rewards", "0.1 -> 0.6 of baseline pay", func(c *regime.Config) { c.Regime.ExtraRewards = 0.6 }, regime.OutcomeDist{}, 0},
		{"pay", "1 -> 1.5", func(c *regime.Config) { c.Regime.Pay = 1.5 }, regime.OutcomeDist{}, 0},
		{"enterprise_rents", "0.3 -> 0.8", func(c *regime.Config) { c.Regime.EnterpriseRents = 0.8 }, regime.OutcomeDist{}, 0},
		{"external_funds", "0 -> 0.17 (Bahrain's GCC aid)", func(c *regime.Config) { c.Regime.ExternalFunds = 0.17 }, regime.OutcomeDist{}, 0},
		{"surveillance", "0.8 -> 0.95", func(c *regime.Config) { c.Regime.Surveillance = 0.95 }, regime.OutcomeDist{}, 0},
		{"parallel_forces", "0.06 -> 0.4 (Libya's brigades)", func(c *regime.Config) { c.Regime.ParallelForces = 0.4 }, regime.OutcomeDist{}, 0},
		{"foreign_forces", "0 -> 0.18 (Bahrain's Peninsula Shield)", func(c *regime.Config) { c.Regime.ForeignForces = 0.18 }, regime.OutcomeDist{}, 0},
		{"purge_rate", "0 -> 0.3", func(c *regime.Config) { c.Regime.PurgeRate = 0.3 }, regime.OutcomeDist{}, 0},
		{"family_reprisal", "0.1 -> 0.6 (Syria's)", func(c *regime.Config) { c.Regime.FamilyReprisal = 0.6 }, regime.OutcomeDist{}, 0},
		{"stacking", "Syria's: a 12% core group, 0.4 of soldiers, 0.6 of elites", stackLikeSyria, regime.OutcomeDist{}, 0},
	}
	syria := []row{
		{"as in 2011", "soldiers 0.4, elites 0.6", func(*regime.Config) {}, regime.OutcomeDist{}, 0},
		{"soldier stacking removed", "soldiers 0, elites 0.6", func(c *regime.Config) { c.Population.Stacking = 0 }, regime.OutcomeDist{}, 0},
		{"all stacking removed", "soldiers 0, elites 0", func(c *regime.Config) { c.Population.Stacking, c.Population.EliteStacking = 0, 0 }, regime.OutcomeDist{}, 0},
		{"Egypt's reprisals and surveillance", "soldiers 0.4, elites 0.6", func(c *regime.Config) {
			c.Regime.FamilyReprisal, c.Regime.Surveillance = 0.1, 0.8
		}, regime.OutcomeDist{}, 0},
		{"Egypt's reprisals and surveillance, soldier stacking removed", "soldiers 0, elites 0.6", func(c *regime.Config) {
			c.Population.Stacking, c.Regime.FamilyReprisal, c.Regime.Surveillance = 0, 0.1, 0.8
		}, regime.OutcomeDist{}, 0},
	}
	// P(split) over soldier stacking, with Syria's coercion as in 2011 and
	// with Egypt's family reprisals and surveillance instead.
	var xs []float64
	curves := [2][]row{}
	for i := 0; i <= 10; i++ {
		s := float64(i) / 10
		xs = append(xs, s)
		curves[0] = append(curves[0], row{name: fmt.Sprintf("stacking %.1f", s), dose: "coercion as in 2011", change: func(c *regime.Config) { c.Population.Stacking = s }})
		curves[1] = append(curves[1], row{name: fmt.Sprintf("stacking %.1f", s), dose: "Egypt's reprisals and surveillance", change: func(c *regime.Config) {
			c.Population.Stacking, c.Regime.FamilyReprisal, c.Regime.Surveillance = s, 0.1, 0.8
		}})
	}
	must(runRows("arabspring2011-egypt", egypt, *reps))
	must(runRows("arabspring2011-syria", syria, *reps))
	must(runRows("arabspring2011-syria", curves[0], *reps))
	must(runRows("arabspring2011-syria", curves[1], *reps))

	fmt.Printf("Egypt 2011: one instrument added (%d runs each)\n\n", *reps)
	table(egypt, "instrument", "dose")
	fmt.Printf("\nSyria 2011: sectarian stacking (%d runs each)\n\n", *reps)
	table(syria, "case", "stacking")
	must(os.MkdirAll(*out, 0o755))
	must(writeCSV(filepath.Join(*out, "arabspring_egypt.csv"), egypt))
	must(writeCSV(filepath.Join(*out, "arabspring_syria.csv"), append(append(syria, curves[0]...), curves[1]...)))
	must(figures(*out, egypt, curves, xs, *reps))
	fmt.Printf("\ntables and figures in %s\n", *out)
}

// stackLikeSyria gives Egypt's regime a Syrian-style core group: 12% of the
// population, as close to the ruler as Syria's Alawites, recruited into 40%
// of the army and 60% of the elite.
func stackLikeSyria(c *regime.Config) {
	c.Groups = []regime.Group{{Name: "core", Alignment: 0.75}, c.Groups[0]}
	c.Regions[0].Groups = map[string]float64{"core": 0.12}
	c.Population.CoreGroup, c.Population.Stacking, c.Population.EliteStacking = "core", 0.4, 0.6
}

func runRows(scenario string, rows []row, reps int) error {
	base, err := scenarios.Load(scenario)
	if err != nil {
		return err
	}
	for i := range rows {
		cfg := base.Clone()
		rows[i].change(&cfg)
		m, err := regime.New(cfg)
		if err != nil {
			return fmt.Errorf("%s: %w", rows[i].name, err)
		}
		for s := 1; s <= reps; s++ {
			res, err := m.RunShared(context.Background(), uint64(s))
			if err != nil {
				return err
			}
			rows[i].dist.Add(cfg.Outcome.Classify(res))
			rows[i].peak += res.Summary.PeakShare.Soldier / float64(reps)
		}
	}
	return nil
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
