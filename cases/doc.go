// Package cases builds scenarios from data: a case table (CSV, one row per
// mass uprising against an authoritarian regime) of indicators from public
// datasets and standard references — population, armed forces, GDP per
// head, fuel rents, the core group's hold on the officer corps, parallel
// forces, the military economy, peak protest, the regime's first
// response, outside support — becomes one regime.Config per row through a
// single documented [Mapping]. The behavioural parameters every case
// shares sit in one place, [Mapping].Base; the mapping's other fields say
// how each indicator becomes a model input (docs/SCENARIOS.md, "The case
// builder", lists them all).
//
// [Parse] and [Load] read a table strictly: an unknown or missing column,
// a missing value, a number out of range, an unknown category or a
// malformed date is an [Error] naming the file, the line and the column,
// and every problem is reported at once. Judgement columns carry a second
// coding ([Alternatives]; [Case.Variant] applies one).
//
// A row's outcome columns (the military's observed response, whether and
// when the regime fell, the source of that coding) are scoring data:
// [Mapping.Build] takes a case's [Inputs] only, so they cannot enter a
// scenario. The scenarios package embeds the project's table
// (scenarios/data/uprisings.csv), builds the arabspring2011 pack from it
// and loads "FILE.csv#CASE"; package validate scores the predictions.
//
// # Determinism
//
// Build is a pure function of the inputs and the mapping, and [Mapping.YAML]
// of the same plus the table's base name: the same row gives the same
// bytes.
package cases
