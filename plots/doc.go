// Package plots draws turncoat's figures with gonum/plot: for a run, the
// defected share of each role over time with the scheduled shocks marked,
// the regime's variables over time, and the regions' exits beside the
// historical dates; for a sweep, a heatmap of an output over two
// parameters, lines with 95% bands over one parameter, Sobol indices with
// their intervals, and histograms of outputs over runs; for sets of runs,
// the shares of outcome classes as stacked bars ([OutcomeBars]) and any
// series over a shared x ([Lines]). Figures are written as PNG or SVG and
// need no browser or network.
//
// Colours follow the Okabe–Ito palette, distinguishable with the common
// forms of colour blindness; lines also differ in dash pattern.
package plots
