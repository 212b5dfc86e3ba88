package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/regime"
)

// printGame prints, for each role under the game rule, the shadow of the
// future and the strategy mix at the first and the last tick.
func printGame(w io.Writer, s *regime.Summary) {
	for _, g := range s.Game {
		var parts []string
		for _, st := range agents.Strategies {
			name := st.String()
			a, b := g.InitialMix[name], g.FinalMix[name]
			if a == 0 && b == 0 {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %.3f→%.3f", name, a, b))
		}
		fmt.Fprintf(w, "Strategies of the %ss (game rule; w mean %.3f, last %.3f), first → last tick: %s\n",
			g.Role, g.MeanW, g.FinalW, strings.Join(parts, ", "))
	}
}
