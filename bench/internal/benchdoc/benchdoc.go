// Package benchdoc rewrites one section of docs/BENCHMARKS.md, so that each
// bench script owns its section and leaves the others byte for byte.
package benchdoc

import "strings"

// ReplaceSection returns doc with the level-2 section whose heading line is
// heading replaced by body (which must start with that heading). Other
// sections are kept byte for byte; a missing section is appended. Headings
// inside fenced code blocks are ignored.
func ReplaceSection(doc, heading, body string) string {
	body = strings.TrimRight(body, "\n") + "\n"
	lines := strings.SplitAfter(doc, "\n")
	start, end := -1, len(lines)
	fence := false
	for i, l := range lines {
		t := strings.TrimRight(l, "\r\n")
		if strings.HasPrefix(t, "```") {
			fence = !fence
			continue
		}
		if fence {
			continue
		}
		if start < 0 {
			if strings.TrimSpace(t) == heading {
				start = i
			}
			continue
		}
		if strings.HasPrefix(t, "## ") {
			end = i
			break
		}
	}
	if start < 0 {
		if doc == "" {
			return "# Benchmarks\n\n" + body
		}
		sep := "\n"
		if !strings.HasSuffix(doc, "\n") {
			sep = "\n\n"
		}
		return doc + sep + body
	}
	before := strings.Join(lines[:start], "")
	after := strings.Join(lines[end:], "")
	if after != "" {
		body += "\n"
	}
	return before + body + after
}
