package scenarios

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/regime"
)

// UprisingsFile is the path of the embedded case table in the repository;
// its base name, uprisings.csv, names it on the command line wherever no
// file of that name exists.
const UprisingsFile = "scenarios/data/uprisings.csv"

//go:embed data/uprisings.csv
var uprisingsCSV []byte

// Uprisings parses the embedded case table scenarios/data/uprisings.csv:
// the six arabspring2011 cases, from whose rows the pack's scenario files
// are built, and the out-of-sample uprisings (docs/SCENARIOS.md).
func Uprisings() (*cases.Table, error) { return cases.Parse(UprisingsFile, uprisingsCSV) }

// CaseTable reads the case table at path, or the embedded one when path
// is "uprisings.csv" (or "uprisings", or any path whose base name is
// uprisings.csv, as a sweep file's directory makes it) and no such file
// exists.
func CaseTable(path string) (*cases.Table, error) {
	if _, err := os.Stat(path); err != nil && errors.Is(err, fs.ErrNotExist) && isUprisings(path) {
		return Uprisings()
	}
	return cases.Load(path)
}

func isUprisings(path string) bool {
	return path == "uprisings" || filepath.Base(path) == "uprisings.csv"
}

// IsCaseTable reports whether name refers to a case table (a .csv path,
// or the embedded uprisings.csv) rather than a scenario.
func IsCaseTable(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".csv") || isUprisings(name)
}

// splitCase splits "FILE.csv#CASE" into the table and the case; ok is false
// unless the part before the last "#" names a case table and no file is
// called name itself (a directory may have "#" in its name).
func splitCase(name string) (table, c string, ok bool) {
	i := strings.LastIndexByte(name, '#')
	if i < 0 || !IsCaseTable(name[:i]) {
		return "", "", false
	}
	if _, err := os.Stat(name); err == nil {
		return "", "", false
	}
	return name[:i], name[i+1:], true
}

// loadCase builds the case c of the table at path through the shipped
// mapping, applies the overrides and attaches the row's outcome as the
// scenario's history (for scoring only).
func loadCase(path, c string, sets []string) (regime.Config, error) {
	t, err := CaseTable(path)
	if err != nil {
		return regime.Config{}, err
	}
	row, err := t.Case(c)
	if err != nil {
		return regime.Config{}, fmt.Errorf("scenarios: %w", err)
	}
	m := cases.DefaultMapping()
	data, err := m.YAML(t, row)
	if err != nil {
		return regime.Config{}, err
	}
	cfg, err := Parse(path+"#"+c, data, sets...)
	if err != nil {
		return cfg, err
	}
	cfg.History = History(row)
	return cfg, nil
}

// History returns a case's scoring record as a scenario's history: the
// observed military response and its source. The model never reads it.
func History(c *cases.Case) regime.History {
	return regime.History{Outcome: c.Outcome.Military, Source: c.Outcome.Source}
}

// attachHistory gives a built-in scenario built from a row of the embedded
// case table (the arabspring2011 pack) that row's history: the scenario
// files hold the model's inputs only.
func attachHistory(cfg *regime.Config, name string) error {
	t, err := Uprisings()
	if err != nil {
		return err
	}
	for i := range t.Cases {
		if t.Cases[i].Name() == name {
			cfg.History = History(&t.Cases[i])
		}
	}
	return nil
}

// casePack returns the cases of the table at name as "name#case" scenario
// names, or nil when name is not a readable case table.
func casePack(name string) []string {
	if !IsCaseTable(name) {
		return nil
	}
	t, err := CaseTable(name)
	if err != nil {
		return nil
	}
	out := make([]string, len(t.Cases))
	for i, n := range t.Names() {
		out[i] = name + "#" + n
	}
	return out
}

// caseTableError explains that a case table is not one scenario.
func caseTableError(name string) error {
	t, err := CaseTable(name)
	if err != nil {
		return err
	}
	return fmt.Errorf("scenarios: %w %q: a case table, not one scenario: name a case as %s#CASE (cases: %s)",
		ErrUnknown, name, filepath.ToSlash(name), strings.Join(t.Names(), ", "))
}
