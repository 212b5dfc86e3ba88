package cases_test

import (
	"os"
	"testing"

	"github.com/turncoat-abm/turncoat/cases"
)

// FuzzParseCases: no input makes Parse or Build panic; a table that parses
// builds, or fails with an error.
func FuzzParseCases(f *testing.F) {
	if data, err := os.ReadFile("../scenarios/data/uprisings.csv"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(header + "\n" + row() + "\n"))
	f.Add([]byte("case\n\"unterminated\n"))
	m := cases.DefaultMapping()
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := cases.Parse("f.csv", data)
		if err != nil {
			return
		}
		for i := range tab.Cases {
			c := &tab.Cases[i]
			_, _ = m.YAML(tab, c)
			for _, a := range cases.Alternatives {
				v, _ := c.Variant(a)
				_, _ = m.Build(v)
			}
		}
	})
}
