// Package e2e is the browser test of turncoat serve: a separate module
// (so chromedp stays out of the main module's dependencies) whose test
// drives headless Chromium against a running server. Run it with
//
//	cd serve/e2e && go test -count=1 ./...
//
// It skips, saying so, when no Chromium binary is found (set CHROME to
// its path if it is not on PATH as chromium, chromium-browser,
// google-chrome or headless-shell).
package e2e
