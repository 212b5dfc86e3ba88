package sweep_test

import (
	"os"
	"strings"
	"testing"
)

// TestCoreDoesNotDependOnBeam guards the core module's small dependency
// set: Apache Beam (and the gRPC and cloud libraries it brings) belongs to
// the separate module in beam/, which requires the core, never the other
// way round.
func TestCoreDoesNotDependOnBeam(t *testing.T) {
	for _, f := range []string{"../go.mod", "../go.sum"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"github.com/apache/beam", "google.golang.org/grpc", "cloud.google.com/go"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s mentions %s: the core module must not depend on Beam (keep it in beam/go.mod)", f, bad)
			}
		}
	}
}
