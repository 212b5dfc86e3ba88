package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/regime/regimetest"
	"github.com/turncoat-abm/turncoat/scenarios"
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
	heartbeat(&quick, "x", false, time.Hour, time.Millisecond, nil)()
	assert.Empty(t, quick.String(), "nothing before the delay")

	var logb lockedBuf
	stop := heartbeat(&logb, "soviet1991", false, time.Millisecond, time.Millisecond, nil)
	assert.Eventually(t, func() bool { return strings.Count(logb.String(), "\n") >= 2 }, 5*time.Second, time.Millisecond)
	stop()
	assert.True(t, strings.HasPrefix(logb.String(), "soviet1991: running, "))

	var tty lockedBuf
	stop = heartbeat(&tty, "validate", true, time.Millisecond, time.Millisecond, nil)
	assert.Eventually(t, func() bool { return strings.Contains(tty.String(), "validate: running") }, 5*time.Second, time.Millisecond)
	stop()
	assert.True(t, strings.HasSuffix(tty.String(), "\r\033[K"), "the status line is erased")
	assert.NotContains(t, tty.String(), "\n")
}

// TestHeartbeatShowsTicks: with a run's tick progress the heartbeat shows
// "tick N/T" and an ETA, on a terminal and in log lines.
func TestHeartbeatShowsTicks(t *testing.T) {
	p := &tickProgress{total: 520}
	assert.Empty(t, p.status(time.Minute), "nothing before the first tick")
	p.done.Store(130)
	assert.Equal(t, ", tick 130/520, about 3m0s left", p.status(time.Minute))
	p.done.Store(520)
	assert.Equal(t, ", tick 520/520", p.status(time.Minute))

	p.done.Store(40)
	var logb lockedBuf
	stop := heartbeat(&logb, "soviet1991", false, time.Millisecond, time.Millisecond, p)
	assert.Eventually(t, func() bool { return strings.Contains(logb.String(), "\n") }, 5*time.Second, time.Millisecond)
	stop()
	assert.Regexp(t, `^soviet1991: running, \d+s, tick 40/520, about \d+s left\n`, logb.String())

	var tty lockedBuf
	stop = heartbeat(&tty, "soviet1991", true, time.Millisecond, time.Millisecond, p)
	assert.Eventually(t, func() bool { return strings.Contains(tty.String(), "tick 40/520") }, 5*time.Second, time.Millisecond)
	stop()
	assert.Contains(t, tty.String(), "(Ctrl-C stops)")
	assert.NotContains(t, tty.String(), "\n")
}

// TestTickObserverChangesNoOutput: a run's files are byte-identical with
// and without the heartbeat's tick observer (meta.json, which records the
// wall time, aside), the observer counts every tick, and it allocates
// nothing per tick.
func TestTickObserverChangesNoOutput(t *testing.T) {
	cfg, err := scenarios.Load("soviet1991", "scale=0.05")
	require.NoError(t, err)
	cfg.Ticks = 60
	cfg.Shocks = nil
	require.NoError(t, cfg.Validate())
	p := &tickProgress{total: cfg.Ticks}
	dirs := [2]string{filepath.Join(t.TempDir(), "plain"), filepath.Join(t.TempDir(), "observed")}
	for i, dir := range dirs {
		m, err := regime.New(cfg)
		require.NoError(t, err)
		m.SetWorkers(2)
		if i == 1 {
			m.SetObserver(p.observer())
		}
		_, err = m.RunDir(context.Background(), 7, dir)
		require.NoError(t, err)
	}
	assert.EqualValues(t, cfg.Ticks, p.done.Load(), "the observer saw every tick")
	for _, f := range regime.RunFiles {
		if f == "meta.json" {
			continue
		}
		a, err := os.ReadFile(filepath.Join(dirs[0], f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dirs[1], f))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs with the tick observer", f)
	}
	if !raceEnabled {
		regimetest.ZeroAllocs(t, cfg, func(m *regime.Model) error { m.SetObserver(p.observer()); return nil })
	}
}
