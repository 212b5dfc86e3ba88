//go:build race

package calibrate_test

func init() { raceEnabled = true }
