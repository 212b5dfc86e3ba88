package regime

// neverDefect returns the forces that never defect while the regime
// stands, per initial soldier: the regime's own praetorian (parallel)
// forces plus foreign intervention forces. Both count as enforcers in
// detection and as coercive capacity.
func neverDefect(p *Params) float64 { return p.ParallelForces + p.ForeignForces }
