package agents

import "fmt"

// Role is an agent's position in the regime.
type Role uint8

// The three roles. Their order is fixed: it is the column order of every
// output and the index of every per-role array.
const (
	Citizen Role = iota
	Soldier
	Elite
	NumRoles = 3
)

// Roles lists every role in output order.
var Roles = [NumRoles]Role{Citizen, Soldier, Elite}

var roleNames = [NumRoles]string{"citizen", "soldier", "elite"}

// String returns the lowercase role name used in files and flags.
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", r)
}

// ParseRole returns the role named s ("citizen", "soldier", "elite").
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if n == s {
			return Role(i), nil
		}
	}
	return 0, fmt.Errorf("agents: unknown role %q (want citizen, soldier or elite)", s)
}

// State is an agent's state.
type State uint8

// Agent states. Loyal agents obey; Defected agents openly oppose (citizens
// protest, soldiers refuse orders or switch side, elites break with the
// regime); Jailed agents are held (citizens jailed, soldiers and elites
// purged) until their term ends.
const (
	Loyal State = iota
	Defected
	Jailed
	NumStates = 3
)

// The states of defection modes (see ModeTerms), which only a population
// stepped with Terms.Modes reaches. Defected is then voice (protest or
// defection in place); Emigrated agents have left the population for good
// (exit: flight abroad) and are never stepped again; Switched soldiers and
// elites have joined the other side; Shirked ones desert or refuse orders
// without joining anyone. NumStates stays the number of states of the
// model without modes (the per-state count arrays); NumModeStates counts
// them all.
const (
	Emigrated State = iota + NumStates
	Switched
	Shirked
	NumModeStates = 6
)

var stateNames = [NumModeStates]string{"loyal", "defected", "jailed", "emigrated", "switched", "shirked"}

// String returns the lowercase state name.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", s)
}
