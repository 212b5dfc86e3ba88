package scenarios_test

import (
	"fmt"

	"github.com/turncoat-abm/turncoat/scenarios"
)

// ExampleLoad loads a built-in scenario with overrides, as --set does.
func ExampleLoad() {
	cfg, err := scenarios.Load("soviet1991", "regime.repression=0.4", "regions.Ukraine.legitimacy=0.9")
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.Name, len(cfg.Regions), cfg.Regime.Repression, cfg.Regions[1].Name, cfg.Regions[1].Legitimacy)
	// Output: soviet1991 15 0.4 Ukraine 0.9
}

// ExampleParse shows the strict decoder's error for a misspelt key.
func ExampleParse() {
	_, err := scenarios.Parse("my.yaml", []byte("name: mine\nregime:\n  represion: 0.5\n"))
	fmt.Println(err)
	// Output: my.yaml:3: regime.represion: unknown field (did you mean "repression"?)
}
