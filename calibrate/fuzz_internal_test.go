package calibrate

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseCalibrate feeds arbitrary calibration files to the parser: an
// error, or a spec that validates again as it stands (issue 20), never a
// panic.
func FuzzParseCalibrate(f *testing.F) {
	seeds, _ := filepath.Glob("../examples/calibrate/*.yaml")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	// Bad specs: a wrong prior, an empty or reversed range, a normal prior
	// without sd, an unknown field, an unknown target, a holdout of every
	// target, an undated holdout_after, a class target on one scenario, a
	// second document, a huge population, an empty file.
	for _, y := range []string{
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: beta, range: [0.3, 0.7]}]\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: uniform, range: []}]\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: uniform, range: [0.7, 0.3]}]\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: normal, range: [0.3, 0.7], mean: 0.5}]\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: uniform, range: [0.3, 0.7]}]\nparticle: 10\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: uniform, range: [0.3, 0.7]}]\ntargets: [{exit: Atlantis}]\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: uniform, range: [0.3, 0.7]}]\ntargets: [{exit: Ukraine}]\nholdout: [Ukraine]\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: uniform, range: [0.3, 0.7]}]\nholdout_after: 1991-13-01\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: uniform, range: [0.3, 0.7]}]\ntargets: [{class: tunisia2011}]\n",
		"scenario: arabspring2011\nparameters: [{name: mapping.onset_scale, prior: uniform, range: [0.4, 0.8]}]\nholdout_after: 2011-02-01\n",
		"scenario: soviet1991\nparameters: [{name: regime.repression, prior: loguniform, range: [0, 0.7]}]\n---\nseed: 2\n",
		"scenario: soviet1991\nparticles: 9223372036854775807\ndraws: -1\nparameters: [{name: regime.repression, prior: uniform, range: [0.3, .nan]}]\n",
		"",
	} {
		f.Add([]byte(y))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := filepath.Join(t.TempDir(), "cal.yaml")
		s, err := Parse(file, data)
		if err != nil {
			return
		}
		if s.Name == "" {
			t.Fatal("a parsed spec has no name")
		}
		if err := s.validate(filepath.Dir(file)); err != nil {
			t.Fatalf("Parse accepted a spec that does not validate: %v", err)
		}
	})
}
