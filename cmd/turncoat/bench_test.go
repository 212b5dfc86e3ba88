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
