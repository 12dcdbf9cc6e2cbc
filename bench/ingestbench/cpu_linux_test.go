package main

import "testing"

func TestParseProcStat(t *testing.T) {
	in := "cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"
	busy, total, ok := parseProcStat([]byte(in))
	if !ok || busy != 1.6 || total != 10 {
		t.Fatalf("busy %v total %v ok %v: want 1.6 and 10 (idle and iowait are not busy)", busy, total, ok)
	}
	if _, _, ok := parseProcStat([]byte("intr 1 2 3\n")); ok {
		t.Fatal("a file without the cpu line must not parse")
	}
}

func TestParsePidStat(t *testing.T) {
	in := "4242 (postgres: vigil (x) 1) S 1 4242 4242 0 -1 4194560 500 0 0 0 250 130 0 0 20 0 1 0 100 0 0\n"
	comm, secs, ok := parsePidStat([]byte(in))
	if !ok || comm != "postgres: vigil (x) 1" || secs != 3.8 {
		t.Fatalf("comm %q secs %v ok %v", comm, secs, ok)
	}
	if _, _, ok := parsePidStat([]byte("garbage")); ok {
		t.Fatal("garbage must not parse")
	}
}

func TestCommandCPUOfNothingIsZero(t *testing.T) {
	if got := CommandCPU("no-such-command-name-ingestbench"); got != 0 {
		t.Fatalf("CPU of an absent command: %v", got)
	}
}
