package cases

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/turncoat-abm/turncoat/internal/safeio"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/turncoat-abm/turncoat/internal/yamlx"
	"github.com/turncoat-abm/turncoat/regime"
)

// Error locates a problem in a case table: the file, the line (1 is the
// header) and the column. It is to a case table what csv.ParseError is to
// a CSV file.
type Error struct {
	File   string
	Line   int
	Column string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %s", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrUnknownCase is returned by Table.Case for a name the table lacks.
var ErrUnknownCase = errors.New("cases: unknown case")

// Levels of the ordinal judgement columns, from least to most. Each
// column's coding rule is in scenarios/data/README.md.
var (
	// OfficerCoreLevels code how far the regime's core group holds the
	// officer corps and the regime-protection units (column officer_core).
	OfficerCoreLevels = []string{"none", "partial", "dominant", "exclusive"}
	// MilitaryEconomyLevels code the military's own economic holdings
	// (column military_economy).
	MilitaryEconomyLevels = []string{"none", "minor", "extensive"}
	// ResponseLevels code the regime's response to the protest in its first
	// four weeks (column first_response).
	ResponseLevels = []string{"restraint", "arrests", "lethal", "massacre"}
	// RegimeTypes are the Geddes–Wright–Frantz (2014) regime types; a
	// hybrid joins them with "-" as the dataset does (party-personal-military).
	RegimeTypes = []string{"party", "military", "personal", "monarchy", "oligarchy"}
)

// kind is a column's type.
type kind uint8

const (
	textCol kind = iota
	numberCol
	dateCol
	levelCol
)

// column is one column of the case table.
type column struct {
	name     string
	kind     kind
	required bool
	lo, hi   float64 // numbers: inclusive range
	openLo   bool    // numbers: lo excluded
	levels   []string
	outcome  bool // scoring data: never read by Build
}

var inf = math.Inf(1)

// columns is the schema of a case table, in the order of the embedded file.
// scenarios/data/README.md gives each column's source, year and coding rule.
var columns = []column{
	{name: "case", kind: textCol, required: true},
	{name: "country", kind: textCol, required: true},
	{name: "sample", kind: textCol},
	{name: "onset", kind: dateCol, required: true},
	{name: "population_m", kind: numberCol, required: true, lo: 0, hi: inf, openLo: true},
	{name: "armed_forces_k", kind: numberCol, required: true, lo: 0, hi: inf, openLo: true},
	{name: "gdp_pc", kind: numberCol, required: true, lo: 0, hi: inf, openLo: true},
	{name: "fuel_rents_pct", kind: numberCol, required: true, lo: 0, hi: 100},
	{name: "regime_type", kind: textCol},
	{name: "core_group", kind: textCol},
	{name: "core_share_pct", kind: numberCol, lo: 0, hi: 50},
	{name: "core_share_lo", kind: numberCol, lo: 0, hi: 50},
	{name: "core_share_hi", kind: numberCol, lo: 0, hi: 50},
	{name: "officer_core", kind: levelCol, required: true, levels: OfficerCoreLevels},
	{name: "officer_core_alt", kind: levelCol, levels: OfficerCoreLevels},
	{name: "excluded_group", kind: textCol},
	{name: "excluded_share_pct", kind: numberCol, lo: 0, hi: 100},
	{name: "excluded_share_alt", kind: numberCol, lo: 0, hi: 100},
	{name: "parallel_k", kind: numberCol, required: true, lo: 0, hi: inf},
	{name: "parallel_k_lo", kind: numberCol, lo: 0, hi: inf},
	{name: "parallel_k_hi", kind: numberCol, lo: 0, hi: inf},
	{name: "military_economy", kind: levelCol, required: true, levels: MilitaryEconomyLevels},
	{name: "military_economy_alt", kind: levelCol, levels: MilitaryEconomyLevels},
	{name: "protest_peak_pct", kind: numberCol, required: true, lo: 0, hi: 100, openLo: true},
	{name: "protest_peak_lo", kind: numberCol, lo: 0, hi: 100, openLo: true},
	{name: "protest_peak_hi", kind: numberCol, lo: 0, hi: 100, openLo: true},
	{name: "first_response", kind: levelCol, required: true, levels: ResponseLevels},
	{name: "first_response_alt", kind: levelCol, levels: ResponseLevels},
	{name: "foreign_troops_pct", kind: numberCol, lo: 0, hi: 500},
	{name: "foreign_troops_date", kind: dateCol},
	{name: "foreign_funds_pct", kind: numberCol, lo: 0, hi: 500},
	{name: "foreign_funds_date", kind: dateCol},
	{name: "foreign_funds_lo", kind: numberCol, lo: 0, hi: 500},
	{name: "foreign_funds_hi", kind: numberCol, lo: 0, hi: 500},
	{name: "military_response", kind: levelCol, levels: []string{"defected", "split", "loyal"}, outcome: true},
	{name: "regime_fell", kind: levelCol, levels: []string{"yes", "no"}, outcome: true},
	{name: "fell_date", kind: dateCol, outcome: true},
	{name: "outcome_source", kind: textCol, outcome: true},
	{name: "flags", kind: textCol},
	{name: "notes", kind: textCol},
}

// Columns returns the names of the columns a case table may have, in the
// order of the embedded table.
func Columns() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.name
	}
	return out
}

// OutcomeColumns returns the names of the scoring columns: the observed
// military response and whether and when the regime fell, with the source
// of that coding. Build never reads them.
func OutcomeColumns() []string {
	var out []string
	for _, c := range columns {
		if c.outcome {
			out = append(out, c.name)
		}
	}
	return out
}

func lookup(name string) *column {
	for i := range columns {
		if columns[i].name == name {
			return &columns[i]
		}
	}
	return nil
}

// Alternative names a judgement column and the column holding a second,
// defensible coding of it (the other reading of the rule, or one end of
// the range of defensible values). An empty alternative cell means the
// second coding agrees with the first.
type Alternative struct {
	Column string // the judgement column, e.g. "officer_core"
	From   string // the column with the alternative value, e.g. "officer_core_alt"
}

// String returns "column -> from".
func (a Alternative) String() string { return a.Column + " -> " + a.From }

// Alternatives lists every judgement column with its alternative codings,
// in the order of the table.
var Alternatives = []Alternative{
	{"core_share_pct", "core_share_lo"}, {"core_share_pct", "core_share_hi"},
	{"officer_core", "officer_core_alt"},
	{"excluded_share_pct", "excluded_share_alt"},
	{"parallel_k", "parallel_k_lo"}, {"parallel_k", "parallel_k_hi"},
	{"military_economy", "military_economy_alt"},
	{"protest_peak_pct", "protest_peak_lo"}, {"protest_peak_pct", "protest_peak_hi"},
	{"first_response", "first_response_alt"},
	{"foreign_funds_pct", "foreign_funds_lo"}, {"foreign_funds_pct", "foreign_funds_hi"},
}

// Inputs are a case's indicators: everything Build reads. Percentages are
// in percent (0–100), as in the table.
type Inputs struct {
	Case    string      // the case's name, which becomes the scenario's name
	Country string      // the country
	Sample  string      // the set the case belongs to (arabspring2011, holdout, or the user's own)
	Onset   regime.Date // the first day of sustained nationwide protest

	PopulationM   float64 // population, millions
	ArmedForcesK  float64 // active armed forces, thousands (IISS)
	GDPPerCapita  float64 // GDP per head, 2011 international dollars (Maddison Project)
	FuelRentsPct  float64 // oil and gas rents, % of GDP (World Bank WDI)
	RegimeType    string  // Geddes–Wright–Frantz regime type (recorded, not mapped)
	CoreGroup     string  // the regime's minority core group, or ""
	CoreSharePct  float64 // the core group's share of the population, %
	OfficerCore   int     // index into OfficerCoreLevels
	ExcludedGroup string  // the excluded groups (a label), or ""
	ExcludedPct   float64 // the excluded groups' share of the population, %
	ParallelK     float64 // parallel (praetorian) forces, thousands
	MilEconomy    int     // index into MilitaryEconomyLevels
	ProtestPct    float64 // peak protest participation, % of the population
	Response      int     // index into ResponseLevels

	ForeignTroopsPct  float64     // foreign troops on the regime's side, % of its armed forces
	ForeignTroopsDate regime.Date // when they arrived (zero: before the onset)
	ForeignFundsPct   float64     // outside budget support, % of the regime's annual revenue
	ForeignFundsDate  regime.Date // when it started (zero: before the onset)
}

// Outcome is a case's scoring data: never an input.
type Outcome struct {
	// Military is the military's observed response (defected, split,
	// loyal), or "" when the table does not code it.
	Military regime.Outcome
	// RegimeFell is "yes", "no" or "" (not coded); FellDate is when.
	RegimeFell string
	FellDate   regime.Date // zero when not coded
	// Source cites the literature that codes the response.
	Source string
}

// Case is one row of a case table.
type Case struct {
	Line    int // the line in the file (the header is line 1)
	Inputs  Inputs
	Outcome Outcome
	Flags   []string // columns whose values are approximate (see the README)
	Notes   string
	raw     map[string]string
}

// Name returns the case's name.
func (c *Case) Name() string { return c.Inputs.Case }

// Table is a parsed case table.
type Table struct {
	File  string
	Cases []Case
}

// Names returns the cases' names in table order.
func (t *Table) Names() []string {
	out := make([]string, len(t.Cases))
	for i := range t.Cases {
		out[i] = t.Cases[i].Name()
	}
	return out
}

// Case returns the case called name, or an error (wrapping ErrUnknownCase)
// naming the table and suggesting the closest name.
func (t *Table) Case(name string) (*Case, error) {
	for i := range t.Cases {
		if t.Cases[i].Name() == name {
			return &t.Cases[i], nil
		}
	}
	hint := ""
	if s := yamlx.Suggest(name, t.Names()); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, fmt.Errorf("%w %q in %s%s; cases: %s", ErrUnknownCase, name, t.File, hint, strings.Join(t.Names(), ", "))
}

// Variant returns the case's inputs with column alt.Column replaced by the
// value in alt.From, and whether that changed anything (an empty
// alternative cell, or one equal to the primary value, changes nothing).
func (c *Case) Variant(alt Alternative) (Inputs, bool) {
	v := strings.TrimSpace(c.raw[alt.From])
	if v == "" || v == strings.TrimSpace(c.raw[alt.Column]) {
		return c.Inputs, false
	}
	raw := make(map[string]string, len(c.raw))
	for k, x := range c.raw {
		raw[k] = x
	}
	raw[alt.Column] = v
	in, _, _ := parseRow("", 0, raw) // checked when the table was read
	return in, !reflect.DeepEqual(in, c.Inputs)
}

// Load reads and parses the case table at path.
func Load(path string) (*Table, error) {
	data, err := safeio.ReadFile(path, safeio.MaxInput)
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	return Parse(path, data)
}

var caseName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
var groupName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Parse reads a case table (CSV with a header row) named file. Every
// problem is reported, joined: an unknown or missing column, a missing
// value in a required column, a number out of range, an unknown category,
// a malformed date, a duplicate case; each as an *Error naming the file,
// the line and the column. Lines starting with # are comments.
func Parse(file string, data []byte) (*Table, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Line: 1, Err: errors.New("empty file: want a header row")}
	}
	if err != nil {
		return nil, wrapCSV(file, err)
	}
	var errs []error
	index := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case lookup(h) == nil:
			hint := ""
			if s := yamlx.Suggest(h, Columns()); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			errs = append(errs, &Error{File: file, Line: 1, Column: h, Err: fmt.Errorf("unknown column%s", hint)})
		case slices.Contains(header[:i], h):
			errs = append(errs, &Error{File: file, Line: 1, Column: h, Err: errors.New("duplicate column")})
		}
		index[h] = i
	}
	for _, c := range columns {
		if _, ok := index[c.name]; c.required && !ok {
			errs = append(errs, &Error{File: file, Line: 1, Column: c.name, Err: errors.New("missing column (required)")})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	t := &Table{File: file}
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, wrapCSV(file, err))
			break
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			errs = append(errs, &Error{File: file, Line: line, Err: fmt.Errorf("want %d fields (one per column of the header), got %d", len(header), len(rec))})
			continue
		}
		raw := make(map[string]string, len(header))
		for name, i := range index {
			raw[name] = strings.TrimSpace(rec[i])
		}
		in, out, rowErrs := parseRow(file, line, raw)
		c := Case{Line: line, Inputs: in, Outcome: out, Notes: raw["notes"], raw: raw}
		for _, f := range strings.Split(raw["flags"], ";") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			if lookup(f) == nil {
				rowErrs = append(rowErrs, &Error{File: file, Line: line, Column: "flags", Err: fmt.Errorf("%q is not a column", f)})
			}
			c.Flags = append(c.Flags, f)
		}
		if len(rowErrs) == 0 {
			for _, alt := range Alternatives {
				if v := raw[alt.From]; v != "" && v != raw[alt.Column] {
					alternative := make(map[string]string, len(raw))
					for k, x := range raw {
						alternative[k] = x
					}
					alternative[alt.Column] = v
					_, _, e := parseRow(file, line, alternative)
					for _, err := range e {
						var ce *Error
						if errors.As(err, &ce) {
							err = &Error{File: file, Line: line, Column: alt.From, Err: fmt.Errorf("with %s = %s in place of %s: %s: %w", alt.Column, v, raw[alt.Column], ce.Column, ce.Err)}
						}
						rowErrs = append(rowErrs, err)
					}
				}
			}
		}
		if name := in.Case; name != "" {
			if prev, ok := seen[name]; ok {
				rowErrs = append(rowErrs, &Error{File: file, Line: line, Column: "case", Err: fmt.Errorf("duplicate case %q (first on line %d)", name, prev)})
			}
			seen[name] = line
		}
		errs = append(errs, rowErrs...)
		t.Cases = append(t.Cases, c)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(t.Cases) == 0 {
		return nil, &Error{File: file, Line: 2, Err: errors.New("no cases: the table has a header but no rows")}
	}
	return t, nil
}

func wrapCSV(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.Line, Err: pe.Err}
	}
	return &Error{File: file, Err: err}
}

// parseRow decodes one row's cells into inputs and outcome, checking every
// column it reads.
func parseRow(file string, line int, raw map[string]string) (Inputs, Outcome, []error) {
	var errs []error
	fail := func(col string, format string, args ...any) {
		errs = append(errs, &Error{File: file, Line: line, Column: col, Err: fmt.Errorf(format, args...)})
	}
	text := func(name string) string {
		c := lookup(name)
		v := raw[name]
		if v == "" && c.required {
			fail(name, "missing value (required)")
		}
		return v
	}
	number := func(name string) float64 {
		c := lookup(name)
		v := raw[name]
		if v == "" {
			if c.required {
				fail(name, "missing value (required)")
			}
			return 0
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			fail(name, "want a number, got %q", v)
			return 0
		}
		if x < c.lo || x > c.hi || (c.openLo && x == c.lo) {
			open := "["
			if c.openLo {
				open = "("
			}
			hi := strconv.FormatFloat(c.hi, 'g', -1, 64)
			if math.IsInf(c.hi, 1) {
				hi = "inf)"
			} else {
				hi += "]"
			}
			fail(name, "%g out of range %s%g, %s", x, open, c.lo, hi)
		}
		return x
	}
	level := func(name string) int {
		c := lookup(name)
		v := raw[name]
		if v == "" {
			if c.required {
				fail(name, "missing value (required; one of %s)", strings.Join(c.levels, ", "))
			}
			return -1
		}
		i := slices.Index(c.levels, v)
		if i < 0 {
			hint := ""
			if s := yamlx.Suggest(v, c.levels); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			fail(name, "unknown category %q%s; want one of %s", v, hint, strings.Join(c.levels, ", "))
		}
		return i
	}
	date := func(name string) regime.Date {
		c := lookup(name)
		v := raw[name]
		if v == "" {
			if c.required {
				fail(name, "missing value (required; a date YYYY-MM-DD)")
			}
			return regime.Date{}
		}
		d, err := regime.ParseDate(v)
		if err != nil {
			fail(name, "%v", err)
		}
		return d
	}

	var in Inputs
	in.Case = text("case")
	if in.Case != "" && !caseName.MatchString(in.Case) {
		fail("case", "%q: a case name is lowercase letters, digits, - and _, starting with a letter or digit", in.Case)
	}
	in.Country = text("country")
	in.Sample = text("sample")
	in.Onset = date("onset")
	in.PopulationM = number("population_m")
	in.ArmedForcesK = number("armed_forces_k")
	in.GDPPerCapita = number("gdp_pc")
	in.FuelRentsPct = number("fuel_rents_pct")
	in.RegimeType = text("regime_type")
	if in.RegimeType != "" {
		for _, part := range strings.Split(in.RegimeType, "-") {
			if !slices.Contains(RegimeTypes, part) {
				fail("regime_type", "unknown regime type %q in %q; want %s, or a hybrid joined by - (party-personal-military)", part, in.RegimeType, strings.Join(RegimeTypes, ", "))
				break
			}
		}
	}
	in.CoreGroup = text("core_group")
	in.CoreSharePct = number("core_share_pct")
	in.OfficerCore = level("officer_core")
	in.ExcludedGroup = text("excluded_group")
	in.ExcludedPct = number("excluded_share_pct")
	in.ParallelK = number("parallel_k")
	in.MilEconomy = level("military_economy")
	in.ProtestPct = number("protest_peak_pct")
	in.Response = level("first_response")
	in.ForeignTroopsPct = number("foreign_troops_pct")
	in.ForeignTroopsDate = date("foreign_troops_date")
	in.ForeignFundsPct = number("foreign_funds_pct")
	in.ForeignFundsDate = date("foreign_funds_date")

	// cross-column rules
	switch {
	case in.CoreGroup != "" && !groupName.MatchString(in.CoreGroup):
		fail("core_group", "%q: a group name is lowercase letters, digits and _, starting with a letter", in.CoreGroup)
	case in.CoreGroup == "" && in.CoreSharePct > 0:
		fail("core_share_pct", "%g%% for no core group (core_group is empty)", in.CoreSharePct)
	case in.CoreGroup != "" && in.CoreSharePct == 0:
		fail("core_share_pct", "missing the share of core group %q", in.CoreGroup)
	case in.CoreSharePct >= 50:
		fail("core_share_pct", "%g%%: a core group is a minority (< 50%%)", in.CoreSharePct)
	}
	if in.CoreGroup == "" && in.OfficerCore > 0 {
		fail("officer_core", "%q needs a core group (core_group is empty)", OfficerCoreLevels[in.OfficerCore])
	}
	if in.CoreSharePct+in.ExcludedPct > 100 {
		fail("excluded_share_pct", "core (%g%%) and excluded (%g%%) groups exceed the population", in.CoreSharePct, in.ExcludedPct)
	}
	for _, r := range [][3]string{{"core_share_pct", "core_share_lo", "core_share_hi"}, {"parallel_k", "parallel_k_lo", "parallel_k_hi"},
		{"protest_peak_pct", "protest_peak_lo", "protest_peak_hi"}, {"foreign_funds_pct", "foreign_funds_lo", "foreign_funds_hi"}} {
		v, lo, hi := raw[r[0]], raw[r[1]], raw[r[2]]
		x, _ := strconv.ParseFloat(v, 64)
		if lo != "" {
			if l := number(r[1]); l > x {
				fail(r[1], "%g above the value of %s (%g)", l, r[0], x)
			}
		}
		if hi != "" {
			if h := number(r[2]); h < x {
				fail(r[2], "%g below the value of %s (%g)", h, r[0], x)
			}
		}
	}
	for _, p := range [][2]string{{"foreign_troops_pct", "foreign_troops_date"}, {"foreign_funds_pct", "foreign_funds_date"}} {
		if raw[p[1]] != "" && (raw[p[0]] == "" || raw[p[0]] == "0") {
			fail(p[1], "a date for no support (%s is 0)", p[0])
		}
	}
	for _, name := range []string{"officer_core_alt", "military_economy_alt", "first_response_alt"} {
		level(name)
	}
	number("excluded_share_alt")

	var out Outcome
	if i := level("military_response"); i >= 0 {
		out.Military = regime.Outcome(lookup("military_response").levels[i])
	}
	if i := level("regime_fell"); i >= 0 {
		out.RegimeFell = lookup("regime_fell").levels[i]
	}
	out.FellDate = date("fell_date")
	out.Source = raw["outcome_source"]
	if out.RegimeFell == "no" && !out.FellDate.IsZero() {
		fail("fell_date", "a date for a regime that did not fall")
	}
	return in, out, errs
}
