package regime

import (
	"sync"
	"sync/atomic"

	"github.com/turncoat-abm/turncoat/agents"
)

// item is one block of agents to step: block b of role's agents in region g.
type item struct {
	role  agents.Role
	g, b  int
	tally agents.Tally
}

// parallel is the model's pool of stepping goroutines.
type parallel struct {
	workers int
	streams []*agents.Stream // one per goroutine
	next    atomic.Int64     // next item to take this tick
	tick    int
	wake    chan struct{}
	wg      sync.WaitGroup
	running bool
}

// MaxWorkers is the most stepping goroutines a Model uses.
const MaxWorkers = 256

// SetWorkers sets how many goroutines step the agents within a tick
// (default 1). Results are identical for every count: each block of 4096
// agents draws from its own keyed stream, and counts are summed in a fixed
// order. Goroutines are started by the first parallel Step and stopped at
// the end of Run and RunShared; a caller that drives Step itself with more
// than one worker must call Close.
//
// The count is capped at the number of work items (one per block of 4096
// agents of a role in a region: more goroutines would have nothing to do)
// and at MaxWorkers, so that --workers 10000000 costs nothing.
func (m *Model) SetWorkers(n int) {
	m.Close()
	n = min(max(1, n), MaxWorkers, max(1, len(m.items)))
	m.par.workers = n
	for len(m.par.streams) < n {
		m.par.streams = append(m.par.streams, agents.NewStream())
	}
}

// Workers returns the number of stepping goroutines.
func (m *Model) Workers() int { return m.par.workers }

// Close stops the stepping goroutines, if any. The model stays usable.
func (m *Model) Close() {
	if !m.par.running {
		return
	}
	close(m.par.wake)
	m.par.running = false
}

// stepItems steps every item of tick t, on the caller's goroutine and the
// pool's.
func (m *Model) stepItems(t int) {
	m.par.tick = t
	m.par.next.Store(0)
	if m.par.workers > 1 {
		if !m.par.running {
			m.par.wake = make(chan struct{})
			m.par.running = true
			for w := 1; w < m.par.workers; w++ {
				go m.worker(m.par.wake, m.par.streams[w])
			}
		}
		m.par.wg.Add(m.par.workers - 1)
		for w := 1; w < m.par.workers; w++ {
			m.par.wake <- struct{}{}
		}
	}
	m.drain(m.par.streams[0])
	if m.par.workers > 1 {
		m.par.wg.Wait()
	}
}

// worker steps items each time it is woken, until wake is closed.
func (m *Model) worker(wake chan struct{}, s *agents.Stream) {
	for range wake {
		m.drain(s)
		m.par.wg.Done()
	}
}

// drain takes items until none are left.
func (m *Model) drain(s *agents.Stream) {
	for {
		i := int(m.par.next.Add(1) - 1)
		if i >= len(m.items) {
			return
		}
		it := &m.items[i]
		if m.exited[it.g] {
			it.tally = agents.Tally{}
			continue
		}
		it.tally = m.pops[it.role].StepBlock(it.g, it.b, &m.terms[it.g][it.role], m.key, m.par.tick, s)
	}
}
