package regime

import (
	"math"
	"strings"

	"github.com/turncoat-abm/turncoat/agents"
	"github.com/turncoat-abm/turncoat/internal/seed"
)

// gameState is the model's state for roles under the game rule (nil when
// no role uses it).
type gameState struct {
	roles  []agents.Role                // roles under the game rule, in role order
	on     [agents.NumRoles]bool        // on[r]: role r uses the game rule
	cfg    [agents.NumRoles]agents.Game // resolved parameters per role
	m1     [agents.NumRoles][agents.NumStrategies]agents.Memory1
	terms  [agents.NumRoles][]agents.GameTerms          // per region, this tick
	counts [agents.NumRoles][][agents.NumStrategies]int // per region, last tick
	w      [agents.NumRoles][]float64                   // continuation probability per region, this tick
	surv   [agents.NumRoles][]float64                   // perceived survival per region, this tick
	pay    [agents.NumRoles][]agents.Payoffs            // stage payoffs per region, this tick
	recs   []GameRecord
}

// GameRecord is the state of one role under the game rule after one tick.
type GameRecord struct {
	Tick int
	Role agents.Role
	// W is the continuation probability w and Survival the perceived
	// survival of the regime, averaged over regions still in the state
	// (weighted by the role's agents).
	W, Survival float64
	// Payoffs are the stage payoffs, averaged like W.
	Payoffs agents.Payoffs
	// Mix is the share of the role's agents (all regions) playing each
	// strategy, indexed by agents.Strategy.
	Mix [agents.NumStrategies]float64
}

// newGame returns the game state for c, or nil when no role uses the game
// rule, and gives those roles' populations a strategy column.
func newGame(c *Config, pops *[agents.NumRoles]*agents.Population, nReg int) *gameState {
	var gs *gameState
	for _, role := range agents.Roles {
		rc := c.Roles.Get(role)
		if rc.Rule.Kind != "game" {
			continue
		}
		if gs == nil {
			gs = &gameState{}
		}
		gs.roles = append(gs.roles, role)
		gs.on[role] = true
		g := rc.Rule.Game.Resolved()
		gs.cfg[role] = g
		for _, s := range agents.Strategies {
			gs.m1[role][s] = s.Memory1(g.Generosity, g.Noise)
		}
		gs.terms[role] = make([]agents.GameTerms, nReg)
		gs.counts[role] = make([][agents.NumStrategies]int, nReg)
		gs.w[role] = make([]float64, nReg)
		gs.surv[role] = make([]float64, nReg)
		gs.pay[role] = make([]agents.Payoffs, nReg)
		for i := range gs.terms[role] {
			t := &gs.terms[role][i]
			for s := range t.Coop {
				t.Coop[s] = gs.m1[role][s].Coop
			}
			t.Imitation = g.Imitation
		}
		pops[role].Strategy = make([]uint8, pops[role].Len())
	}
	if gs != nil {
		gs.recs = make([]GameRecord, 0, c.Ticks*len(gs.roles))
	}
	return gs
}

// resetGame draws the strategies of every game role from its own stream,
// derived from the run key (so the rest of the population is drawn exactly
// as under the other rules).
func (m *Model) resetGame() {
	gs := m.game
	for _, role := range gs.roles {
		r := seed.New(seed.Mix(m.key, seed.Label("game/strategies/"+role.String())))
		m.pops[role].InitStrategies(gs.cfg[role].Strategies.Weights(), r)
		for g := range gs.counts[role] {
			gs.counts[role][g] = m.pops[role].CountStrategies(g)
		}
	}
	gs.recs = gs.recs[:0]
}

// gameTerms sets k.Game for role in region g from the regime's state (see
// docs/ODD.md, "Strategic defection"): the perceived survival s, the
// continuation probability w = WMax·s, the stage payoffs
//
//	R = paid − wC·purgeLoyal·sev
//	T = O + F·(1 − s) − wC·min(1, P1 + purge)·sev
//	P = O − wC·min(1, PN + purge)·sev
//	S = s·paid − X·(1 − s) − wC·purgeLoyal·sev
//
// and each strategy's value against the region's current mix.
func (m *Model) gameTerms(k *agents.Terms, rc *RoleConfig, role agents.Role, g int, enforcers float64) {
	gs := m.game
	gc := &gs.cfg[role]
	gt := &gs.terms[role][g]
	k.Game = gt
	eff, d := &m.eff, &m.derived

	// Perceived survival: coercive capacity (last tick), the population
	// still in the state, and the region's legitimacy.
	capacity := 1.0
	if len(m.ticks) > 0 {
		capacity = d.capacity
	}
	s := capacity * (1 - d.exitedPop) * (1 - gc.LegitimacyWeight*(1-m.legit[g]))
	if m.collapsed {
		s = 0
	}
	s = math.Min(1, math.Max(0, s))
	w := gc.WMax * s

	// What loyalty pays (units of baseline pay per tick).
	paid := k.Paid
	if role == agents.Citizen {
		paid = 1 - math.Min(1, math.Min(1, math.Max(0, eff.Hardship+1-m.econ()))*m.hardFactor[g])
	}
	sev := d.repression
	if role != agents.Citizen {
		sev *= 1 + eff.FamilyReprisal
	}
	wc := rc.Weights.Coercive
	detect := func(visible float64) float64 {
		return eff.Surveillance * (1 - math.Exp(-eff.ArrestK*m.cfg.Detection.round(enforcers/(1+visible))))
	}
	purgeD, purgeL := 0.0, 0.0
	if role != agents.Citizen && d.purge {
		purgeD, purgeL = eff.PurgeRate*eff.Surveillance, eff.PurgeRate*eff.PurgeFalsePositive
	}
	lone := math.Min(1, detect(1)+purgeD)
	all := math.Min(1, detect(float64(m.n[role][g]))+purgeD)
	pay := agents.Payoffs{
		R: paid - wc*purgeL*sev,
		T: gc.Outside + gc.Premium*(1-s) - wc*lone*sev,
		P: gc.Outside - wc*all*sev,
		S: s*paid - gc.Retribution*(1-s) - wc*purgeL*sev,
	}
	gs.w[role][g], gs.surv[role][g], gs.pay[role][g] = w, s, pay

	gt.MeanFieldD = m.share(role, g)
	gt.Imitation = gc.Imitation
	lo := math.Min(math.Min(pay.T, pay.R), math.Min(pay.P, pay.S))
	hi := math.Max(math.Max(pay.T, pay.R), math.Max(pay.P, pay.S))
	gt.Spread = hi - lo
	if !(gt.Spread > 0) {
		gt.Spread = 1 // all payoffs equal: no strategy gains
	}
	cnt := &gs.counts[role][g]
	total := 0
	for _, c := range cnt {
		total += c
	}
	if total == 0 { // cannot happen (every region has agents); keep the mix uniform
		total = 1
	}
	cum := 0.0
	for i, c := range cnt {
		cum += float64(c) / float64(total)
		gt.Cum[i] = cum
	}
	last := agents.NumStrategies - 1 // the last strategy present: rounding never draws one beyond it
	for last > 0 && cnt[last] == 0 {
		last--
	}
	for i := last; i < agents.NumStrategies; i++ {
		gt.Cum[i] = 1
	}
	if gc.Imitation == 0 {
		return
	}
	for a := range gt.Value {
		v := 0.0
		for b, c := range cnt {
			if c == 0 {
				continue
			}
			x, _ := agents.Value(gs.m1[role][a], gs.m1[role][b], w, pay)
			v += float64(c) / float64(total) * x
		}
		gt.Value[a] = v
	}
}

// recordGame appends this tick's game records.
func (m *Model) recordGame(t int) {
	gs := m.game
	for _, role := range gs.roles {
		rec := GameRecord{Tick: t, Role: role}
		n, total := 0.0, 0
		for g := range gs.counts[role] {
			for s, c := range gs.counts[role][g] {
				rec.Mix[s] += float64(c)
				total += c
			}
			if m.exited[g] {
				continue
			}
			x := float64(m.n[role][g])
			n += x
			rec.W += x * gs.w[role][g]
			rec.Survival += x * gs.surv[role][g]
			p := gs.pay[role][g]
			rec.Payoffs.T += x * p.T
			rec.Payoffs.R += x * p.R
			rec.Payoffs.P += x * p.P
			rec.Payoffs.S += x * p.S
		}
		if n > 0 {
			rec.W /= n
			rec.Survival /= n
			rec.Payoffs = agents.Payoffs{T: rec.Payoffs.T / n, R: rec.Payoffs.R / n, P: rec.Payoffs.P / n, S: rec.Payoffs.S / n}
		}
		for s := range rec.Mix {
			rec.Mix[s] /= float64(max(1, total))
		}
		gs.recs = append(gs.recs, rec)
	}
}

// tickColumns is the number of ticks.csv columns after tick and date
// without the game rule's.
const tickColumns = 19

// gameRoles returns the roles under the game rule, in role order.
func (c *Config) gameRoles() []agents.Role {
	var out []agents.Role
	for _, role := range agents.Roles {
		if c.Roles.Get(role).Rule.Kind == "game" {
			out = append(out, role)
		}
	}
	return out
}

// appendGameHeader appends the ticks.csv columns of the game rule (only
// for scenarios that use it): per game role, w, survival, the payoffs and
// the share of each strategy.
func appendGameHeader(h []string, roles []agents.Role) []string {
	for _, role := range roles {
		r := role.String()
		h = append(h, r+"_w", r+"_survival", r+"_payoff_t", r+"_payoff_r", r+"_payoff_p", r+"_payoff_s")
		for _, s := range agents.Strategies {
			h = append(h, r+"_share_"+strings.ReplaceAll(s.String(), "-", "_"))
		}
	}
	return h
}

// gameRow writes one tick's game records (one per game role) into dst.
func gameRow(dst []float64, recs []GameRecord) {
	for _, rec := range recs {
		dst[0], dst[1] = rec.W, rec.Survival
		dst[2], dst[3], dst[4], dst[5] = rec.Payoffs.T, rec.Payoffs.R, rec.Payoffs.P, rec.Payoffs.S
		copy(dst[6:], rec.Mix[:])
		dst = dst[6+agents.NumStrategies:]
	}
}

// GameRecords returns the game records so far, one per tick and game role
// (tick-major; shared, valid until the next Reset). It is empty when no
// role uses the game rule.
func (m *Model) GameRecords() []GameRecord {
	if m.game == nil {
		return nil
	}
	return m.game.recs
}

// GameSummary summarises one role under the game rule in summary.json.
type GameSummary struct {
	Role string `json:"role"`
	// FinalW and MeanW are the continuation probability at the last tick
	// and averaged over ticks.
	FinalW float64 `json:"final_w"`
	MeanW  float64 `json:"mean_w"`
	// InitialMix and FinalMix are the shares of each strategy at the first
	// and the last tick (strategies with a zero share are left out).
	InitialMix map[string]float64 `json:"initial_mix"`
	FinalMix   map[string]float64 `json:"final_mix"`
}

// gameSummary returns the summaries of the game roles in recs.
func gameSummary(recs []GameRecord) []GameSummary {
	var out []GameSummary
	for _, role := range agents.Roles {
		var first, last *GameRecord
		sumW, n := 0.0, 0
		for i := range recs {
			if recs[i].Role != role {
				continue
			}
			if first == nil {
				first = &recs[i]
			}
			last = &recs[i]
			sumW += recs[i].W
			n++
		}
		if first == nil {
			continue
		}
		mix := func(r *GameRecord) map[string]float64 {
			out := map[string]float64{}
			for s, x := range r.Mix {
				if x > 0 {
					out[agents.Strategy(s).String()] = x
				}
			}
			return out
		}
		out = append(out, GameSummary{Role: role.String(), FinalW: last.W, MeanW: sumW / float64(n),
			InitialMix: mix(first), FinalMix: mix(last)})
	}
	return out
}
