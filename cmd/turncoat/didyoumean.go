package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/epstein"
	"github.com/turncoat-abm/turncoat/internal/yamlx"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// allScenarioNames lists every name run and show accept without a file:
// the built-in scenarios, the epstein-* variants and the packs.
func allScenarioNames() []string {
	var names, packNames []string
	packs := map[string]bool{}
	for _, s := range scenarios.List() {
		names = append(names, s.Name)
		if p, _, ok := strings.Cut(s.Name, "-"); ok && !packs[p] && isPack(p) {
			packs[p] = true
			packNames = append(packNames, p)
		}
	}
	for _, s := range epstein.Builtins() {
		names = append(names, s.Name)
	}
	return append(packNames, names...)
}

// scenarioError rewrites an unknown-scenario error of name: it lists every
// accepted name (epstein-* and packs included) and suggests the closest.
// Other errors are returned unchanged.
func scenarioError(name string, err error) error {
	if err == nil || !errors.Is(err, scenarios.ErrUnknown) {
		return err
	}
	known := allScenarioNames()
	hint := ""
	if s := yamlx.Suggest(name, known); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%w %q%s: not a built-in and no such file; built-ins: %s (turncoat scenarios describes them)",
		scenarios.ErrUnknown, name, hint, strings.Join(known, ", "))
}

// showEpstein prints an epstein-* scenario (or file) as YAML.
func showEpstein(name string, sets []string, stdout io.Writer) error {
	sc, err := epstein.Load(name, sets...)
	if err != nil {
		return err
	}
	b, err := yaml.Marshal(sc)
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
