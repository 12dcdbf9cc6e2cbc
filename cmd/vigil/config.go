package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// secretFlags are never printed in clear: their values may hold passwords.
var secretFlags = map[string]bool{"database-url": true, "nats-url": true, "smtp-url": true}

// applyConfig fills every flag the user did not set on the command line from,
// in order of precedence, the VIGIL_* environment variable named after the
// flag (--database-url → VIGIL_DATABASE_URL) and the YAML file named by
// --config / VIGIL_CONFIG, whose keys are the flag names. Defaults stay last.
// Flags therefore remain the one description of the configuration.
func applyConfig(cmd *cobra.Command) error {
	fs := cmd.Flags()
	file := ""
	if f := fs.Lookup("config"); f != nil {
		file = f.Value.String()
		if !f.Changed {
			if env := os.Getenv("VIGIL_CONFIG"); env != "" {
				file = env
			}
		}
	}
	fromFile := map[string]any{}
	if file != "" {
		raw, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read config file: %w", err)
		}
		if err := yaml.Unmarshal(raw, &fromFile); err != nil {
			return fmt.Errorf("config file %s is not valid YAML: %w", file, err)
		}
		for k := range fromFile {
			if fs.Lookup(k) == nil || k == "config" {
				return fmt.Errorf("config file %s: unknown key %q (keys are the flag names of %q, e.g. database-url)", file, k, cmd.CommandPath())
			}
		}
	}
	var firstErr error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == "config" || f.Name == "help" || firstErr != nil {
			return
		}
		env := "VIGIL_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := f.Value.Set(v); err != nil {
				firstErr = fmt.Errorf("%s=%q: %w", env, redact(f.Name, v), err)
			}
			return
		}
		if v, ok := fromFile[f.Name]; ok {
			if err := f.Value.Set(fmt.Sprint(v)); err != nil {
				firstErr = fmt.Errorf("config file %s: %s: %w", file, f.Name, err)
			}
		}
	})
	return firstErr
}

// printConfig writes the effective configuration, secrets redacted, so an
// operator can see at start-up what the process will use.
func printConfig(w io.Writer, fs *pflag.FlagSet) {
	var names []string
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" {
			names = append(names, f.Name)
		}
	})
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-22s %s\n", n, redact(n, fs.Lookup(n).Value.String()))
	}
}

// redact hides secrets: URLs keep scheme and host but lose their password.
func redact(name, v string) string {
	if v == "" || !secretFlags[name] {
		return v
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return "[redacted]"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "pass") || strings.Contains(strings.ToLower(k), "secret") {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
