//go:build race

package main

// raceEnabled says the tests run with the race detector: binaries they build
// are built with it too, which reuses the test build's compiled packages.
const raceEnabled = true
