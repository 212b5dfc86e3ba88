package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
)

// maxTableRows bounds the points printed at the end of a sweep; the rest
// are in points.csv.
const maxTableRows = 20

// fewReplicates is the replicate count below which the table notes that
// the intervals are rough.
const fewReplicates = 5

// outputBounds returns the range an output's values can take, for keeping
// the printed intervals within it (an interval of the mean from a t
// distribution can leave it when replicates are few).
func outputBounds(name string) (lo, hi float64) {
	base, _, _ := strings.Cut(name, ".")
	switch base {
	case "collapsed", "exited", "outcome", "final_share", "peak_share", "legitimacy", "delivery", "coercive_capacity",
		"final_voice", "final_exit", "final_switch", "final_shirk":
		return 0, 1
	case "spearman_vs_history", "series_pearson_log":
		return -1, 1
	case "series_rmse_log", "series_break_ratio", "series_break_log_error":
		return 0, math.Inf(1)
	case "collapse_tick", "exits", "exited_population", "cascades", "cascade_tick", "cascade_duration", "exit_tick", "emigrants_total":
		return 0, math.Inf(1)
	}
	return math.Inf(-1), math.Inf(1)
}

// roundNum prints v with 4 significant digits and no float noise
// (0.35000000000000003 prints 0.35).
func roundNum(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// printPointsTable prints a compact table of points.csv in dir: each
// point's parameters and each output's mean with its 95% interval of the
// mean, kept within the output's bounds.
func printPointsTable(w io.Writer, dir string, replicates int) error {
	f, err := os.Open(filepath.Join(dir, "points.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 1 {
		return err
	}
	head := rows[0]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	runsCol, ok := col["runs"]
	if !ok || runsCol < 1 {
		return fmt.Errorf("%s: no runs column", filepath.Join(dir, "points.csv"))
	}
	params := head[1:runsCol]
	var outputs []string
	for _, h := range head[runsCol+1:] {
		if name, ok := strings.CutSuffix(h, "_mean"); ok {
			outputs = append(outputs, name)
		}
	}
	num := func(row []string, name string) float64 {
		i, ok := col[name]
		if !ok || i >= len(row) || row[i] == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(row[i], 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	fmt.Fprintln(w, "\nMean of each output with its 95% interval of the mean, per point:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  point\t%s\t%s\t\n", strings.Join(params, "\t"), strings.Join(outputs, "\t"))
	for r, row := range rows[1:] {
		if r == maxTableRows {
			break
		}
		cells := []string{row[0]}
		for i := range params {
			v, err := strconv.ParseFloat(row[1+i], 64)
			if err != nil {
				cells = append(cells, row[1+i])
				continue
			}
			cells = append(cells, roundNum(v))
		}
		for _, o := range outputs {
			mean, lo, hi := num(row, o+"_mean"), num(row, o+"_ci_lo"), num(row, o+"_ci_hi")
			if math.IsNaN(mean) {
				cells = append(cells, "–")
				continue
			}
			if math.IsNaN(lo) || math.IsNaN(hi) || replicates < 2 {
				cells = append(cells, roundNum(mean))
				continue
			}
			blo, bhi := outputBounds(o)
			lo, hi = math.Max(lo, blo), math.Min(hi, bhi)
			cells = append(cells, fmt.Sprintf("%s [%s, %s]", roundNum(mean), roundNum(lo), roundNum(hi)))
		}
		fmt.Fprintf(tw, "  %s\t\n", strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if n := len(rows) - 1; n > maxTableRows {
		fmt.Fprintf(w, "  … %d more points in points.csv\n", n-maxTableRows)
	}
	switch {
	case replicates < 2:
		fmt.Fprintln(w, "note: 1 replicate per point: no interval; set replicates >= 5 for intervals")
	case replicates < fewReplicates:
		fmt.Fprintf(w, "note: only %d replicates per point: the intervals are rough (clipped to each output's range); set replicates >= %d\n", replicates, fewReplicates)
	}
	fmt.Fprintln(w, "– : no value (e.g. collapse_tick when no run collapsed)")
	return nil
}

// plural returns "1 replicate" or "n replicates".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
