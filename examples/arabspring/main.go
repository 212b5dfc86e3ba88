// Arab Spring policy experiments on the pack built from the case table:
// which single defection-proofing instrument, added to Egypt's regime in
// 2011, would have kept the army loyal; and how much removing Syria's
// sectarian stacking raises the chance of a split. Each row runs the scenario for seeds 1..N and counts the
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
	"strings"

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

	egypt0, libya, syria0 := load("arabspring2011-egypt"), load("arabspring2011-libya"), load("arabspring2011-syria")
	e, sy := egypt0.Regime, syria0.Regime
	egypt := []row{
		{"none (as in 2011)", "-", func(*regime.Config) {}, regime.OutcomeDist{}, 0},
		{"extra_rewards", dose(e.ExtraRewards, 0.6, "of baseline pay"), func(c *regime.Config) { c.Regime.ExtraRewards = 0.6 }, regime.OutcomeDist{}, 0},
		{"pay", dose(e.Pay, 1.5, ""), func(c *regime.Config) { c.Regime.Pay = 1.5 }, regime.OutcomeDist{}, 0},
		{"enterprise_rents", dose(e.EnterpriseRents, 0.8, ""), func(c *regime.Config) { c.Regime.EnterpriseRents = 0.8 }, regime.OutcomeDist{}, 0},
		{"external_funds", dose(e.ExternalFunds, 0.17, "(Bahrain's GCC aid)"), func(c *regime.Config) { c.Regime.ExternalFunds = 0.17 }, regime.OutcomeDist{}, 0},
		{"surveillance", dose(e.Surveillance, 0.95, ""), func(c *regime.Config) { c.Regime.Surveillance = 0.95 }, regime.OutcomeDist{}, 0},
		{"parallel_forces", dose(e.ParallelForces, libya.Regime.ParallelForces, "(Libya's brigades)"), func(c *regime.Config) { c.Regime.ParallelForces = libya.Regime.ParallelForces }, regime.OutcomeDist{}, 0},
		{"foreign_forces", dose(e.ForeignForces, 0.18, "(Bahrain's Peninsula Shield)"), func(c *regime.Config) { c.Regime.ForeignForces = 0.18 }, regime.OutcomeDist{}, 0},
		{"purge_rate", dose(e.PurgeRate, 0.3, ""), func(c *regime.Config) { c.Regime.PurgeRate = 0.3 }, regime.OutcomeDist{}, 0},
		{"family_reprisal", dose(e.FamilyReprisal, 0.6, ""), func(c *regime.Config) { c.Regime.FamilyReprisal = 0.6 }, regime.OutcomeDist{}, 0},
		{"stacking", fmt.Sprintf("Syria's: a %.0f%% core group, %.2f of soldiers, %.2f of elites", 100*syria0.Regions[0].Groups[syria0.Population.CoreGroup], syria0.Population.Stacking, syria0.Population.EliteStacking),
			func(c *regime.Config) { stackLike(c, syria0) }, regime.OutcomeDist{}, 0},
	}
	weak := func(c *regime.Config) { c.Regime.Surveillance, c.Regime.FamilyReprisal = 0.6, 0 } // weaker coercion of the army
	st, est := syria0.Population.Stacking, syria0.Population.EliteStacking
	syria := []row{
		{"as in 2011", fmt.Sprintf("soldiers %.2f, elites %.2f", st, est), func(*regime.Config) {}, regime.OutcomeDist{}, 0},
		{"soldier stacking removed", fmt.Sprintf("soldiers 0, elites %.2f", est), func(c *regime.Config) { c.Population.Stacking = 0 }, regime.OutcomeDist{}, 0},
		{"all stacking removed", "soldiers 0, elites 0", func(c *regime.Config) { c.Population.Stacking, c.Population.EliteStacking = 0, 0 }, regime.OutcomeDist{}, 0},
		{fmt.Sprintf("weaker coercion (surveillance %g -> 0.6, family reprisals %g -> 0)", sy.Surveillance, sy.FamilyReprisal), fmt.Sprintf("soldiers %.2f, elites %.2f", st, est), weak, regime.OutcomeDist{}, 0},
		{"weaker coercion, soldier stacking removed", fmt.Sprintf("soldiers 0, elites %.2f", est), func(c *regime.Config) {
			weak(c)
			c.Population.Stacking = 0
		}, regime.OutcomeDist{}, 0},
	}
	// The classes over soldier stacking, with Syria's coercion as in 2011
	// and with weaker coercion of the army.
	var xs []float64
	curves := [2][]row{}
	for i := 0; i <= 10; i++ {
		x := float64(i) / 10
		xs = append(xs, x)
		curves[0] = append(curves[0], row{name: fmt.Sprintf("stacking %.1f", x), dose: "coercion as in 2011", change: func(c *regime.Config) { c.Population.Stacking = x }})
		curves[1] = append(curves[1], row{name: fmt.Sprintf("stacking %.1f", x), dose: "weaker coercion", change: func(c *regime.Config) {
			weak(c)
			c.Population.Stacking = x
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

// stackLike gives c the core group, stacking and elite stacking of from:
// a core group of the same population share, as close to the ruler,
// recruited into the same shares of the army and the elite.
func stackLike(c *regime.Config, from regime.Config) {
	core := from.Population.CoreGroup
	for _, g := range from.Groups {
		if g.Name == core {
			c.Groups = append([]regime.Group{g}, c.Groups...)
		}
	}
	c.Regions[0].Groups = map[string]float64{core: from.Regions[0].Groups[core]}
	c.Population.CoreGroup, c.Population.Stacking, c.Population.EliteStacking = core, from.Population.Stacking, from.Population.EliteStacking
}

// dose describes a change of an input from its value in the scenario.
func dose(from, to float64, note string) string {
	return strings.TrimSpace(fmt.Sprintf("%.3g -> %.3g %s", from, to, note))
}

func load(name string) regime.Config {
	cfg, err := scenarios.Load(name)
	must(err)
	return cfg
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
