package main

import (
	"os"
	"testing"

	"vigil/internal/testkit"
)

// TestMain lets testkit stop the throwaway PostgreSQL cluster it may start.
func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
