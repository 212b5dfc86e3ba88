package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// heartbeatDelay is how long a command runs before its heartbeat starts:
// short runs print nothing extra.
const heartbeatDelay = 2 * time.Second

// startHeartbeat shows that a long computation is alive: on a terminal a
// status line ("label: running, 12s") redrawn every second after
// heartbeatDelay and erased at the end; elsewhere a log line every 10 s
// (a minute under CI). The returned stop waits for the heartbeat to end.
func startHeartbeat(w io.Writer, label string) (stop func()) {
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
	return heartbeat(w, label, tty, heartbeatDelay, every)
}

func heartbeat(w io.Writer, label string, tty bool, delay, every time.Duration) (stop func()) {
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
			el := time.Since(start).Round(time.Second)
			if tty {
				fmt.Fprintf(w, "\r\033[K%s: running, %s (Ctrl-C stops)", label, el)
				drawn = true
			} else {
				fmt.Fprintf(w, "%s: running, %s\n", label, el)
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
