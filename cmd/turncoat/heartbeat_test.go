package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

type lockedBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestHeartbeat: log lines after the delay off a terminal, a status line
// erased at the end on one, and nothing for a short computation.
func TestHeartbeat(t *testing.T) {
	var quick lockedBuf
	heartbeat(&quick, "x", false, time.Hour, time.Millisecond)()
	assert.Empty(t, quick.String(), "nothing before the delay")

	var logb lockedBuf
	stop := heartbeat(&logb, "soviet1991", false, time.Millisecond, time.Millisecond)
	assert.Eventually(t, func() bool { return strings.Count(logb.String(), "\n") >= 2 }, 5*time.Second, time.Millisecond)
	stop()
	assert.True(t, strings.HasPrefix(logb.String(), "soviet1991: running, "))

	var tty lockedBuf
	stop = heartbeat(&tty, "validate", true, time.Millisecond, time.Millisecond)
	assert.Eventually(t, func() bool { return strings.Contains(tty.String(), "validate: running") }, 5*time.Second, time.Millisecond)
	stop()
	assert.True(t, strings.HasSuffix(tty.String(), "\r\033[K"), "the status line is erased")
	assert.NotContains(t, tty.String(), "\n")
}
