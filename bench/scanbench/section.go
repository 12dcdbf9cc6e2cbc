package main

import "vigil/bench/internal/benchdoc"

// SectionHeading starts the detection section of docs/BENCHMARKS.md; the
// section runs to the next level-2 heading or the end of the file.
const SectionHeading = "## Detection (vigil scan)"

// ReplaceSection replaces the section that starts with heading; see
// benchdoc.ReplaceSection.
func ReplaceSection(doc, heading, body string) string {
	return benchdoc.ReplaceSection(doc, heading, body)
}
