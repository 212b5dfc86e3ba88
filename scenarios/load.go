package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"github.com/turncoat-abm/turncoat/internal/safeio"
	"io/fs"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/internal/yamlx"
	"github.com/turncoat-abm/turncoat/regime"
)

//go:embed *.yaml
var builtin embed.FS

// Error locates a problem in a scenario: the file (or the --set flag that
// introduced the value), the line (0 when unknown) and the field path.
type Error = yamlx.Error

// ErrUnknown is returned for a name that is neither a built-in scenario nor
// a readable file.
var ErrUnknown = errors.New("unknown scenario")

// Info describes a built-in scenario.
type Info struct {
	Name        string
	Description string
}

// List returns the built-in scenarios, sorted by name.
func List() []Info {
	entries, _ := fs.ReadDir(builtin, ".")
	var out []Info
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".yaml")
		var head struct {
			Description string `yaml:"description"`
		}
		data, _ := builtin.ReadFile(e.Name())
		_ = yaml.Unmarshal(data, &head)
		out = append(out, Info{Name: name, Description: head.Description})
	}
	return out
}

// Source returns the YAML text of a built-in scenario.
func Source(name string) ([]byte, error) {
	data, err := builtin.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w %q (built-ins: %s)", ErrUnknown, name, strings.Join(names(), ", "))
	}
	return data, nil
}

// Pack returns the names of the built-in scenarios of the pack called
// name, sorted: the scenarios named name + "-" + case (the pack
// arabspring2011 holds arabspring2011-bahrain, arabspring2011-egypt, …). It
// returns nil when name is not a pack. A scenario is never a pack:
// soviet1991-strategic is a variant of the scenario soviet1991, not a case
// of a pack.
//
// A case table (FILE.csv, or the embedded uprisings.csv) is a pack too:
// Pack returns its cases as "FILE.csv#CASE", each a scenario Load builds
// from its row.
func Pack(name string) []string {
	if p := casePack(name); p != nil {
		return p
	}
	if _, err := builtin.ReadFile(name + ".yaml"); err == nil {
		return nil
	}
	var out []string
	for _, n := range names() {
		if rest, ok := strings.CutPrefix(n, name+"-"); ok && rest != "" && name != "" {
			out = append(out, n)
		}
	}
	return out
}

func names() []string {
	var n []string
	for _, i := range List() {
		n = append(n, i.Name)
	}
	return n
}

// Load returns the scenario called name (a built-in) or stored at name (a
// YAML file path), with the --set style overrides applied ("key=value",
// key a dotted field path such as regime.repression or
// regions.Ukraine.legitimacy). The result is validated.
//
// "FILE.csv#CASE" builds the row CASE of the case table FILE.csv through
// the shipped mapping (cases.DefaultMapping) and gives it the row's
// observed outcome as its history; "uprisings.csv#CASE" reads the embedded
// table scenarios/data/uprisings.csv when no such file exists.
func Load(name string, sets ...string) (regime.Config, error) {
	if table, c, ok := splitCase(name); ok {
		return loadCase(table, c, sets)
	}
	if data, err := builtin.ReadFile(name + ".yaml"); err == nil && !strings.ContainsAny(name, `/\`) {
		cfg, err := Parse(name+".yaml", data, sets...)
		if err != nil {
			return cfg, err
		}
		return cfg, attachHistory(&cfg, name)
	}
	if IsCaseTable(name) {
		return regime.Config{}, caseTableError(name)
	}
	data, err := safeio.ReadFile(name, safeio.MaxInput)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if len(Pack(name)) > 0 {
				return regime.Config{}, fmt.Errorf("scenarios: %w %q: a pack of scenarios (%s), not one scenario", ErrUnknown, name, strings.Join(Pack(name), ", "))
			}
			return regime.Config{}, fmt.Errorf("scenarios: %w %q: not a built-in (%s) and no such file", ErrUnknown, name, strings.Join(names(), ", "))
		}
		return regime.Config{}, fmt.Errorf("scenarios: %w", err)
	}
	return Parse(name, data, sets...)
}

// Parse decodes a scenario from YAML strictly: unknown keys, wrong types,
// missing values and out-of-range values are errors (*Error, joined) naming
// the file, line and field. Fields the file omits keep their
// regime.DefaultConfig values. sets are applied before decoding, so they
// are checked the same way.
func Parse(file string, data []byte, sets ...string) (regime.Config, error) {
	cfg := regime.DefaultConfig()
	err := yamlx.Decode(file, data, &cfg, sets, cfg.Validate)
	return cfg, err
}
