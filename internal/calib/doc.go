// Package calib holds the calibration harness of the soviet1991 scenario:
// TestCalib reports the fit (Spearman rank correlation and timing error over
// 20 seeds) and TestSearch runs a random search over the scenario's shared
// (not per-republic) parameters. Both are skipped unless asked for:
//
//	CALIB=1 go test ./internal/calib -run Calib -v
//	SEARCH=200 go test ./internal/calib -run Search -v
//
// docs/CALIBRATION.md records how the shipped values were chosen.
package calib
