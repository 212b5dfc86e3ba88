package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestServeArgs(t *testing.T) {
	ctx := context.Background()
	if err := run(ctx, []string{"serve", "a", "b"}, io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Fatalf("two arguments: %v, want a usage error", err)
	}
	if err := run(ctx, []string{"serve", "--max-runs", "0"}, io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Fatalf("--max-runs 0: %v, want a usage error", err)
	}
	if err := run(ctx, []string{"serve", "/"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "outside the working directory") {
		t.Fatalf("serve /: %v, want outside the working directory", err)
	}
}

// TestServeStartsAndStops serves on a free port, answers, and returns
// when its context is cancelled (Ctrl-C).
func TestServeStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuf
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, &out, io.Discard) }()
	re := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		url = re.FindString(out.String())
	}
	if url == "" {
		cancel()
		t.Fatalf("no address printed: %q", out.String())
	}
	resp, err := http.Get(url + "api/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "soviet1991") {
		t.Fatalf("GET /api/scenarios: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
}
