package main

import (
	"encoding/csv"
	"fmt"
	"os"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/regime"
)

// table prints rows as a markdown table.
func table(rows []row, first, second string) {
	fmt.Printf("| %s | %s | P(loyal) | P(split) | P(defected) | mean peak soldier defection |\n|---|---|---|---|---|---|\n", first, second)
	for _, r := range rows {
		fmt.Printf("| %s | %s | %.2f | %.2f | %.2f | %.2f |\n", r.name, r.dose, r.dist.Share(regime.OutcomeLoyal),
			r.dist.Share(regime.OutcomeSplit), r.dist.Share(regime.OutcomeDefected), r.peak)
	}
}

func writeCSV(path string, rows []row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"case", "dose", "runs", "defected", "split", "loyal", "p_loyal", "p_split", "p_defected", "mean_peak_soldier_share"})
	for _, r := range rows {
		d := r.dist
		w.Write([]string{r.name, r.dose, fmt.Sprint(d.Total()), fmt.Sprint(d.Defected), fmt.Sprint(d.Split), fmt.Sprint(d.Loyal),
			fmt.Sprintf("%.3f", d.Share(regime.OutcomeLoyal)), fmt.Sprintf("%.3f", d.Share(regime.OutcomeSplit)),
			fmt.Sprintf("%.3f", d.Share(regime.OutcomeDefected)), fmt.Sprintf("%.4f", r.peak)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func figures(dir string, egypt []row, curves [2][]row, xs []float64, reps int) error {
	var labels []string
	var dists []regime.OutcomeDist
	for i := len(egypt) - 1; i >= 0; i-- { // top to bottom in table order
		labels = append(labels, egypt[i].name)
		dists = append(dists, egypt[i].dist)
	}
	bars, err := plots.OutcomeBars("arabspring_egypt",
		fmt.Sprintf("Egypt 2011: the army's response with one instrument added (%d runs each)", reps), labels, dists)
	if err != nil {
		return err
	}
	var ys [][]float64
	for _, c := range curves {
		loyal, split := make([]float64, len(c)), make([]float64, len(c))
		for i, r := range c {
			loyal[i], split[i] = r.dist.Share(regime.OutcomeLoyal), r.dist.Share(regime.OutcomeSplit)
		}
		ys = append(ys, loyal, split)
	}
	line, err := plots.Lines("arabspring_syria",
		fmt.Sprintf("Syria 2011: soldier stacking against defection (elite stacking as built; %d runs each)", reps),
		"population.stacking (share of soldiers from the Alawite core group)", "probability", xs,
		[]string{"P(loyal), coercion as in 2011", "P(split), coercion as in 2011",
			"P(loyal), weaker coercion", "P(split), weaker coercion"}, ys)
	if err != nil {
		return err
	}
	line.Plot.Y.Min, line.Plot.Y.Max = 0, 1.35 // room for the legend above the curves
	_, err = plots.Write([]plots.Figure{bars, line}, dir, "png")
	return err
}
