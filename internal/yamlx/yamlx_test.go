package yamlx

import (
	"strings"
	"testing"
)

type doc struct {
	Ticks int     `yaml:"ticks"`
	Scale float64 `yaml:"scale"`
}

// TestRefusedDocuments: issue 20 items 4 and 10. An empty file, a second
// document after --- and an integer with a leading zero (YAML 1.1 octal)
// are errors naming the file and line, never silently misread.
func TestRefusedDocuments(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"empty", "", "f.yaml:1: the file is empty"},
		{"only comments", "# nothing\n", "f.yaml:1: the file is empty"},
		{"second document", "ticks: 5\n---\nticks: 6\n", "f.yaml:2: a second YAML document"},
		{"second empty document", "ticks: 5\n---\n", "a second YAML document"},
		{"octal", "ticks: 010\n", `f.yaml:1: ticks: "010" has a leading zero, which YAML may read as octal: write 10`},
		{"octal float field", "scale: 07\n", "leading zero"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			err := Decode("f.yaml", []byte(tc.yaml), &d, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	for _, ok := range []string{"ticks: 10\n", "---\nticks: 0\n", "scale: 0.5\n", "ticks: 0\n"} {
		var d doc
		if err := Decode("f.yaml", []byte(ok), &d, nil, nil); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
