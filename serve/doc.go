// Package serve is the local web application behind `turncoat serve`: it
// lists and loads scenarios, shows their instruments and behavioural
// parameters as sliders with the ranges the scenario validation accepts,
// lets shocks be moved, removed and added, streams runs tick by tick to the
// browser with server-sent events, runs small replicate batches and one- or
// two-parameter sweeps with the sweep engine, and exports the scenario YAML,
// the run directory, the equivalent CLI command and the figures.
//
// Every asset (HTML, JavaScript, CSS) is embedded with go:embed: the page
// needs no network. Charts are plain SVG drawn by a small script, in the
// colour-blind-safe Okabe–Ito palette of the plots package.
//
// Safety: the server is meant to bind to localhost (the CLI's default
// address is 127.0.0.1:8080); every run is bound to its request's context,
// so closing the page cancels it; at most Options.MaxRuns runs or batches
// execute at once (others get 429); a model whose memory estimate exceeds
// Options.MaxMemory or the machine's available memory is refused (413);
// every input goes through the same scenario loading and validation as the
// CLI's --set; and paths (scenario files, directories to open) must lie
// inside Options.Root, the only place anything is written (Root/serve-runs).
package serve
