//go:build race

package plots_test

func init() { raceOn = true }
