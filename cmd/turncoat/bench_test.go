package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var raceEnabled = false

// TestBenchJSONContract checks `turncoat bench --json` field names, which
// other tools rely on, on the quickest case.
func TestBenchJSONContract(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("timing benchmark: not under -race or -short")
	}
	out, _, err := runCLI(t, "bench", "--json", "--only", "10^5")
	require.NoError(t, err)
	var doc struct {
		Results []map[string]any `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Results, 1)
	r := doc.Results[0]
	for _, k := range []string{"name", "agents", "ticks", "seconds", "agent_updates_per_s", "allocs_per_tick", "bytes_per_agent"} {
		assert.Contains(t, r, k)
	}
	assert.Equal(t, 0.0, r["allocs_per_tick"], "the tick loop allocates nothing")
	assert.Greater(t, r["agent_updates_per_s"].(float64), 1e7)
	assert.Less(t, r["bytes_per_agent"].(float64), 64.0)
}

// TestBenchEpstein: the Epstein cases time 200 ticks of the 40x40 grid
// (1,184 agents) in the bench JSON shape.
func TestBenchEpstein(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("timing benchmark: not under -race or -short")
	}
	out, _, err := runCLI(t, "bench", "--json", "--only", "epstein netlogo")
	require.NoError(t, err)
	var doc struct {
		Results []benchResult `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Results, 1)
	r := doc.Results[0]
	assert.Equal(t, "epstein netlogo, 40x40", r.Name)
	assert.Equal(t, 1184, r.Agents)
	assert.Equal(t, epsteinBenchTicks, r.Ticks)
	assert.InDelta(t, float64(r.Agents*r.Ticks)/r.Seconds, r.AgentUpdatesPerS, 1e-6*r.AgentUpdatesPerS)
	assert.Greater(t, r.AgentUpdatesPerS, 1e5)
}
