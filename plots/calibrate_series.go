package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/turncoat-abm/turncoat/calibrate"
	"github.com/turncoat-abm/turncoat/regime"
)

// seriesPredictiveFigures draws the posterior predictive check of a
// series calibration, one figure per series target
// ("posterior-predictive-<series>"): per point the 90% predictive band and
// median of the model's value (times the draw's scale) on a log axis, the
// history as crosses (red when outside the band), held-out points in the
// label.
func seriesPredictiveFigures(sum *calibrate.Summary) ([]Figure, error) {
	var figs []Figure
	for _, sc := range sum.Series {
		if len(sc.Points) == 0 {
			continue
		}
		top := 0.0
		for _, pt := range sc.Points {
			top = math.Max(top, math.Max(pt.Observed, pt.Predicted.Q95))
		}
		if !(top > 0) {
			continue
		}
		floor := regime.SeriesLogFloor * top
		in, held := 0, 0
		for _, pt := range sc.Points {
			if pt.Inside {
				in++
			}
			if pt.HeldOut {
				held++
			}
		}
		title := fmt.Sprintf("%s: posterior predictive (%s), %d of %d points inside the 90%% band", sc.Name, sc.Distance, in, len(sc.Points))
		if held > 0 {
			title += fmt.Sprintf("; %d held out (open circles)", held)
		}
		p := newPlot(title, "date", "history; model × scale (log axis)")
		dateAxis(p)
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		var med plotter.XYs
		for i, pt := range sc.Points {
			d, err := regime.ParseDate(pt.Date)
			if err != nil {
				return nil, err
			}
			x := unix(d)
			band, err := plotter.NewLine(plotter.XYs{{X: x, Y: math.Max(floor, pt.Predicted.Q05)}, {X: x, Y: math.Max(floor, pt.Predicted.Q95)}})
			if err != nil {
				return nil, err
			}
			band.Color, band.Width = colorAlpha(Blue, 160), vg.Points(6)
			p.Add(band)
			med = append(med, plotter.XY{X: x, Y: math.Max(floor, pt.Predicted.Median)})
			c := Vermilion
			if pt.Inside {
				c = Black
			}
			obs, err := plotter.NewScatter(plotter.XYs{{X: x, Y: math.Max(floor, pt.Observed)}})
			if err != nil {
				return nil, err
			}
			obs.GlyphStyle = draw.GlyphStyle{Color: c, Shape: draw.CrossGlyph{}, Radius: vg.Points(5)}
			if pt.HeldOut {
				obs.GlyphStyle.Shape = draw.RingGlyph{}
			}
			p.Add(obs)
			if i == 0 {
				p.Legend.Add("90% predictive band", band)
				p.Legend.Add("history (red: outside)", obs)
			}
		}
		ml, ms, err := plotter.NewLinePoints(med)
		if err != nil {
			return nil, err
		}
		ml.Color, ml.Width = Blue, vg.Points(1.5)
		ms.GlyphStyle = draw.GlyphStyle{Color: Blue, Shape: draw.CircleGlyph{}, Radius: vg.Points(2.5)}
		p.Add(ml, ms)
		p.Legend.Add(fmt.Sprintf("median: %s × %.3g", sc.Output, sc.Scale.Median), ml, ms)
		p.Legend.Top = true
		p.Y.Min, p.Y.Max = floor/1.5, top*3
		figs = append(figs, Figure{Name: "posterior-predictive-" + sc.Name, Title: "Posterior predictive check: " + sc.Name, Plot: p, W: 9 * vg.Inch, H: 4.5 * vg.Inch})
	}
	return figs, nil
}

// seriesTable is the report's posterior predictive table of a series
// calibration: one row per series point, then the model's statistics
// beside the baselines.
func seriesTable(sum *calibrate.Summary) tableHTML {
	tg := tableHTML{Caption: "Posterior predictive check per series point (model × scale), and the shape statistics beside the baselines",
		Head: []string{"series", "date or statistic", "held out", "observed", "median", "90% band / baselines", "inside"}}
	for _, sc := range sum.Series {
		for _, p := range sc.Points {
			tg.Rows = append(tg.Rows, []string{sc.Name, p.Date, strconv.FormatBool(p.HeldOut), fmtNum(p.Observed), fmtNum(p.Predicted.Median),
				fmt.Sprintf("[%s, %s]", fmtNum(p.Predicted.Q05), fmtNum(p.Predicted.Q95)), strconv.FormatBool(p.Inside)})
		}
		for _, st := range []string{"pearson_log", "rmse_log", "peak_error_weeks", "break_ratio", "break_log_error"} {
			iv, ok := sc.Model[st]
			if !ok {
				continue
			}
			bl := ""
			for _, b := range sc.Baselines {
				v := map[string]*float64{"pearson_log": b.PearsonLog, "rmse_log": b.RMSELog, "peak_error_weeks": b.PeakErrorWeeks, "break_ratio": b.BreakRatio, "break_log_error": b.BreakLogError}[st]
				if v != nil {
					bl += fmt.Sprintf("%s %s; ", b.Name, fmtNum(*v))
				}
			}
			tg.Rows = append(tg.Rows, []string{sc.Name, st, "", "", fmt.Sprintf("%s [%s, %s]", fmtNum(iv.Median), fmtNum(iv.Q05), fmtNum(iv.Q95)), bl, ""})
		}
	}
	return tg
}
