package regime

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/internal/yamlx"
)

// Set changes the field at path, a dotted path of YAML names as the CLI's
// --set takes it ("regime.repression", "roles.soldier.threshold.mean",
// "regions.Ukraine.legitimacy", "network.kind"), to value, then validates
// the whole config. It uses the same code as --set, so paths, type checks
// and range checks are the same, and errors name the field. On error c is
// unchanged.
//
// value may be a number, a bool, a Date, a string (read as the text after
// "=" in --set, so "0.4" is a number and "[]" an empty list) or any value
// that marshals to YAML (a []Region, a map of group shares).
func (c *Config) Set(path string, value any) error {
	text, err := setText(value)
	if err != nil {
		return fmt.Errorf("regime: set %s: %w", path, err)
	}
	return c.Apply(path + "=" + text)
}

// Apply applies "path=value" overrides, exactly as the CLI's --set flags
// (all at once, then one validation), to c. On error c is unchanged.
func (c *Config) Apply(sets ...string) error {
	data, err := c.YAML()
	if err != nil {
		return fmt.Errorf("regime: %w", err)
	}
	var d Config
	const file = "regime.Config"
	if err := yamlx.Decode(file, data, &d, sets, d.Validate); err != nil {
		// Lines of the config's own YAML mean nothing to the caller.
		var es []error
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			es = j.Unwrap()
		} else {
			es = []error{err}
		}
		for _, e := range es {
			if ye, ok := e.(*yamlx.Error); ok && ye.File == file {
				ye.Line = 0
			}
		}
		return err
	}
	*c = d
	return nil
}

// setText renders value as the text of a --set value.
func setText(value any) (string, error) {
	switch v := value.(type) {
	case string:
		return v, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", fmt.Errorf("value %g is not finite", v)
		}
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case float32:
		return setText(float64(v))
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case bool:
		return strconv.FormatBool(v), nil
	case nil:
		return "", fmt.Errorf("value is nil")
	}
	b, err := yaml.Marshal(value)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\n"), nil
}
