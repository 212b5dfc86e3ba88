package agents_test

import (
	"fmt"

	"github.com/turncoat-abm/turncoat/agents"
)

// Tit-for-tat against always-defect over 200 rounds of Axelrod's game:
// tit-for-tat is suckered once, then both defect.
func ExamplePlay() {
	tft, alld := agents.TFT.Memory1(0, 0), agents.AllD.Memory1(0, 0)
	a, b := agents.Play(tft, alld, 200, agents.Axelrod, nil) // exact strategies draw nothing
	fmt.Println(a, b)
	// Output: 199 204
}

// The shadow of the future: always-defect earns more than tit-for-tat
// against tit-for-tat only while the continuation probability w is below
// (T−R)/(T−P) = 1/2.
func ExampleValue() {
	tft, alld := agents.TFT.Memory1(0, 0), agents.AllD.Memory1(0, 0)
	for _, w := range []float64{0.3, 0.5, 0.9} {
		coop, _ := agents.Value(tft, tft, w, agents.Axelrod)
		defect, _ := agents.Value(alld, tft, w, agents.Axelrod)
		fmt.Printf("w=%.1f  V(tft,tft)=%.2f  V(alld,tft)=%.2f\n", w, coop, defect)
	}
	// Output:
	// w=0.3  V(tft,tft)=3.00  V(alld,tft)=3.80
	// w=0.5  V(tft,tft)=3.00  V(alld,tft)=3.00
	// w=0.9  V(tft,tft)=3.00  V(alld,tft)=1.40
}

func ExampleParseStrategy() {
	s, _ := agents.ParseStrategy("noisy-wsls")
	m := s.Memory1(1.0/3, 0.05)
	fmt.Println(s, m.Coop)
	// Output: noisy-pavlov [0.95 0.05 0.05 0.95]
}
