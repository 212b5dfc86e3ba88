//go:build race

package plots

func init() { raceEnabled = true }
