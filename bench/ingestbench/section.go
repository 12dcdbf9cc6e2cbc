package main

import "vigil/bench/internal/benchdoc"

// SectionHeading starts the ingest section of docs/BENCHMARKS.md; the
// section runs to the next level-2 heading or the end of the file.
const SectionHeading = "## Ingest (HTTP intake)"

// ReplaceSection replaces the section that starts with heading; see
// benchdoc.ReplaceSection.
func ReplaceSection(doc, heading, body string) string {
	return benchdoc.ReplaceSection(doc, heading, body)
}
