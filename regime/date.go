package regime

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Date is a calendar day, written YYYY-MM-DD in scenario files and outputs.
type Date struct{ time.Time }

// DateOf returns the Date y-m-d.
func DateOf(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("want a date YYYY-MM-DD, got %q", s)
	}
	return Date{t}, nil
}

// String returns YYYY-MM-DD.
func (d Date) String() string { return d.Format(time.DateOnly) }

// UnmarshalYAML decodes YYYY-MM-DD.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	p, err := ParseDate(n.Value)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalYAML encodes YYYY-MM-DD.
func (d Date) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalText encodes YYYY-MM-DD (JSON and map keys).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Weeks returns the signed number of weeks from d to e.
func (d Date) Weeks(e Date) float64 { return e.Sub(d.Time).Hours() / (24 * 7) }
