//go:build race

package regime_test

func init() { raceEnabled = true }
