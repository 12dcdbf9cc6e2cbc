package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// WriteLiterals writes one literal per line, the input of `grep -F -f`. A
// literal with a line break would silently become two patterns and an empty
// one would match every line, so both are errors rather than skipped.
func WriteLiterals(w io.Writer, lits []string) error {
	bw := bufio.NewWriter(w)
	for i, l := range lits {
		if l == "" {
			return fmt.Errorf("literal %d is empty", i)
		}
		if strings.ContainsAny(l, "\r\n") {
			return fmt.Errorf("literal %d (%q) contains a line break", i, l)
		}
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// alternation compiles the literals, quoted, as one regexp alternation:
// the Go regexp baseline. They are sorted first so that regexp/syntax
// factors common prefixes into a trie-like program, which made the
// baseline ~8× faster than the pack's order on our corpus: the baseline
// gets its best form. It counts non-overlapping leftmost-first matches, a
// lighter job than the engine's (every overlapping occurrence, word
// boundaries).
func alternation(lits []string) (*regexp.Regexp, error) {
	quoted := make([]string, len(lits))
	for i, l := range lits {
		quoted[i] = regexp.QuoteMeta(l)
	}
	sort.Strings(quoted)
	return regexp.Compile(strings.Join(quoted, "|"))
}
