package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

type gotLine struct {
	n    int
	line string
}

// TestEachLine checks the block reader against the input's own lines:
// numbering (blank lines counted, not passed on), lines longer than a read
// block, a last line without its newline, CRLF kept, and readers that
// return one byte at a time or data together with io.EOF.
func TestEachLine(t *testing.T) {
	long := strings.Repeat("x", 3*readBlock+17)
	input := "{\"a\":1}\n\n  \t\n" + long + "\n{\"b\":2}\r\n" + long[:readBlock-1] + "\n{\"c\":3}"
	want := []gotLine{{1, "{\"a\":1}\n"}, {4, long + "\n"}, {5, "{\"b\":2}\r\n"}, {6, long[:readBlock-1] + "\n"}, {7, "{\"c\":3}"}}
	readers := map[string]func() io.Reader{
		"whole":    func() io.Reader { return strings.NewReader(input) },
		"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(input)) },
		"data+EOF": func() io.Reader { return iotest.DataErrReader(strings.NewReader(input)) },
		"half":     func() io.Reader { return iotest.HalfReader(strings.NewReader(input)) },
	}
	for name, r := range readers {
		var got []gotLine
		if err := eachLine(r(), nil, func(n int, line string, _ bool) { got = append(got, gotLine{n, line}) }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d lines, want %d", name, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: line %d = %d %.20q (%d bytes), want %d %.20q (%d bytes)", name, i, got[i].n, got[i].line, len(got[i].line), want[i].n, want[i].line, len(want[i].line))
			}
		}
	}
}

// TestEachLineReportsReadErrors: a failing input ends the run with its
// error after the lines read before it.
func TestEachLineReportsReadErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("{\"a\":1}\n{\"b\""), iotest.ErrReader(boom))
	var lines []string
	err := eachLine(r, nil, func(_ int, line string, _ bool) { lines = append(lines, line) })
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	if len(lines) == 0 || lines[0] != "{\"a\":1}\n" {
		t.Fatalf("lines before the error: %q", lines)
	}
}

// TestEachLineMoreFlag: more is true while the block holds further lines,
// so --workers batches close only when the input runs dry.
func TestEachLineMoreFlag(t *testing.T) {
	var more []bool
	_ = eachLine(bytes.NewReader([]byte("a\nb\nc\n")), nil, func(_ int, _ string, m bool) { more = append(more, m) })
	if len(more) != 3 || !more[0] || !more[1] || more[2] {
		t.Fatalf("more flags %v, want [true true false]", more)
	}
}
