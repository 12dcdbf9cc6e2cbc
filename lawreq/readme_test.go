package lawreq

import (
	"os"
	"strings"
	"testing"
)

// The README publishes the scope matrix; it must be the table in code.
func TestREADMEShowsTheScopeTable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	table := strings.TrimSpace(ScopeMarkdown(ScopeTable()))
	if !strings.Contains(string(readme), table) {
		t.Fatalf("README.md does not contain the current scope table; paste this:\n%s", table)
	}
}
