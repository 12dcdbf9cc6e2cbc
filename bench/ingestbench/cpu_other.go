//go:build !linux

package main

import "time"

// The CPU readings come from /proc; elsewhere they read as unavailable and
// the report shows zeros for them.

func cpuTime() time.Duration { return 0 }

// MachineCPU is unavailable outside Linux.
func MachineCPU() (busy, total float64, ok bool) { return 0, 0, false }

// CommandCPU is unavailable outside Linux.
func CommandCPU(string) float64 { return 0 }
