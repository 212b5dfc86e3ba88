// Package scenarios holds turncoat's built-in scenarios, embedded YAML files
// (soviet1991.yaml, …), and loads scenarios by name or path.
//
// [Load] and [Parse] decode strictly: an unknown key (with a suggestion),
// a value of the wrong type, a missing value or an out-of-range value is an
// [Error] naming the file, the line and the field path. Fields a file omits
// keep their regime.DefaultConfig values. Overrides "key=value" (the CLI's
// --set) address any field by its dotted YAML path — regime.repression,
// roles.soldier.threshold.mean, regions.Ukraine.legitimacy, regions.3.name —
// and are applied before decoding, so they are checked the same way.
//
// The reference data behind soviet1991 and the case table of uprisings
// live in data/ with their sources (data/README.md).
//
// A pack is a group of built-ins sharing a name prefix: [Pack]
// ("arabspring2011") returns arabspring2011-bahrain, -egypt, -libya,
// -syria, -tunisia and -yemen, one file per country. Those files are built
// (package cases) from their rows of the embedded case table
// data/uprisings.csv ([Uprisings]) and hold the model's inputs only; [Load]
// attaches each row's observed outcome as the scenario's history. Any case
// table is a scenario source too: [Load]("FILE.csv#CASE") builds one row,
// [Pack]("FILE.csv") lists them all, and "uprisings.csv" names the
// embedded table wherever no such file exists (docs/SCENARIOS.md).
package scenarios
