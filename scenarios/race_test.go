//go:build race

package scenarios_test

func init() { raceEnabled = true }
