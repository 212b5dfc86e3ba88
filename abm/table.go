package abm

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
)

// Observer measures a model after a tick: Header names the columns once and
// Observe fills dst (len(dst) == len(Header())) with the current values.
type Observer interface {
	Header() []string
	Observe(dst []float64)
}

// Clock is implemented by observers whose ticks have calendar times: Table
// then writes a time column (named TimeColumn) after the tick.
type Clock interface {
	TimeColumn() string
	AppendTime(dst []byte, tick int) []byte
}

// Table is a Recorder that streams one CSV row per tick from an Observer:
// the tick first, then the observer's columns. Numbers are written in the
// shortest form that round-trips (strconv 'g', -1), so equal runs give equal
// bytes. Writes are buffered; the first error is sticky and returned by
// Record, Flush and Err.
type Table struct {
	obs   Observer
	clock Clock
	w     *bufio.Writer
	row   []float64
	buf   []byte
	err   error
}

// NewTable returns a Table writing to w and writes the header row.
func NewTable(w io.Writer, obs Observer) *Table {
	h := obs.Header()
	t := &Table{obs: obs, w: bufio.NewWriterSize(w, 1<<16), row: make([]float64, len(h)), buf: make([]byte, 0, 64)}
	t.writeString("tick")
	if c, ok := obs.(Clock); ok {
		t.clock = c
		t.writeString(",")
		t.writeString(CSVField(c.TimeColumn()))
	}
	for _, name := range h {
		t.writeString(",")
		t.writeString(CSVField(name))
	}
	t.writeString("\n")
	return t
}

// Record observes the model and writes the row for tick t.
func (t *Table) Record(tick int) error {
	if t.err != nil {
		return t.err
	}
	t.obs.Observe(t.row)
	t.buf = strconv.AppendInt(t.buf[:0], int64(tick), 10)
	if t.clock != nil {
		t.buf = append(t.buf, ',')
		t.buf = t.clock.AppendTime(t.buf, tick)
	}
	for _, v := range t.row {
		t.buf = append(t.buf, ',')
		t.buf = AppendFloat(t.buf, v)
	}
	t.buf = append(t.buf, '\n')
	_, t.err = t.w.Write(t.buf)
	return t.err
}

// Flush writes buffered rows to the underlying writer.
func (t *Table) Flush() error {
	if t.err == nil {
		t.err = t.w.Flush()
	}
	return t.err
}

// Err returns the first error met while writing.
func (t *Table) Err() error { return t.err }

func (t *Table) writeString(s string) {
	if t.err == nil {
		_, t.err = t.w.WriteString(s)
	}
}

// AppendFloat appends v in the shortest round-trip form; NaN and ±Inf are
// written as empty fields (missing values).
func AppendFloat(dst []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return dst
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// CSVField returns s as a CSV field: quoted, with quotes doubled, when it
// holds a comma, quote or line break (RFC 4180); unchanged otherwise.
func CSVField(s string) string {
	if !strings.ContainsAny(s, ",\"\n\r") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// Memory is a Recorder that keeps every observed row in memory.
type Memory struct {
	obs  Observer
	Rows [][]float64 // Rows[i] holds the observer's values after the i-th recorded tick
	Tick []int       // Tick[i] is the tick of Rows[i]
}

// NewMemory returns a Memory recorder for obs.
func NewMemory(obs Observer) *Memory { return &Memory{obs: obs} }

// Header returns the observer's column names.
func (m *Memory) Header() []string { return m.obs.Header() }

// Record stores a copy of the current observation.
func (m *Memory) Record(t int) error {
	row := make([]float64, len(m.obs.Header()))
	m.obs.Observe(row)
	m.Rows = append(m.Rows, row)
	m.Tick = append(m.Tick, t)
	return nil
}
