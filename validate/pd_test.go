package validate_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/validate"
)

// TestStabilityThreshold: Axelrod's (1984) Proposition 2,
// w* = max((T−R)/(T−P), (T−R)/(R−S)), found numerically for several payoffs.
func TestStabilityThreshold(t *testing.T) {
	tests := []struct {
		name string
		p    agents.Payoffs
	}{
		{"axelrod", agents.Axelrod},                        // max(2/4, 2/3) = 2/3
		{"mild", agents.Payoffs{T: 4, R: 3, P: 1, S: 0}},   // max(1/3, 1/3) = 1/3
		{"harsh", agents.Payoffs{T: 10, R: 3, P: 1, S: 0}}, // max(7/9, 7/3) > 1: never stable
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			want := math.Min(1, math.Max((p.T-p.R)/(p.T-p.P), (p.T-p.R)/(p.R-p.S)))
			assert.InDelta(t, want, validate.StabilityThreshold(p), 1e-9)
		})
	}
}

func TestTournamentDeterministic(t *testing.T) {
	ts := validate.DefaultTournament()
	ts.Replicates = 5
	a, b := validate.Tournament(ts), validate.Tournament(ts)
	assert.Equal(t, a, b)
	assert.Len(t, a, agents.NumStrategies)
	for i := 1; i < len(a); i++ {
		assert.GreaterOrEqual(t, a[i-1].Score, a[i].Score)
	}
}
