// Command turncoat-beam runs a turncoat sweep as an Apache Beam pipeline:
// locally on the Prism runner embedded in the Beam Go SDK (the default: no
// download, works offline), or on Dataflow, Flink or Spark with Beam's
// usual flags. The output directory holds shards/ (the core's shard
// format) and merged/, byte-identical to `turncoat sweep`.
//
//	turncoat-beam [--shards N] [--set k=v]... --out DIR SWEEP.yaml
//	turncoat-beam --runner flink --endpoint HOST:8099 --environment_type DOCKER ... --out /shared/DIR /shared/SWEEP.yaml
//
// See beam/README.md for the submission commands and what is tested.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/turncoat-abm/turncoat/beam/sweepbeam"
	"github.com/turncoat-abm/turncoat/sweep"
)

type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, " ") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	out := flag.String("out", "", "output directory: DIR/shards and DIR/merged (required)")
	shards := flag.Int("shards", 64, "elements the sweep is cut into (shards of points p mod N)")
	workers := flag.Int("shard_workers", 1, "goroutines per shard")
	var sets setFlags
	flag.Var(&sets, "set", "override a field of the sweep file, key=value (repeatable)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: turncoat-beam [--runner prism|dataflow|flink|spark ...] [--shards N] [--set k=v]... --out DIR SWEEP.yaml")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	beam.Init()
	if err := run(context.Background(), flag.Arg(0), sets, *out, *shards, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "turncoat-beam:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, specPath string, sets []string, out string, shards, workers int) error {
	abs, err := filepath.Abs(specPath)
	if err != nil {
		return err
	}
	if out, err = filepath.Abs(out); err != nil {
		return err
	}
	start := time.Now()
	p, s := beam.NewPipelineWithRoot()
	cfg := sweepbeam.Config{Spec: abs, Sets: sets, Out: out, Shards: shards, Workers: workers}
	if err := sweepbeam.Pipeline(s, cfg); err != nil {
		return err
	}
	if err := beamx.Run(ctx, p); err != nil {
		return err
	}
	m, err := sweep.ReadManifest(sweepbeam.MergedDir(out))
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d runs in %d shards, %s\nmerged sweep: %s\n", m.Name, m.Runs, shards, time.Since(start).Round(time.Millisecond), sweepbeam.MergedDir(out))
	return nil
}
