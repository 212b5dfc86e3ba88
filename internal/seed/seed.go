// Package seed derives independent, reproducible random streams from a
// master seed.
//
// A run's seed is Mix(master, point, replicate); an extra stream inside a run
// is Mix(runSeed, Label("name")). Mix is a SplitMix64 finaliser chain: it
// depends only on its inputs, never on worker counts, scheduling or process
// state, so every derived stream is a pure function of the design index.
// Label hashes with FNV-1a (never hash/maphash, which is seeded per process).
package seed

import "math/rand/v2"

// golden is the SplitMix64 increment (2^64 / φ); 0x3c6ef372fe94f82a below is 2·golden mod 2^64.
const golden = 0x9e3779b97f4a7c15

// Finalize is the SplitMix64 output function: a bijective avalanche of x.
func Finalize(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Mix combines a and b into a well-scrambled 64-bit seed. It is not
// commutative: Mix(a, b) and Mix(b, a) differ.
func Mix(a, b uint64) uint64 {
	return Finalize(Finalize(a+golden) ^ (b + 0x3c6ef372fe94f82a))
}

// Mix3 is Mix(Mix(a, b), c).
func Mix3(a, b, c uint64) uint64 { return Mix(Mix(a, b), c) }

// Label returns the 64-bit FNV-1a hash of s, for naming streams.
func Label(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// PCG returns PCG state words for seed s.
func PCG(s uint64) (uint64, uint64) { return Finalize(s), Finalize(s ^ golden) }

// New returns a PCG-backed generator for seed s.
func New(s uint64) *rand.Rand {
	hi, lo := PCG(s)
	return rand.New(rand.NewPCG(hi, lo))
}
