package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/turncoat-abm/turncoat/serve"
)

const serveUsage = "turncoat serve [--addr 127.0.0.1:8080] [--max-runs N] [SCENARIO|FILE|RUN_DIR|SWEEP_DIR]"

// cmdServe starts the local web application (package serve) and serves
// until ctx is cancelled (Ctrl-C).
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", serveUsage, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (localhost by default; another host exposes the model to the network)")
	maxRuns := fs.Int("max-runs", 2, "runs and batches executing at once")
	maxMem := fs.Uint64("max-memory", 2<<30, "largest model memory estimate accepted, in bytes")
	workers := fs.Int("workers", 0, "goroutines stepping one run's agents (default: all cores); results are identical for any count")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fs.Usage()
		return fmt.Errorf("%w: serve takes at most one scenario, file or directory, got %d", errUsage, len(pos))
	}
	if *maxRuns < 1 || *workers < 0 {
		return fmt.Errorf("%w: --max-runs must be >= 1 and --workers >= 0", errUsage)
	}
	opt := serve.Options{Root: ".", MaxRuns: *maxRuns, MaxMemory: *maxMem, Workers: *workers}
	if len(pos) == 1 {
		opt.Initial = pos[0]
		if _, err := os.Stat(pos[0]); err == nil {
			abs, _ := filepath.Abs(pos[0])
			wd, _ := os.Getwd()
			rel, err := filepath.Rel(wd, abs)
			if err != nil || !filepath.IsLocal(rel) && rel != "." {
				return fmt.Errorf("%w: %s is outside the working directory; start turncoat serve from a directory that contains it", errUsage, pos[0])
			}
			opt.Initial = filepath.ToSlash(rel)
		}
	}
	srv, err := serve.New(opt)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return nil // interrupted before starting
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if host, _, _ := net.SplitHostPort(*addr); host != "127.0.0.1" && host != "localhost" && host != "::1" {
		fmt.Fprintf(stderr, "turncoat serve: warning: listening on %s, not only localhost: anyone who can reach it can run models\n", *addr)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	fmt.Fprintf(stdout, "turncoat serve: http://%s/ (Ctrl-C to stop; runs are written to serve-runs/)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}
}
