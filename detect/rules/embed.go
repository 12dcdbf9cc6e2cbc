// Package rules holds Vigil's embedded rule pack: the *.yaml files in this
// directory, compiled into the binary (format: docs and detect/rulepack).
package rules

import "embed"

// FS holds the pack's *.yaml files at its root.
//
//go:embed *.yaml
var FS embed.FS
