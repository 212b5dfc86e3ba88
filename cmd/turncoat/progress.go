package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/turncoat-abm/turncoat/sweep"
)

// newProgress returns a progress bar on a terminal, sparse log lines
// elsewhere (one a minute in CI), or nothing when quiet.
func newProgress(w io.Writer, label string, quiet bool) sweep.Progress {
	if quiet {
		return nil
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == "" {
		return &barProgress{w: w, label: label}
	}
	every := 10 * time.Second
	if os.Getenv("CI") != "" {
		every = time.Minute
	}
	return &logProgress{w: w, label: label, every: every}
}

// barProgress draws an mpb bar with rate and ETA.
type barProgress struct {
	w     io.Writer
	label string
	p     *mpb.Progress
	bar   *mpb.Bar
}

func (b *barProgress) Start(total, done int) {
	b.p = mpb.New(mpb.WithOutput(b.w), mpb.WithWidth(40), mpb.WithRefreshRate(200*time.Millisecond))
	start := time.Now()
	b.bar = b.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name(b.label+" "), decor.CountersNoUnit("%d/%d runs ")),
		mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.NewAverageSpeed(nil, " %.1f runs/s", start), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
	)
	b.bar.SetCurrent(int64(done))
}

func (b *barProgress) Add(n int) { b.bar.IncrBy(n) }

func (b *barProgress) Finish() {
	if !b.bar.Completed() {
		b.bar.Abort(false)
	}
	b.p.Wait()
}

// logProgress prints a line every so often.
type logProgress struct {
	w            io.Writer
	label        string
	every        time.Duration
	total, done  int
	start, shown time.Time
	startDone    int
}

func (l *logProgress) Start(total, done int) {
	l.total, l.done, l.startDone = total, done, done
	l.start, l.shown = time.Now(), time.Now()
}

func (l *logProgress) Add(n int) {
	l.done += n
	if time.Since(l.shown) >= l.every {
		l.line()
	}
}

func (l *logProgress) Finish() { l.line() }

func (l *logProgress) line() {
	l.shown = time.Now()
	el := time.Since(l.start)
	rate := float64(l.done-l.startDone) / el.Seconds()
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(l.total-l.done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(l.w, "%s: %d/%d runs (%.1f%%), %.1f runs/s, ETA %s\n", l.label, l.done, l.total, 100*float64(l.done)/float64(max(1, l.total)), rate, eta)
}
