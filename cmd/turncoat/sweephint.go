package main

import (
	"fmt"
	"strings"
)

// sweepFields are the top-level fields of a sweep file, which a sweep's
// --set edits.
var sweepFields = []string{"name", "scenario", "set", "parameters", "sampler", "samples", "replicates", "seed", "outputs", "workers", "bootstrap"}

// sweepSetHint adds to a sweep loading error the hint that a sweep's --set
// edits the sweep file: a scenario field is set.FIELD.
func sweepSetHint(err error, sets []string) error {
	for _, s := range sets {
		key, _, _ := strings.Cut(s, "=")
		top, _, _ := strings.Cut(key, ".")
		known := false
		for _, f := range sweepFields {
			known = known || f == top
		}
		if !known && strings.Contains(err.Error(), key) {
			return fmt.Errorf("%w\nhint: a sweep's --set edits the sweep file, not the scenario; to set the scenario field %s for every point use --set set.%s", err, key, s)
		}
	}
	return err
}
