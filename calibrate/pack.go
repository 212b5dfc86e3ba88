package calibrate

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/turncoat-abm/turncoat/cases"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
	"github.com/turncoat-abm/turncoat/sweep"
)

// A pack calibration fits the shared parameters of a case table's mapping
// (cases.Mapping) to the observed outcome classes of the pack's cases:
// every case is built from its row through one mapping, so a particle is
// one mapping and a run is one run of every case.

// packCase is one case of a pack: its row and the observed class.
type packCase struct {
	name     string
	table    *cases.Table
	row      *cases.Case
	observed regime.Outcome
}

// pack is a resolved pack: its cases and the mapping they are built with.
type pack struct {
	name    string
	cases   []packCase
	mapping cases.Mapping
	sets    []string // the spec's set: entries for the built scenarios
}

// MappingPrefix marks a parameter (or set: key) of a pack calibration
// that is a field of cases.Mapping itself rather than of its Base
// scenario: mapping.onset_scale is Mapping.OnsetScale.
const MappingPrefix = "mapping."

// isPack reports whether name is a pack of scenarios (scenarios.Pack).
func isPack(name string) bool { return len(scenarios.Pack(name)) > 0 }

// loadPack resolves the pack name: every member must be a row of a case
// table ("TABLE.csv#CASE", or a built-in built from the embedded
// uprisings.csv, as the arabspring2011 pack is).
func loadPack(name string, set map[string]string) (*pack, error) {
	pk := &pack{name: name, mapping: cases.DefaultMapping()}
	var up *cases.Table
	for _, member := range scenarios.Pack(name) {
		var t *cases.Table
		var row string
		if i := strings.LastIndexByte(member, '#'); i >= 0 && scenarios.IsCaseTable(member[:i]) {
			var err error
			if t, err = scenarios.CaseTable(member[:i]); err != nil {
				return nil, err
			}
			row = member[i+1:]
		} else {
			if up == nil {
				var err error
				if up, err = scenarios.Uprisings(); err != nil {
					return nil, err
				}
			}
			t, row = up, member
		}
		c, err := t.Case(row)
		if err != nil {
			return nil, fmt.Errorf("pack %s: member %s is not a row of a case table (only packs built from case tables can be calibrated to classes): %w", name, member, err)
		}
		pk.cases = append(pk.cases, packCase{name: c.Name(), table: t, row: c, observed: c.Outcome.Military})
	}
	for _, k := range sortedKeys(set) {
		if strings.HasPrefix(k, MappingPrefix) {
			v, err := strconv.ParseFloat(set[k], 64)
			if err != nil {
				return nil, fmt.Errorf("set: %s: %q is not a number", k, set[k])
			}
			if err := setMapping(&pk.mapping, k, v); err != nil {
				return nil, fmt.Errorf("set: %w", err)
			}
			continue
		}
		pk.sets = append(pk.sets, k+"="+set[k])
	}
	return pk, nil
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// setMapping sets a parameter of a pack calibration on a mapping:
// mapping.<field> (snake case of a float field of cases.Mapping) or a
// scenario path on Mapping.Base (as sweeps take it). Build overwrites the
// per-case fields of Base, so those cannot be calibrated this way.
func setMapping(m *cases.Mapping, path string, v float64) error {
	if f, ok := strings.CutPrefix(path, MappingPrefix); ok {
		rv := reflect.ValueOf(m).Elem()
		rt := rv.Type()
		for i := 0; i < rt.NumField(); i++ {
			if snake(rt.Field(i).Name) == f {
				fv := rv.Field(i)
				switch fv.Kind() {
				case reflect.Float64:
					fv.SetFloat(v)
					return nil
				case reflect.Int:
					fv.SetInt(int64(v))
					return nil
				}
				return fmt.Errorf("%s: cases.Mapping.%s is not a number", path, rt.Field(i).Name)
			}
		}
		return fmt.Errorf("%s: cases.Mapping has no field %q (fields: %s)", path, f, strings.Join(mappingFields(), ", "))
	}
	return sweep.SetField(&m.Base, path, v)
}

// mappingFields lists the numeric fields of cases.Mapping as parameter
// names.
func mappingFields() []string {
	var out []string
	rt := reflect.TypeOf(cases.Mapping{})
	for i := 0; i < rt.NumField(); i++ {
		if k := rt.Field(i).Type.Kind(); k == reflect.Float64 || k == reflect.Int {
			out = append(out, MappingPrefix+snake(rt.Field(i).Name))
		}
	}
	return out
}

// snake converts a Go field name to snake case (SoldiersPerForce ->
// soldiers_per_force; GDP runs stay together: HardshipGDP -> hardship_gdp).
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		up := r >= 'A' && r <= 'Z'
		if up && i > 0 && (!(rs[i-1] >= 'A' && rs[i-1] <= 'Z') || i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z') {
			b.WriteByte('_')
		}
		if up {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// configs builds every case of the pack under mapping m (with the spec's
// set: overrides). Without overrides it calls the builder directly
// (cases.Mapping.Build); with them it goes through the YAML the case
// builder writes, as scenarios.Load does. Both equal the shipped scenario
// files at the shipped mapping (TestPackBuildsShippedScenarios).
func (pk *pack) configs(m *cases.Mapping) ([]regime.Config, error) {
	if len(pk.sets) > 0 {
		return pk.configsYAML(m)
	}
	out := make([]regime.Config, len(pk.cases))
	for i, c := range pk.cases {
		cfg, err := m.Build(c.row.Inputs)
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", c.name, err)
		}
		cfg.History = scenarios.History(c.row)
		out[i] = cfg
	}
	return out, nil
}

// configsYAML builds the cases through the case builder's YAML (about ten
// times slower than Build: it prunes defaults and annotates).
func (pk *pack) configsYAML(m *cases.Mapping) ([]regime.Config, error) {
	out := make([]regime.Config, len(pk.cases))
	for i, c := range pk.cases {
		data, err := m.YAML(c.table, c.row)
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", c.name, err)
		}
		cfg, err := scenarios.Parse(c.name, data, pk.sets...)
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", c.name, err)
		}
		cfg.History = scenarios.History(c.row)
		out[i] = cfg
	}
	return out, nil
}

// withParams returns the pack's mapping with a particle's values set.
func (pk *pack) withParams(names []string, vals []float64) (cases.Mapping, error) {
	m := pk.mapping
	m.Base = pk.mapping.Base.Clone()
	for k, n := range names {
		if err := setMapping(&m, n, vals[k]); err != nil {
			return m, err
		}
	}
	return m, m.Validate()
}

// classCode encodes a class as a run output: its index in
// regime.Outcomes, −1 for none.
func classCode(o regime.Outcome) float64 {
	if i := slices.Index(regime.Outcomes[:], o); i >= 0 {
		return float64(i)
	}
	return -1
}

func classOf(code float64) regime.Outcome {
	if i := int(code); i >= 0 && i < len(regime.Outcomes) {
		return regime.Outcomes[i]
	}
	return ""
}

// majority returns the expected accuracy on obs of predicting the
// majority class of train (ties broken at random: each tied class counts
// with equal chance).
func majority(train []regime.Outcome, obs regime.Outcome) float64 {
	count := map[regime.Outcome]int{}
	best := 0
	for _, o := range train {
		count[o]++
		best = max(best, count[o])
	}
	tied := 0
	for _, n := range count {
		if n == best {
			tied++
		}
	}
	if best == 0 || count[obs] != best {
		return 0
	}
	return 1 / float64(tied)
}

// check checks a pack parameter's range ends against the
// mapping and every case.
func (pk *pack) check(name string, v float64) error {
	m, err := pk.withParams([]string{name}, []float64{v})
	if err != nil {
		return err
	}
	_, err = pk.configs(&m)
	return err
}
