package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuTime is this process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clockTicks is USER_HZ, the unit of /proc CPU counters; 100 on every
// Linux the project runs on.
const clockTicks = 100

// MachineCPU reads the aggregate line of /proc/stat: busy and total CPU
// seconds since boot, over all cores.
func MachineCPU() (busy, total float64, ok bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	return parseProcStat(b)
}

// parseProcStat reads the "cpu " line: user nice system idle iowait irq
// softirq steal; idle and iowait are the time no work ran.
func parseProcStat(b []byte) (busy, total float64, ok bool) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, false
	}
	for i, s := range f[1:9] {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, 0, false
		}
		total += v
		if i != 3 && i != 4 {
			busy += v
		}
	}
	return busy / clockTicks, total / clockTicks, true
}

// CommandCPU sums user + system CPU seconds of the live processes whose
// command name is comm (e.g. "postgres": the server and its backends). Time
// of processes that already exited is not counted.
func CommandCPU(comm string) float64 {
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	var sum float64
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the process exited meanwhile
		}
		if c, secs, ok := parsePidStat(b); ok && c == comm {
			sum += secs
		}
	}
	return sum
}

// parsePidStat reads the command name and utime + stime of /proc/PID/stat.
// The name is in parentheses and may itself contain spaces or parentheses,
// so the fields are counted from the last ')'.
func parsePidStat(b []byte) (string, float64, bool) {
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return "", 0, false
	}
	f := strings.Fields(string(b[end+1:]))
	// After the name: state(0) ppid ... utime is field 14 of the line, 11 here.
	if len(f) < 13 {
		return "", 0, false
	}
	u, err1 := strconv.ParseFloat(f[11], 64)
	s, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return "", 0, false
	}
	return string(b[open+1 : end]), (u + s) / clockTicks, true
}
