//go:build linux

package indicator

import "syscall"

// threadCPU returns the CPU time used by the calling OS thread, so benchmarks can report
// on-CPU cost even when the machine is shared and wall-clock time is inflated.
func threadCPU() (ns int64, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
