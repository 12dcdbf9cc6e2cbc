package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func testCmd() (*cobra.Command, *string, *string, *int) {
	c := &cobra.Command{Use: "x"}
	addr := c.Flags().String("addr", "127.0.0.1:8080", "")
	db := c.Flags().String("database-url", "", "")
	n := c.Flags().Int("workers", 1, "")
	c.Flags().String("config", "", "")
	return c, addr, db, n
}

func TestConfigPrecedenceFlagOverEnvOverFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "vigil.yaml")
	os.WriteFile(file, []byte("addr: 0.0.0.0:1\nworkers: 7\ndatabase-url: postgres://u:filepw@h/db\n"), 0o600)
	c, addr, db, n := testCmd()
	c.Flags().Parse([]string{"--config", file, "--workers", "3"})
	t.Setenv("VIGIL_ADDR", "10.0.0.1:2")
	if err := applyConfig(c); err != nil {
		t.Fatal(err)
	}
	if *n != 3 {
		t.Errorf("flag lost to env/file: workers=%d", *n)
	}
	if *addr != "10.0.0.1:2" {
		t.Errorf("env lost to file: addr=%s", *addr)
	}
	if *db != "postgres://u:filepw@h/db" {
		t.Errorf("file value not applied: %s", *db)
	}
	var out bytes.Buffer
	printConfig(&out, c.Flags())
	if strings.Contains(out.String(), "filepw") {
		t.Fatalf("password printed: %s", out.String())
	}
}

func TestConfigFileUnknownKeyIsAnError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "vigil.yaml")
	os.WriteFile(file, []byte("adress: x\n"), 0o600)
	c, _, _, _ := testCmd()
	c.Flags().Parse([]string{"--config", file})
	err := applyConfig(c)
	if err == nil || !strings.Contains(err.Error(), `"adress"`) {
		t.Fatalf("want an error naming the unknown key, got %v", err)
	}
}

func TestConfigBadEnvValueNamesTheVariable(t *testing.T) {
	c, _, _, _ := testCmd()
	t.Setenv("VIGIL_WORKERS", "many")
	err := applyConfig(c)
	if err == nil || !strings.Contains(err.Error(), "VIGIL_WORKERS") {
		t.Fatalf("want an error naming VIGIL_WORKERS, got %v", err)
	}
}
