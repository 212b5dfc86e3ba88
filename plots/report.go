package plots

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/sweep"
)

// Report writes a self-contained HTML report of a run or sweep directory to
// w: the scenario, its parameters, the summary, the figures (inline SVG) and
// the key tables. It loads nothing from the network and needs no script.
func Report(dir string, w io.Writer) error {
	if IsCalibration(dir) {
		return calibrationReport(dir, w)
	}
	if _, err := os.Stat(filepath.Join(dir, sweep.ManifestFile)); err == nil {
		return sweepReport(dir, w)
	}
	if IsGridRun(dir) {
		return gridReport(dir, w)
	}
	res, err := LoadRun(dir)
	if err != nil {
		return err
	}
	scen, _ := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	return RunReport(res, string(scen), w)
}

// svgOf renders a figure as an inline SVG element.
func svgOf(f Figure) (template.HTML, error) {
	w, h := f.W, f.H
	if w == 0 {
		w, h = 9*vg.Inch, 5*vg.Inch
	}
	wt, err := f.writerTo(w, h, "svg")
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:] // drop the XML prolog
	}
	return template.HTML(s), nil // generated here; labels are escaped by the SVG writer
}

type figureHTML struct {
	Title string
	SVG   template.HTML
}

func figuresHTML(figs []Figure) ([]figureHTML, error) {
	var out []figureHTML
	for _, f := range figs {
		s, err := svgOf(f)
		if err != nil {
			return nil, err
		}
		out = append(out, figureHTML{Title: f.Title, SVG: s})
	}
	return out, nil
}

type kv struct{ K, V string }

type tableHTML struct {
	Caption string
	Head    []string
	Rows    [][]string
	More    int // rows left out
}

type reportData struct {
	Title    string
	Subtitle string
	Summary  []kv
	Figures  []figureHTML
	Tables   []tableHTML
	Source   string // the scenario or sweep YAML
	SourceOf string
}

// RunReport writes the HTML report of a run result; scenarioYAML (may be
// empty) is shown as the run's full parameters.
func RunReport(res *regime.Result, scenarioYAML string, w io.Writer) error {
	c := &res.Config
	s := &res.Summary
	figs, err := RunFigures(res)
	if err != nil {
		return err
	}
	fh, err := figuresHTML(figs)
	if err != nil {
		return err
	}
	d := reportData{Title: "turncoat run: " + c.Name, Subtitle: c.Description, Figures: fh, Source: scenarioYAML, SourceOf: "scenario.yaml"}
	collapse := "none within the horizon"
	if s.Collapsed && s.CollapseDate != nil {
		collapse = fmt.Sprintf("%s (tick %d, by %s)", *s.CollapseDate, *s.CollapseTick, strings.ReplaceAll(s.CollapseCause, "_", " "))
	}
	d.Summary = []kv{
		{"seed", strconv.FormatUint(res.Seed, 10)},
		{"horizon", fmt.Sprintf("%d ticks of %g days from %s", s.Ticks, c.TickDays, c.Start)},
		{"agents", fmt.Sprintf("%d citizens, %d soldiers, %d elites", s.Agents.Citizen, s.Agents.Soldier, s.Agents.Elite)},
		{"regime collapse", collapse},
		{"regions that exited", fmt.Sprintf("%d of %d", len(s.Exits), len(c.Regions))},
		{"final defected share", fmt.Sprintf("citizens %.3f, soldiers %.3f, elites %.3f", s.FinalShare.Citizen, s.FinalShare.Soldier, s.FinalShare.Elite)},
	}
	if s.SpearmanVsHistory != nil {
		d.Summary = append(d.Summary, kv{"Spearman rank correlation with history", fmt.Sprintf("%.3f", *s.SpearmanVsHistory)})
	}
	if s.TimingErrorWeeks != nil {
		d.Summary = append(d.Summary, kv{"mean absolute timing error", fmt.Sprintf("%.1f weeks", *s.TimingErrorWeeks)})
	}
	ex := tableHTML{Caption: "Exits, in simulated order", Head: []string{"region", "tick", "simulated", "historical", "error (weeks)"}}
	for _, e := range s.Exits {
		ex.Rows = append(ex.Rows, e.Cells())
	}
	if len(ex.Rows) > 0 {
		d.Tables = append(d.Tables, ex)
	}
	par := tableHTML{Caption: "Regime instruments and dynamics (regime.*)", Head: []string{"parameter", "value"}}
	for _, name := range regime.ParamNames() {
		v, _ := regimeField(&c.Regime, name)
		par.Rows = append(par.Rows, []string{"regime." + name, strconv.FormatFloat(v, 'g', -1, 64)})
	}
	d.Tables = append(d.Tables, par)
	return reportTemplate.Execute(w, d)
}

func sweepReport(dir string, w io.Writer) error {
	man, err := sweep.ReadManifest(dir)
	if err != nil {
		return err
	}
	figs, err := SweepFigures(dir)
	if err != nil {
		return err
	}
	fh, err := figuresHTML(figs)
	if err != nil {
		return err
	}
	spec, _ := os.ReadFile(filepath.Join(dir, sweep.SpecFile))
	d := reportData{Title: "turncoat sweep: " + man.Name, Subtitle: "of scenario " + man.ScenarioName, Figures: fh, Source: string(spec), SourceOf: "sweep.yaml"}
	d.Summary = []kv{
		{"sampler", man.Sampler},
		{"parameters", strings.Join(man.Parameters, ", ")},
		{"points × replicates", fmt.Sprintf("%d × %d = %d runs", man.Points, man.Replicates, man.Runs)},
		{"master seed", strconv.FormatUint(man.Seed, 10)},
		{"outputs", strings.Join(man.Outputs, ", ")},
	}
	pts, err := readTable(filepath.Join(dir, sweep.PointsFile))
	if err != nil {
		return err
	}
	t := tableHTML{Caption: "Points (means with 95% intervals)", Head: append([]string{"point"}, man.Parameters...)}
	for _, o := range man.Outputs {
		t.Head = append(t.Head, o)
	}
	const maxRows = 60
	for r := range pts.rows {
		if r >= maxRows {
			t.More = len(pts.rows) - maxRows
			break
		}
		row := []string{pts.rows[r][pts.col["point"]]}
		for _, p := range man.Parameters {
			row = append(row, fmtNum(pts.num(r, p)))
		}
		for _, o := range man.Outputs {
			m, lo, hi := pts.num(r, o+"_mean"), pts.num(r, o+"_ci_lo"), pts.num(r, o+"_ci_hi")
			cell := fmtNum(m)
			if !math.IsNaN(lo) && !math.IsNaN(hi) {
				cell += fmt.Sprintf(" [%s, %s]", fmtNum(lo), fmtNum(hi))
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	d.Tables = append(d.Tables, t)
	if man.Sampler == "sobol" && man.Shard == "" {
		sens, err := readTable(filepath.Join(dir, sweep.SensitivityFile))
		if err != nil {
			return err
		}
		st := tableHTML{Caption: "Sobol indices (95% bootstrap intervals)", Head: []string{"output", "parameter", "first order S1", "total order ST"}}
		for r := range sens.rows {
			st.Rows = append(st.Rows, []string{sens.rows[r][0], sens.rows[r][1],
				fmt.Sprintf("%s [%s, %s]", fmtNum(sens.num(r, "S1")), fmtNum(sens.num(r, "S1_lo")), fmtNum(sens.num(r, "S1_hi"))),
				fmt.Sprintf("%s [%s, %s]", fmtNum(sens.num(r, "ST")), fmtNum(sens.num(r, "ST_lo")), fmtNum(sens.num(r, "ST_hi")))})
		}
		d.Tables = append(d.Tables, st)
	}
	return reportTemplate.Execute(w, d)
}

func fmtNum(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

var reportTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1000px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 1rem 0 2rem; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.7rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
figure { margin: 1.5rem 0; }
figure svg { width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9rem; }
pre { background: #f7f7f7; padding: 1rem; overflow-x: auto; font-size: 0.8rem; }
footer { color: #777; font-size: 0.8rem; margin-top: 3rem; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Subtitle}}<p class="subtitle">{{.Subtitle}}</p>{{end}}
<table>
<caption>Summary</caption>
{{range .Summary}}<tr><th>{{.K}}</th><td>{{.V}}</td></tr>
{{end}}</table>
{{range .Figures}}<figure>{{.SVG}}<figcaption>{{.Title}}</figcaption></figure>
{{end}}
{{range .Tables}}<table>
<caption>{{.Caption}}</caption>
<tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}{{if .More}}<tr><td colspan="{{len .Head}}">… and {{.More}} more rows</td></tr>{{end}}
</table>
{{end}}
{{if .Source}}<details><summary>{{.SourceOf}}</summary><pre>{{.Source}}</pre></details>{{end}}
<footer>Written by turncoat. This file is self-contained: it loads nothing.</footer>
</body>
</html>
`))

func gridReport(dir string, w io.Writer) error {
	figs, err := GridRunFigures(dir)
	if err != nil {
		return err
	}
	fh, err := figuresHTML(figs)
	if err != nil {
		return err
	}
	scen, _ := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	sum, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	d := reportData{Title: "turncoat run: " + filepath.Base(dir), Subtitle: "Epstein civil violence", Figures: fh,
		Source: string(scen), SourceOf: "scenario.yaml", Summary: []kv{{"summary", string(sum)}}}
	return reportTemplate.Execute(w, d)
}
