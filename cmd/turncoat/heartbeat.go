package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/turncoat-abm/turncoat/regime"
)

// heartbeatDelay is how long a command runs before its heartbeat starts:
// short runs print nothing extra.
const heartbeatDelay = 2 * time.Second

// startHeartbeat shows that a long computation is alive: on a terminal a
// status line ("label: running, 12s") redrawn every second after
// heartbeatDelay and erased at the end; elsewhere a log line every 10 s
// (a minute under CI). With a non-nil p the line also shows the run's tick
// and an ETA. The returned stop waits for the heartbeat to end.
func startHeartbeat(w io.Writer, label string, p *tickProgress) (stop func()) {
	tty := false
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == "" {
		tty = true
	}
	every := 10 * time.Second
	switch {
	case tty:
		every = time.Second
	case os.Getenv("CI") != "":
		every = time.Minute
	}
	return heartbeat(w, label, tty, heartbeatDelay, every, p)
}

// tickProgress counts the ticks of a single run for its heartbeat. Its
// observer only stores an atomic counter: it allocates nothing and changes
// no output.
type tickProgress struct {
	done  atomic.Int64
	total int
}

// observer returns the regime.Observer that records the finished tick.
func (p *tickProgress) observer() regime.Observer {
	return func(v regime.View) error {
		p.done.Store(int64(v.Tick()) + 1)
		return nil
	}
}

// status returns ", tick N/T, about D left" after el of running, or ""
// before the first tick (or with no progress).
func (p *tickProgress) status(el time.Duration) string {
	if p == nil {
		return ""
	}
	n := p.done.Load()
	if n <= 0 {
		return ""
	}
	s := fmt.Sprintf(", tick %d/%d", n, p.total)
	if left := int64(p.total) - n; left > 0 {
		eta := time.Duration(float64(el) / float64(n) * float64(left)).Round(time.Second)
		s += fmt.Sprintf(", about %s left", eta)
	}
	return s
}

func heartbeat(w io.Writer, label string, tty bool, delay, every time.Duration, p *tickProgress) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	start := time.Now()
	go func() {
		defer wg.Done()
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-done:
			return
		case <-timer.C:
		}
		tick := time.NewTicker(every)
		defer tick.Stop()
		drawn := false
		for {
			since := time.Since(start)
			el, prog := since.Round(time.Second), p.status(since)
			if tty {
				fmt.Fprintf(w, "\r\033[K%s: running, %s%s (Ctrl-C stops)", label, el, prog)
				drawn = true
			} else {
				fmt.Fprintf(w, "%s: running, %s%s\n", label, el, prog)
			}
			select {
			case <-done:
				if drawn {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		wg.Wait()
	}
}
