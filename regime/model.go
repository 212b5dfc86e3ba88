package regime

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"time"
	"unsafe"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/agents"
)

var _ abm.Model = (*Model)(nil)
var _ abm.Stopper = (*Model)(nil)

// Model is the defection model: three populations, the regime and its
// regions. It implements abm.Model. A Model is not safe for concurrent use;
// run one Model per goroutine (Reset between runs reuses its memory).
type Model struct {
	cfg  Config
	nReg int
	pops [agents.NumRoles]*agents.Population

	popShare    []float64 // region population / total
	revWeight   []float64 // region revenue weight, normalised to sum 1
	feat        []float64 // regions' similarity features, a row each (see similarity)
	hardFactor  []float64
	parallel    []float64 // parallel forces per region (agent-equivalents)
	n           [agents.NumRoles][]int
	nGroup      [agents.NumRoles][][agents.MaxGroups]int // agents per role, region, group
	nTotal      [agents.NumRoles]int
	regionTotal []int

	shocks []compiledShock

	// The social network, when Config.Network is on: the graph is drawn in
	// New when the network has a fixed seed, else by every Reset.
	net   *agents.Neighbourhood
	comms []agents.Community

	// The game rule's state, when a role uses it (see game.go).
	game *gameState

	// Defection modes, when Config.Modes is set (see modes.go).
	md *modeState

	// Per-run state, set by Reset.
	key           uint64
	counts        [agents.NumRoles][][agents.NumStates]int
	defGroup      [agents.NumRoles][][agents.MaxGroups]int // defected per role, region, group (last tick)
	arrests       []int
	defShare      []float64 // defected share of all agents per region, last tick
	damage        []float64
	demo          []float64
	legit         []float64
	exited        []bool
	persist       []int
	sov           []bool // declared sovereignty (nil without a sovereignty rule)
	sovPersist    []int
	sovLoyal      []bool       // declared through the assets channel and not escalated (AssetsRule)
	sovCons       Consequences // the sovereignty rule's consequences
	lastOut       []int        // ticks each loyal region has met the last-out rule (AssetsRule.LastOut)
	bargainCred   float64      // the bargain's credibility (BargainRule)
	assetsPersist []int        // ticks each region's elites have pressed to protect their assets (AssetsRule)
	assetsOut     []bool       // this tick's assetsPress
	firstDef      [agents.NumRoles][]bool
	terms         [][agents.NumRoles]agents.Terms // per region, this tick
	items         []item                          // every (role, region, block), in that order
	par           parallel
	econIdx       float64
	reserves      float64
	payBonus      float64
	rewardBonus   float64
	eff           Params
	derived       derived
	collapsed     bool
	collapseAt    int
	capacity0     float64
	cascadeLow    [agents.NumRoles]int // last tick each role's share was <= From, or -1
	inCascade     [agents.NumRoles]bool

	updates int64   // agent updates since Reset
	shared  *Result // reused by RunShared

	ticks   []TickRecord
	regions []RegionRecord
	events  []Event

	ext  extensions // user rules, policy and observer (extend.go)
	tick int        // the tick a View reports
}

// derived are the regime quantities computed each tick.
type derived struct {
	repression, delivery, revenue, payroll, capacity, exitedPop float64
	purge                                                       bool
}

type compiledShock struct {
	name       string
	start, end int // [start, end); end < 0 means to the end
	ops        []paramOp
}

// paramOp sets a Params field to v, or multiplies it by v when scale.
type paramOp struct {
	field int
	v     float64
	scale bool
}

// New validates cfg and allocates a model for it. The config is copied.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, nReg: len(cfg.Regions)}
	total := 0.0
	for _, g := range cfg.Regions {
		total += g.PopulationM
	}
	m.popShare = make([]float64, m.nReg)
	m.revWeight = make([]float64, m.nReg)
	m.hardFactor = make([]float64, m.nReg)
	revTotal := 0.0
	for i, g := range cfg.Regions {
		m.popShare[i] = g.PopulationM / total
		m.revWeight[i] = m.popShare[i] * g.RevenueFactor
		revTotal += m.revWeight[i]
		m.hardFactor[i] = g.HardshipFactor
	}
	for i := range m.revWeight {
		if revTotal > 0 {
			m.revWeight[i] /= revTotal
		}
	}
	m.regionTotal = make([]int, m.nReg)
	counts := cfg.agentCounts()
	for _, r := range agents.Roles {
		cnt := counts[r]
		for i := range cnt {
			m.regionTotal[i] += cnt[i]
			m.nTotal[r] += cnt[i]
		}
		if m.nTotal[r] > math.MaxInt32 {
			return nil, &FieldError{Field: "scale", Err: fmt.Errorf("gives %d %ss, more than 2^31", m.nTotal[r], r)}
		}
		m.n[r] = cnt
		m.pops[r] = agents.NewPopulation(r, cnt)
		m.counts[r] = make([][agents.NumStates]int, m.nReg)
		m.nGroup[r] = make([][agents.MaxGroups]int, m.nReg)
		m.defGroup[r] = make([][agents.MaxGroups]int, m.nReg)
		m.firstDef[r] = make([]bool, m.nReg)
	}
	m.parallel = make([]float64, m.nReg)
	m.feat = regionFeatures(&cfg)
	for _, s := range cfg.Shocks {
		cs := compiledShock{name: s.Name, end: -1}
		if s.Tick != nil {
			cs.start = *s.Tick
		} else {
			cs.start = cfg.TickOf(*s.At)
		}
		if s.Duration > 0 {
			cs.end = cs.start + s.Duration
		}
		for _, k := range sortedKeys(s.Set) {
			i, _ := paramIndex(k)
			cs.ops = append(cs.ops, paramOp{field: i, v: s.Set[k]})
		}
		for _, k := range sortedKeys(s.Scale) {
			i, _ := paramIndex(k)
			cs.ops = append(cs.ops, paramOp{field: i, v: s.Scale[k], scale: true})
		}
		m.shocks = append(m.shocks, cs)
	}
	m.terms = make([][agents.NumRoles]agents.Terms, m.nReg)
	for g := 0; g < m.nReg; g++ { // region-major, as events are reported
		for _, role := range agents.Roles {
			for b := 0; b < m.pops[role].Blocks(g); b++ {
				m.items = append(m.items, item{role: role, g: g, b: b})
			}
		}
	}
	m.game = newGame(&m.cfg, &m.pops, m.nReg)
	m.md = newModeState(&m.cfg, m.nReg)
	if cfg.Network.Enabled() {
		if err := m.initNetwork(); err != nil {
			return nil, err
		}
	}
	m.par.workers = 1
	m.par.streams = []*agents.Stream{agents.NewStream()}
	m.arrests = make([]int, m.nReg)
	m.defShare = make([]float64, m.nReg)
	m.damage = make([]float64, m.nReg)
	m.demo = make([]float64, m.nReg)
	m.legit = make([]float64, m.nReg)
	m.exited = make([]bool, m.nReg)
	m.persist = make([]int, m.nReg)
	if cfg.Sovereignty != nil {
		m.sov = make([]bool, m.nReg)
		m.sovPersist = make([]int, m.nReg)
		m.sovLoyal = make([]bool, m.nReg)
		m.lastOut = make([]int, m.nReg)
		m.sovCons = cfg.Sovereignty.consequences()
	}
	m.ticks = make([]TickRecord, 0, cfg.Ticks)
	m.regions = make([]RegionRecord, 0, cfg.Ticks*m.nReg)
	m.events = make([]Event, 0, 16+4*m.nReg)
	return m, nil
}

// Config returns a copy of the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// AgentUpdates returns the number of agent updates since the last Reset
// (agents of exited regions are no longer updated).
func (m *Model) AgentUpdates() int64 { return m.updates }

// Agents returns the number of agents of each role.
func (m *Model) Agents() [agents.NumRoles]int { return m.nTotal }

// agentCounts returns the number of agents of each role in each region.
func (c *Config) agentCounts() (n [agents.NumRoles][]int) {
	for _, r := range agents.Roles {
		rc := c.Roles.Get(r)
		n[r] = make([]int, len(c.Regions))
		for i, g := range c.Regions {
			v := math.Max(rc.PerMillion*g.PopulationM, float64(rc.MinPerRegion)) * c.Scale
			n[r][i] = max(1, int(math.Min(math.Round(v), math.MaxInt32)))
		}
	}
	return n
}

// Agents returns the number of agents a model of c has.
func (c *Config) Agents() int {
	t := 0
	for _, role := range c.agentCounts() {
		for _, v := range role {
			t += v
		}
	}
	return t
}

// MemoryEstimate returns about how many bytes a run of c needs: the agent
// columns (20 bytes an agent, 21 under the game rule), the network if any (8 bytes an agent and 8
// an edge) and the records of every tick (kept twice
// when a Result copies them).
func (c *Config) MemoryEstimate() uint64 {
	// Saturating arithmetic: an absurd configuration gives MaxUint64
	// (refused by any memory check), never a small wrapped number.
	agentsBytes := mulSat(uint64(max(c.Agents(), 0)), 20)
	counts := c.agentCounts()
	for _, role := range c.gameRoles() { // one strategy byte per agent under the game rule
		for _, n := range counts[role] {
			agentsBytes = addSat(agentsBytes, uint64(max(n, 0)))
		}
	}
	if c.Network.Enabled() {
		// Offsets, the defected bitset, and two 4-byte entries per edge.
		agentsBytes = addSat(agentsBytes, floatSat(float64(c.Agents())*(8+0.125+4*c.Network.Degree)))
	}
	nReg := uint64(len(c.Regions))
	// The regions' similarity features: a row of groups+1 float64 each.
	sim := mulSat(mulSat(nReg, uint64(len(c.Groups)+1)), 8)
	perTick := addSat(uint64(unsafe.Sizeof(TickRecord{})), mulSat(nReg, uint64(unsafe.Sizeof(RegionRecord{}))))
	records := mulSat(mulSat(2, uint64(max(c.Ticks, 0))), perTick)
	return addSat(addSat(addSat(agentsBytes, sim), records), 1<<20)
}

func addSat(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return math.MaxUint64
	}
	return s
}

func mulSat(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return math.MaxUint64
	}
	return lo
}

func floatSat(x float64) uint64 {
	if !(x < math.MaxUint64) {
		if x > 0 || math.IsNaN(x) {
			return math.MaxUint64
		}
	}
	if x <= 0 {
		return 0
	}
	return uint64(x)
}

// TickOf returns the tick that contains date d.
func (c *Config) TickOf(d Date) int {
	// Seconds since the start, not time.Sub, which saturates at 292 years.
	days := float64(d.Unix()-c.Start.Unix())/86400 + float64(d.Nanosecond()-c.Start.Nanosecond())/86400e9
	return int(math.Floor(days / c.TickDays))
}

// DateOf returns the calendar date of the start of tick t.
func (c *Config) DateOf(t int) Date {
	// Whole days with AddDate and the rest as a Duration: a single
	// time.Duration overflows after about 292 years.
	days := float64(t) * c.TickDays
	whole := math.Floor(days)
	return Date{c.Start.AddDate(0, 0, int(whole)).Add(time.Duration((days - whole) * 24 * float64(time.Hour)))}
}

// regionFeatures returns each region's features for the similarity, in
// rows of len(c.Groups)+1: base legitimacy and group shares (remainder in
// the last group).
func regionFeatures(c *Config) []float64 {
	feat := make([]float64, 0, len(c.Regions)*(len(c.Groups)+1))
	for i := range c.Regions {
		feat = append(feat, c.Regions[i].Legitimacy)
		feat = append(feat, groupShares(c, i)...)
	}
	return feat
}

// similarity returns the Gaussian similarity of regions g and h's
// features, exp(−|f_g − f_h|² / (2·bandwidth²)). It is computed when a
// region exits or declares (O(regions) each time) rather than kept as a
// regions² matrix, which at 20,000 regions took 3.2 GB and 17 s to build.
func (m *Model) similarity(g, h int) float64 {
	k := len(m.feat) / m.nReg
	fg, fh := m.feat[g*k:(g+1)*k], m.feat[h*k:(h+1)*k]
	d2 := 0.0
	for i := range fg {
		d := fg[i] - fh[i]
		d2 += d * d
	}
	bw := m.cfg.Exit.SimilarityBandwidth
	return math.Exp(-d2 / (2 * bw * bw))
}

// groupShares returns region i's share of each group, in Config.Groups
// order, with the remainder in the last group.
func groupShares(c *Config, i int) []float64 {
	sh := make([]float64, len(c.Groups))
	sum := 0.0
	for k, g := range c.Groups {
		sh[k] = c.Regions[i].Groups[g.Name]
		sum += sh[k]
	}
	sh[len(sh)-1] += math.Max(0, 1-sum)
	return sh
}

// Reset draws a fresh population from r and puts the regime in its initial
// state. Draws happen in a fixed order (role, region, agent).
func (m *Model) Reset(r *rand.Rand) error {
	if r == nil {
		return fmt.Errorf("regime: Reset needs a non-nil *rand.Rand")
	}
	m.resetExtensions()
	c := &m.cfg
	core := -1
	for k, g := range c.Groups {
		if g.Name == c.Population.CoreGroup {
			core = k
		}
	}
	shares := make([][]float64, m.nReg)
	union := make([]float64, len(c.Groups))
	for i := range c.Regions {
		shares[i] = groupShares(c, i)
		for k, s := range shares[i] {
			union[k] += s * m.popShare[i]
		}
	}
	for _, role := range agents.Roles {
		rc := c.Roles.Get(role)
		p := m.pops[role]
		p.Reset()
		econ := agents.NewSampler(rc.Economic, r)
		risk := agents.NewSampler(rc.RiskAversion, r)
		thresh := agents.NewSampler(rc.Threshold, r)
		// alignment samplers per group, for a given shift of the mean (beta
		// distributions; the mean is kept inside (0.01, 0.99)).
		samplers := func(shift float64) []agents.Sampler {
			out := make([]agents.Sampler, len(c.Groups))
			for k, grp := range c.Groups {
				mean := math.Min(0.99, math.Max(0.01, grp.Alignment+rc.AlignmentShift+shift))
				d := agents.Const(mean)
				if rc.AlignmentSD > 0 {
					d = agents.Dist{Kind: "beta", Mean: mean, SD: rc.AlignmentSD}.Shifted(0)
				}
				out[k] = agents.NewSampler(d, r)
			}
			return out
		}
		plain := samplers(0)
		for g := range c.Regions {
			local := plain
			if role == agents.Soldier && c.Regions[g].DraftCompliance < 1 && c.Population.DraftEffect > 0 {
				local = samplers(-c.Population.DraftEffect * (1 - c.Regions[g].DraftCompliance))
			}
			for i := p.Offset[g]; i < p.Offset[g+1]; i++ {
				group, from := pick(r, shares[g]), plain
				switch {
				case role == agents.Soldier && core >= 0 && r.Float64() < c.Population.Stacking:
					group = core
				case role == agents.Elite && core >= 0 && c.Population.EliteStacking > 0 && r.Float64() < c.Population.EliteStacking:
					group = core // elite stacking: no draw when it is off
				case role == agents.Soldier:
					if r.Float64() < c.Population.SoldierLocalShare {
						from = local
					} else {
						group = pick(r, union)
					}
				}
				p.Group[i] = uint8(group)
				p.Align[i] = float32(from[group].Rand())
				p.Econ[i] = float32(econ.Rand())
				p.Risk[i] = float32(risk.Rand())
				p.Thresh[i] = float32(thresh.Rand())
			}
		}
	}
	m.key = r.Uint64()
	if c.Network.Enabled() && c.Network.Seed == 0 {
		if err := m.drawNetwork(r.Uint64()); err != nil {
			return err
		}
	}
	if m.game != nil {
		m.resetGame()
	}
	for _, role := range agents.Roles {
		for g := range m.counts[role] {
			m.counts[role][g] = [agents.NumStates]int{agents.Loyal: m.n[role][g]}
			m.nGroup[role][g] = m.pops[role].CountGroups(g)
			m.defGroup[role][g] = [agents.MaxGroups]int{}
		}
		clear(m.firstDef[role])
		m.cascadeLow[role] = -1
		m.inCascade[role] = false
	}
	clear(m.arrests)
	clear(m.defShare)
	clear(m.damage)
	clear(m.demo)
	clear(m.exited)
	clear(m.persist)
	clear(m.sov)
	clear(m.sovPersist)
	clear(m.sovLoyal)
	clear(m.lastOut)
	clear(m.assetsPersist)
	m.bargainCred = 1
	if m.md != nil {
		m.md.reset()
	}
	m.econIdx, m.reserves = 1, c.Regime.Reserves
	m.payBonus, m.rewardBonus = 0, 0
	m.collapsed, m.collapseAt = false, -1
	m.capacity0 = 0
	m.derived = derived{}
	for g := range c.Regions {
		n := float64(m.n[agents.Soldier][g])
		m.capacity0 += n + n*(c.Regime.ParallelForces+c.Regime.ForeignForces)*c.Regions[g].ParallelFactor
	}
	m.updates = 0
	m.ticks = m.ticks[:0]
	m.regions = m.regions[:0]
	m.events = m.events[:0]
	return nil
}

// pick draws an index with probabilities proportional to w.
func pick(r *rand.Rand, w []float64) int {
	u := r.Float64()
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	u *= sum
	for k, x := range w {
		u -= x
		if u < 0 {
			return k
		}
	}
	return len(w) - 1
}

// Done reports whether the run should stop: the regime has collapsed and the
// collapse rule says to stop.
func (m *Model) Done() bool { return m.collapsed && m.cfg.Collapse.Stop }

// Step advances the model by one tick. It allocates nothing (events aside,
// whose buffer is preallocated for the usual number).
func (m *Model) Step(ctx context.Context, t int, _ *rand.Rand) error {
	c := &m.cfg
	m.applyPolicy(t)
	m.bargainTick(t)
	if m.ext.err != nil {
		return m.ext.err
	}
	d := &m.derived
	eff := &m.eff

	// Legitimacy.
	for g := range c.Regions {
		if m.exited[g] {
			continue
		}
		base := c.Regions[g].Legitimacy * eff.Legitimacy * (1 - m.demo[g]) * m.sovFactor(g)
		m.legit[g] = math.Min(1, math.Max(0, math.Max(base-m.damage[g], eff.LegitimacyFloor*base)))
	}

	// Agents.
	hardship := math.Min(1, math.Max(0, eff.Hardship+1-m.econ()))
	for g := range c.Regions {
		if m.exited[g] {
			continue
		}
		citShare := m.share(agents.Citizen, g)
		enforcers := float64(m.counts[agents.Soldier][g][agents.Loyal])*m.sovEnforcers(g) + m.parallel[g]
		// All three roles' terms come from last tick's counts (synchronous
		// update); the agents step once every region's terms are set.
		for _, role := range agents.Roles {
			rc := c.Roles.Get(role)
			// Detection: Epstein's (2002) form, with the defectors visible in
			// the agent's own arena (protesters in the crowd, mutineers in the
			// ranks, dissidents in the nomenklatura).
			ratio := c.Detection.round(enforcers / (1 + float64(m.counts[role][g][agents.Defected])))
			p := eff.Surveillance * (1 - math.Exp(-eff.ArrestK*ratio))
			k := &m.terms[g][role]
			k.Rule = rc.Rule
			k.Decider = m.ext.deciders[role]
			k.TermMin, k.TermMax = rc.JailMin, rc.JailMax
			k.Ideo = rc.Weights.Ideological * (1 - m.legit[g])
			switch role {
			case agents.Citizen:
				k.Pay, k.Econ = false, rc.Weights.Economic*math.Min(1, hardship*m.hardFactor[g])
			case agents.Soldier:
				k.Pay, k.Econ = true, rc.Weights.Economic
				k.Paid = eff.Pay*d.delivery + eff.ExtraRewards + eff.EnterpriseRents*m.econ()
			case agents.Elite:
				k.Pay, k.Econ = true, rc.Weights.Economic
				k.Paid = eff.ElitePay*d.delivery + eff.EliteRents*m.econ()*(1-eff.TaxCompliance*citShare)
				if c.Bargain != nil {
					k.Paid += m.bargainRents(g)
				}
			}
			m.socialTerms(k, rc, g)
			sev := d.repression
			if role != agents.Citizen {
				sev *= 1 + eff.FamilyReprisal
			}
			k.Coerce = rc.Weights.Coercive * p * sev
			k.Arrest = eff.ArrestRate * p * d.repression
			k.PurgeLoyal = 0
			if role != agents.Citizen && d.purge {
				k.Arrest = math.Min(1, k.Arrest+eff.PurgeRate*eff.Surveillance)
				k.PurgeLoyal = eff.PurgeRate * eff.PurgeFalsePositive
			}
			if m.game != nil && m.game.on[role] {
				m.gameTerms(k, rc, role, g, enforcers)
			}
			if m.md != nil {
				m.modeTerms(k, rc, role, g)
			}
		}
	}

	if m.net != nil {
		m.net.Snapshot(&m.pops)
	}
	// Agents: every block of every role and region still in the state,
	// in parallel when SetWorkers asked for it (the result is the same).
	m.stepItems(t)
	for i := 0; i < len(m.items); {
		it := m.items[i]
		var tl agents.Tally
		for ; i < len(m.items) && m.items[i].role == it.role && m.items[i].g == it.g; i++ {
			tl.Add(m.items[i].tally)
		}
		role, g := it.role, it.g
		if m.exited[g] {
			continue
		}
		if role == agents.Citizen {
			m.arrests[g] = 0
		}
		m.counts[role][g] = [agents.NumStates]int{tl.Loyal, tl.Defected, tl.Jailed}
		m.defGroup[role][g] = tl.DefectedBy
		if m.game != nil && m.game.on[role] {
			// Strategies are counted by a pass over the column (not in the
			// tally, which stays as small as the other rules need).
			m.game.counts[role][g] = m.pops[role].CountStrategies(g)
		}
		if m.md != nil {
			m.md.counts[role][g] = ModeCounts{Switched: tl.Switched, Shirked: tl.Shirked, Emigrated: tl.Emigrated, Departed: tl.Departed, Fled: tl.Fled}
		}
		m.arrests[g] += tl.Arrests
		m.updates += int64(m.n[role][g])
		if tl.Defected > 0 && !m.firstDef[role][g] {
			m.firstDef[role][g] = true
			m.event(t, EventFirstDefection, g, role, m.share(role, g), "")
		}
	}

	// Legitimacy damage from this tick's defections and arrests.
	for g := range c.Regions {
		if m.exited[g] {
			continue
		}
		def := 0
		for _, role := range agents.Roles {
			def += m.counts[role][g][agents.Defected]
			if m.md != nil {
				def += m.md.counts[role][g].Switched // turncoats are seen too
			}
		}
		share := float64(def) / float64(m.regionTotal[g])
		m.damage[g] = m.damage[g]*(1-eff.LegitimacyRecovery) +
			eff.DefectionErosion*math.Max(0, share-m.defShare[g]) +
			eff.Backfire*float64(m.arrests[g])/float64(m.regionTotal[g])
		m.defShare[g] = share
	}

	if m.md != nil {
		m.md.afterStep(m)
	}
	m.applySovereignty(t)
	m.applyExits(t)
	m.checkCollapse(t)
	m.checkCascades(t)
	m.record(t)
	if m.game != nil {
		m.recordGame(t)
	}
	return m.observe(t)
}

// socialTerms sets k.Social and k.GroupSocial for role config rc in region
// g from last tick's defected shares: the region-wide signal weighted by
// 1 − GroupSocial, and each group's own signal weighted by GroupSocial.
func (m *Model) socialTerms(k *agents.Terms, rc *RoleConfig, g int) {
	obs := [agents.NumRoles]float64{rc.Observes.Citizen, rc.Observes.Soldier, rc.Observes.Elite}
	sum := obs[0] + obs[1] + obs[2]
	k.Social, k.Net = 0, nil
	clear(k.GroupSocial[:])
	if sum == 0 || rc.Weights.Social == 0 {
		return
	}
	s := 0.0
	for _, role := range agents.Roles {
		s += obs[role] * m.share(role, g)
	}
	gs := rc.GroupSocial
	k.Social = rc.Weights.Social * (1 - gs) * s / sum
	k.Net = nil
	if m.net != nil {
		w := m.cfg.Network.Weight
		k.Social = rc.Weights.Social * (1 - gs) * (1 - w) * s / sum
		k.Net, k.NetSocial, k.NetObserves = m.net, rc.Weights.Social*(1-gs)*w, obs
	}
	if gs == 0 {
		return
	}
	for grp := range m.cfg.Groups {
		sg := 0.0
		for _, role := range agents.Roles {
			share := m.share(role, g) // a role with no member of the group: the region's share
			if n := m.nGroup[role][g][grp]; n > 0 {
				share = float64(m.defGroup[role][g][grp]) / float64(n)
			}
			sg += obs[role] * share
		}
		k.GroupSocial[grp] = rc.Weights.Social * gs * sg / sum
	}
}

// econ returns the current economy index.
func (m *Model) econ() float64 { return m.eff.Economy * m.econIdx }

// share returns the defected share of role in region g (last counts).
func (m *Model) share(role agents.Role, g int) float64 {
	return float64(m.counts[role][g][agents.Defected]) / float64(m.n[role][g])
}

// roleShare returns the defected share of role in the whole state.
func (m *Model) roleShare(role agents.Role) float64 {
	d := 0
	for g := range m.counts[role] {
		d += m.counts[role][g][agents.Defected]
	}
	return float64(d) / float64(m.nTotal[role])
}

// inUnionShare returns the defected share of role among regions still in
// the state (the signal adaptive policies react to).
func (m *Model) inUnionShare(role agents.Role) float64 {
	d, n := 0, 0
	for g := range m.counts[role] {
		if !m.exited[g] {
			d += m.counts[role][g][agents.Defected]
			n += m.n[role][g]
		}
	}
	if n == 0 {
		return 0
	}
	return float64(d) / float64(n)
}

// applyPolicy computes this tick's effective parameters (shocks in the
// order listed, adaptive policies, collapse) and the budget.
func (m *Model) applyPolicy(t int) {
	c := &m.cfg
	m.eff = c.Regime
	ev := reflect.ValueOf(&m.eff).Elem()
	for _, s := range m.shocks {
		if t == s.start {
			m.event(t, EventShockStart, -1, 0, 0, s.name)
		}
		if t == s.end {
			m.event(t, EventShockEnd, -1, 0, 0, s.name)
		}
		if t < s.start || (s.end >= 0 && t >= s.end) {
			continue
		}
		for _, op := range s.ops {
			f := ev.Field(op.field)
			v := op.v
			if op.scale {
				v *= f.Float()
			}
			if unitParam[op.field] {
				v = min(1, v) // scaled shares stay shares
			}
			f.SetFloat(v)
		}
	}
	m.runPolicy(t)
	eff := &m.eff
	d := &m.derived
	protest := m.inUnionShare(agents.Citizen)
	soldiers := m.inUnionShare(agents.Soldier)
	elites := m.inUnionShare(agents.Elite)

	// Adaptive pay and rewards: a ratchet while soldiers defect and reserves last.
	if !m.collapsed && eff.PayResponse > 0 && soldiers > eff.PayTrigger && m.reserves > 0 {
		m.payBonus = math.Min(m.payBonus+eff.PayResponse, math.Max(0, eff.PayMax-eff.Pay))
		m.rewardBonus = math.Min(m.rewardBonus+eff.PayResponse, math.Max(0, eff.PayMax-eff.ExtraRewards))
	}
	eff.Pay += m.payBonus
	eff.ExtraRewards += m.rewardBonus

	d.repression = eff.Repression
	if eff.RepressionResponse > 0 && protest > eff.ProtestTolerance {
		d.repression = math.Max(d.repression, math.Min(eff.RepressionMax, eff.Repression+eff.RepressionResponse*(protest-eff.ProtestTolerance)))
	}
	d.purge = eff.PurgeRate > 0 && (soldiers > eff.PurgeTrigger || elites > eff.PurgeTrigger)
	if m.collapsed {
		// The centre is gone: no legitimacy, pay, rents, rewards, repression,
		// surveillance or praetorian guard.
		eff.Legitimacy, eff.Surveillance, eff.ParallelForces = 0, 0, 0
		eff.ForeignForces, eff.ExternalFunds = 0, 0                   // outside support ends with the regime
		eff.BorderControl, eff.BorderLethality, eff.Minders = 0, 0, 0 // and so does its border
		eff.Pay, eff.ElitePay, eff.ExtraRewards, eff.EnterpriseRents, eff.EliteRents = 0, 0, 0, 0, 0
		d.repression, d.purge = 0, false
	}
	for g := range c.Regions {
		m.parallel[g] = neverDefect(eff) * float64(m.n[agents.Soldier][g]) * c.Regions[g].ParallelFactor
	}

	// Economy and budget.
	if t > 0 {
		m.econIdx *= 1 - math.Min(1, eff.EconomyDecline)
	}
	if m.collapsed {
		d.delivery, d.revenue, d.payroll = 0, 0, 0
		return
	}
	econ := m.econ()
	revenue, paidS, paidE := 0.0, 0, 0
	for g := range c.Regions {
		if m.exited[g] {
			continue
		}
		r := m.revWeight[g] * (1 - eff.TaxCompliance*m.share(agents.Citizen, g)) * m.sovRevenue(g)
		if m.md != nil {
			r *= m.md.labour(m, g) // emigrants take their work and taxes with them
		}
		revenue += r
		paidS += m.counts[agents.Soldier][g][agents.Loyal] + m.counts[agents.Soldier][g][agents.Defected]
		paidE += m.counts[agents.Elite][g][agents.Loyal] + m.counts[agents.Elite][g][agents.Defected]
	}
	revenue *= econ
	payroll := eff.SoldierPayroll*eff.Pay*float64(paidS)/float64(m.nTotal[agents.Soldier]) +
		eff.ElitePayroll*eff.ElitePay*float64(paidE)/float64(m.nTotal[agents.Elite])
	available := m.reserves + revenue + eff.ExternalFunds - eff.OtherSpending - eff.RepressionCost*d.repression
	if payroll <= 0 {
		d.delivery = 1
	} else {
		d.delivery = math.Min(1, math.Max(0, available/payroll))
	}
	m.reserves = math.Max(0, available-d.delivery*payroll)
	d.revenue, d.payroll = revenue, payroll
}

// applyExits moves regions that meet the exit rule out of the state.
func (m *Model) applyExits(t int) {
	c := &m.cfg
	if !c.Exit.Enabled {
		return
	}
	lastOutOn, lastOut := m.lastOutOpen() // before this tick's exits: the order of the regions does not matter
	for g := range c.Regions {
		if m.exited[g] {
			continue
		}
		if lastOutOn && m.sovLoyal[g] {
			// A loyal sovereign region leaves a union that has dissolved
			// around it, not by the exit rule (AssetsRule.LastOut).
			if lastOut {
				m.lastOut[g]++
			} else {
				m.lastOut[g] = 0
			}
			if m.lastOut[g] >= c.Assets.LastOutPersist {
				m.exit(t, g, "last_out")
			}
			continue
		}
		if m.share(agents.Elite, g) >= m.exitElite(g) &&
			(m.share(agents.Citizen, g) >= c.Exit.Citizen || m.share(agents.Soldier, g) >= c.Exit.Soldier) {
			m.persist[g]++
		} else {
			m.persist[g] = 0
		}
		if m.persist[g] < c.Exit.Persist {
			continue
		}
		if c.Bargain != nil && !m.sov[g] {
			// Under a bargaining stage a republic that would leave first
			// declares sovereignty and bargains (BargainRule).
			m.declare(t, g, ChannelDefection)
			m.persist[g] = 0
			continue
		}
		m.exit(t, g, "")
	}
}

// exit moves region g out of the state at tick t (detail: the exit
// event's Detail).
func (m *Model) exit(t, g int, detail string) {
	c := &m.cfg
	m.exited[g] = true
	eliteShare := m.share(agents.Elite, g)
	for _, role := range agents.Roles {
		m.pops[role].SetRegion(g, agents.Defected) // emigrants stay emigrants
		m.counts[role][g] = [agents.NumStates]int{agents.Defected: m.n[role][g]}
		m.defGroup[role][g] = m.nGroup[role][g]
		if m.md != nil {
			mc := m.md.counts[role][g] // this tick's departures stand
			m.counts[role][g][agents.Defected] -= mc.Emigrated
			m.md.counts[role][g] = ModeCounts{Emigrated: mc.Emigrated, Departed: mc.Departed, Fled: mc.Fled}
		}
	}
	m.event(t, EventExit, g, 0, eliteShare, detail)
	for h := range c.Regions {
		if !m.exited[h] {
			m.demo[h] += m.eff.Demonstration * m.similarity(g, h) * (1 - m.demo[h])
		}
	}
}

// checkCollapse applies the collapse rule.
func (m *Model) checkCollapse(t int) {
	c := &m.cfg
	d := &m.derived
	d.exitedPop, d.capacity = 0, 0
	for g := range c.Regions {
		if m.exited[g] {
			d.exitedPop += m.popShare[g]
			continue
		}
		d.capacity += float64(m.counts[agents.Soldier][g][agents.Loyal])
		if !m.collapsed {
			d.capacity += float64(m.n[agents.Soldier][g]) * neverDefect(&m.eff) * c.Regions[g].ParallelFactor
		}
	}
	d.capacity = math.Min(1, d.capacity/m.capacity0) // parallel forces raised by a shock count up to the initial capacity
	if m.collapsed {
		return
	}
	switch {
	case d.exitedPop > c.Collapse.ExitedPopulation:
		m.collapsed, m.collapseAt = true, t
		m.event(t, EventCollapse, -1, 0, d.exitedPop, "exited_population")
	case d.capacity < c.Collapse.CapacityFloor:
		m.collapsed, m.collapseAt = true, t
		m.event(t, EventCollapse, -1, 0, d.capacity, "coercive_capacity")
	}
}

// checkCascades reports a cascade when a role's share rises from <= From to
// >= To within Within ticks.
func (m *Model) checkCascades(t int) {
	cr := m.cfg.Cascade
	for _, role := range agents.Roles {
		s := m.roleShare(role)
		if s <= cr.From {
			m.cascadeLow[role] = t
			m.inCascade[role] = false
			continue
		}
		if !m.inCascade[role] && s >= cr.To && m.cascadeLow[role] >= 0 && t-m.cascadeLow[role] <= cr.Within {
			m.inCascade[role] = true
			m.event(t, EventCascade, -1, role, s, "")
			m.events[len(m.events)-1].Span = t - m.cascadeLow[role]
		}
	}
}

// initNetwork lays out the network's nodes (role after role, each role's
// agents region-major) and their communities (one per region), and draws
// the graph now if its seed is fixed.
func (m *Model) initNetwork() error {
	base := 0
	var bases [agents.NumRoles]int
	for _, r := range agents.Roles {
		bases[r] = base
		base += m.nTotal[r]
	}
	m.comms = make([]agents.Community, m.nReg)
	for g := range m.comms {
		for _, r := range agents.Roles {
			off := m.pops[r].Offset
			m.comms[g] = append(m.comms[g], agents.Span{Lo: bases[r] + off[g], Hi: bases[r] + off[g+1]})
		}
	}
	if s := m.cfg.Network.Seed; s != 0 {
		return m.drawNetwork(s)
	}
	return nil
}

// drawNetwork draws the graph from seed s, reusing the last graph's memory.
func (m *Model) drawNetwork(s uint64) error {
	var g *agents.Graph
	if m.net != nil {
		g = m.net.Graph
	}
	g, err := agents.BuildGraph(g, m.cfg.Network.spec(), m.comms, m.nTotal[0]+m.nTotal[1]+m.nTotal[2], s)
	if err != nil {
		return &FieldError{Field: "network", Err: err}
	}
	if m.net == nil {
		m.net, err = agents.NewNeighbourhood(g, m.nTotal)
	}
	return err
}

// Network returns the social network's graph, or nil when the scenario has
// none. It is drawn by Reset (or by New, for a fixed network seed).
func (m *Model) Network() *agents.Graph {
	if m.net == nil {
		return nil
	}
	return m.net.Graph
}
