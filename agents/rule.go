package agents

import (
	"errors"
	"fmt"
)

// Rule is a decision rule: how an agent turns its net utility of defecting U
// and its threshold θ into a choice.
//
//   - "threshold": defect iff U > θ (Granovetter 1978; Epstein 2002).
//
//   - "logit": defect with probability 1/(1+exp(−(U−θ)/Tau)) (a random-utility
//     choice; Tau → 0 recovers the threshold rule).
//
//   - "game": a repeated cooperate/defect game with a fixed peer, played by
//     each agent's Strategy, with payoffs and continuation probability from
//     the model's state (see Game; U and θ are not used).
//
// A defected agent compares U with θ − Hysteresis, so returning to loyalty
// needs a larger fall in U than defecting needed (reversible defection with
// hysteresis). With Absorbing set, defection is never reversed: a defected
// agent stays defected, and returns defected from jail.
type Rule struct {
	Kind       string  `yaml:"kind" json:"kind"`
	Tau        float64 `yaml:"tau" json:"tau"`
	Hysteresis float64 `yaml:"hysteresis" json:"hysteresis"`
	Absorbing  bool    `yaml:"absorbing" json:"absorbing"`
	// Game holds the game rule's parameters (kind game only; all zero
	// means DefaultGame).
	Game Game `yaml:"game,omitempty" json:"game,omitzero"`
}

// Validate reports an invalid rule.
func (r Rule) Validate() error {
	var errs []error
	switch r.Kind {
	case "threshold":
	case "logit":
		if !(r.Tau > 0) {
			errs = append(errs, &FieldError{Field: "tau", Err: fmt.Errorf("logit needs tau > 0, got %g", r.Tau)})
		}
	case "game":
	default:
		errs = append(errs, &FieldError{Field: "kind", Err: fmt.Errorf("must be threshold, logit or game, got %q", r.Kind)})
	}
	if r.Kind == "game" || r.Game != (Game{}) { // a game block is checked even when another kind is chosen
		errs = append(errs, Prefix("game", r.Game.Validate()))
	}
	if r.Hysteresis < 0 {
		errs = append(errs, &FieldError{Field: "hysteresis", Err: fmt.Errorf("must be >= 0, got %g", r.Hysteresis)})
	}
	return errors.Join(errs...)
}

// logit reports whether the rule is the logit rule.
func (r *Rule) logit() bool { return r.Kind == "logit" }
