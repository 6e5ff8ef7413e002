//go:build !unix

package main

// processCPU is not measured here: benchmarks report no CPU time.
func processCPU() int64 { return 0 }
