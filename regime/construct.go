package regime

// RegionOption sets an optional field of a region built by NewRegion.
type RegionOption func(*Region)

// NewRegion returns a region with the given name, population in millions
// and base legitimacy, and the documented defaults of every other field
// (RegionDefaults: DraftCompliance, HardshipFactor, RevenueFactor and
// ParallelFactor = 1, no groups), then applies opts in order. It gives the
// same Region as a YAML region entry stating the same fields.
//
// Prefer it to a struct literal: in a literal the omitted factors are 0,
// not their defaults (no revenue, no hardship, no parallel forces, no
// conscripts), and Validate refuses a region whose four factors are all 0.
func NewRegion(name string, populationM, legitimacy float64, opts ...RegionOption) Region {
	r := RegionDefaults()
	r.Name, r.PopulationM, r.Legitimacy = name, populationM, legitimacy
	for _, o := range opts {
		o(&r)
	}
	return r
}

// WithGroups sets the region's group shares (group name -> share); the map
// is copied.
func WithGroups(shares map[string]float64) RegionOption {
	return func(r *Region) {
		r.Groups = make(map[string]float64, len(shares))
		for k, v := range shares {
			r.Groups[k] = v
		}
	}
}

// WithDraftCompliance sets the share of conscripts who report (default 1).
func WithDraftCompliance(v float64) RegionOption {
	return func(r *Region) { r.DraftCompliance = v }
}

// WithHardshipFactor sets the multiplier of regional hardship (default 1).
func WithHardshipFactor(v float64) RegionOption {
	return func(r *Region) { r.HardshipFactor = v }
}

// WithRevenueFactor sets the multiplier of the region's revenue per
// inhabitant (default 1).
func WithRevenueFactor(v float64) RegionOption {
	return func(r *Region) { r.RevenueFactor = v }
}

// WithParallelFactor sets the multiplier of the parallel and foreign
// forces stationed in the region, per soldier (default 1).
func WithParallelFactor(v float64) RegionOption {
	return func(r *Region) { r.ParallelFactor = v }
}
