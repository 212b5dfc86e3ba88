package epstein_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/epstein"
)

func TestInvariantsAndDeterminism(t *testing.T) {
	for _, v := range epstein.Variants {
		var trace [2][]int
		for k := range trace {
			m, err := epstein.New(epstein.Defaults(v))
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(7, 7))
			require.NoError(t, m.Reset(r))
			q0, a0, j0, c0 := m.Counts()
			for tick := 0; tick < 150; tick++ {
				require.NoError(t, m.Step(context.Background(), tick, r))
				q, a, j, c := m.Counts()
				require.Equal(t, q0+a0+j0, q+a+j, "%s tick %d: citizens conserved", v, tick)
				require.Equal(t, c0, c)
				require.LessOrEqual(t, m.Arrests, c, "%s tick %d: arrests per tick never exceed the cops", v, tick)
				trace[k] = append(trace[k], a)
			}
		}
		assert.Equal(t, trace[0], trace[1], "%s: same seed, same trajectory", v)
	}
}

func TestValidate(t *testing.T) {
	bad := epstein.Defaults("nonsense")
	assert.Error(t, bad.Validate())
	c := epstein.Defaults(epstein.Mesa)
	c.CitizenDensity, c.CopDensity = 0.9, 0.2
	assert.Error(t, c.Validate())
	assert.NoError(t, epstein.MesaModelDefaults().Validate())
}

// TestStepAllocatesNothing: after Reset (and a few ticks of warm-up), a
// tick allocates nothing, in every variant.
func TestStepAllocatesNothing(t *testing.T) {
	for _, v := range epstein.Variants {
		for _, size := range []int{40, 120} {
			c := epstein.Defaults(v)
			c.Width, c.Height = size, size
			m, err := epstein.New(c)
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(3, 3))
			require.NoError(t, m.Reset(r))
			tick := 0
			step := func() {
				require.NoError(t, m.Step(context.Background(), tick, r))
				tick++
			}
			for range 10 {
				step()
			}
			assert.Zero(t, testing.AllocsPerRun(50, step), "%s %dx%d", v, size, size)
		}
	}
}

// TestVisionWiderThanTheGrid: sight wrapping around the torus more than
// once (vision > width, height) runs and conserves agents. (The first
// implementation panicked there.)
func TestVisionWiderThanTheGrid(t *testing.T) {
	for _, v := range epstein.Variants {
		c := epstein.Defaults(v)
		c.Width, c.Height, c.Vision = 5, 4, 9
		c.CitizenDensity, c.CopDensity = 0.5, 0.15
		m, err := epstein.New(c)
		require.NoError(t, err)
		r := rand.New(rand.NewPCG(5, 5))
		require.NoError(t, m.Reset(r))
		q0, a0, j0, c0 := m.Counts()
		for tick := 0; tick < 100; tick++ {
			require.NoError(t, m.Step(context.Background(), tick, r))
			q, a, j, c := m.Counts()
			require.Equal(t, q0+a0+j0, q+a+j, "%s tick %d", v, tick)
			require.Equal(t, c0, c)
		}
	}
}
