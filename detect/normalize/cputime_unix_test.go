//go:build unix

package normalize

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time, so benchmarks on a
// shared machine can report throughput per core actually used rather than
// per wall-clock second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
