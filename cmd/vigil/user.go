package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"vigil/audit"
	"vigil/auth"
	"vigil/store"
)

func init() { addCommand(newUserCmd()) }

type userFlags struct {
	data, databaseURL       string
	username, role, display string
}

func (f *userFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "./vigil-data", "data directory (SQLite database and audit.key)")
	fl.StringVar(&f.databaseURL, "database-url", "", "postgres:// URL of a shared database (default: SQLite in --data)")
}

func newUserCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage staff accounts (create, list, disable, enable, set-role)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}

	var cf userFlags
	create := &cobra.Command{
		Use:   "create --username U --role R [--display-name N] [--data DIR | --database-url URL]",
		Short: "Create a staff user; the password is read from stdin or prompted for",
		Long: `Create adds a staff user with one of the roles: ` + strings.Join(auth.Roles(), ", ") + `.
The password is never a flag (it would land in shell history and process
listings): it is prompted for twice on a terminal, or read as the first line
of standard input. It must be at least 12 characters and not the username.
Two-factor authentication (TOTP) is set up at the user's first sign-in.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runUserCreate(cmd, cf) },
	}
	cf.register(create)
	create.Flags().StringVar(&cf.username, "username", "", "login name: lower-case letters, digits, '.', '_', '-'")
	create.Flags().StringVar(&cf.role, "role", "", "role: "+strings.Join(auth.Roles(), ", "))
	create.Flags().StringVar(&cf.display, "display-name", "", "name shown in the console (default: the username)")

	var lf userFlags
	list := &cobra.Command{
		Use:   "list [--data DIR | --database-url URL]",
		Short: "List staff users with role and status",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runUserList(cmd, lf) },
	}
	lf.register(list)

	var df, ef userFlags
	disable := &cobra.Command{
		Use:   "disable USERNAME",
		Short: "Disable a staff user (signs them out at their next request)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUserSetDisabled(cmd, df, args[0], true)
		},
	}
	df.register(disable)
	enable := &cobra.Command{
		Use:   "enable USERNAME",
		Short: "Re-enable a disabled staff user",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUserSetDisabled(cmd, ef, args[0], false)
		},
	}
	ef.register(enable)

	var rf userFlags
	setRole := &cobra.Command{
		Use:   "set-role USERNAME ROLE",
		Short: "Change a staff user's role",
		Args:  cobra.ExactArgs(2),
		RunE:  func(cmd *cobra.Command, args []string) error { return runUserSetRole(cmd, rf, args[0], args[1]) },
	}
	rf.register(setRole)

	cmd.AddCommand(create, list, disable, enable, setRole)
	return cmd
}

// userEnv is an open database and audit log for one command.
type userEnv struct {
	db  *store.DB
	log *audit.Log
}

func (e *userEnv) Close() {
	if e.log != nil {
		e.log.Close()
	}
	e.db.Close()
}

// openUserEnv opens (and migrates, so that bootstrapping a fresh data
// directory works) the database, and the audit log every change goes to.
func openUserEnv(ctx context.Context, f userFlags, withAudit bool) (*userEnv, error) {
	dsn := f.databaseURL
	if dsn == "" {
		dsn = store.SQLitePath(f.data)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	e := &userEnv{db: db}
	if withAudit {
		keys, err := audit.LoadOrCreateKey(f.data, "")
		if err != nil {
			db.Close()
			return nil, err
		}
		if e.log, err = audit.New(store.NewAuditStore(db), keys, audit.Options{}); err != nil {
			db.Close()
			return nil, err
		}
	}
	return e, nil
}

// operator names who ran the command, for the audit log.
func operator() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

func (e *userEnv) audit(ctx context.Context, action, username string, detail map[string]string) error {
	_, err := e.log.Append(ctx, audit.Event{Actor: operator(), Role: "operator", Action: action,
		Records: []string{"staff:" + username}, At: time.Now().UTC(), Detail: detail})
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

func cmdContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

func runUserCreate(cmd *cobra.Command, f userFlags) error {
	if err := applyConfig(cmd); err != nil {
		return &exitError{2, "user create: " + err.Error()}
	}
	f.username = strings.ToLower(strings.TrimSpace(f.username))
	if err := auth.CheckUsername(f.username); err != nil {
		return &exitError{2, "user create: --" + err.Error()}
	}
	if err := auth.CheckRole(f.role); err != nil {
		return &exitError{2, "user create: --" + err.Error()}
	}
	if f.display == "" {
		f.display = f.username
	}
	pw, err := readPassword(cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return &exitError{2, "user create: " + err.Error()}
	}
	if err := auth.CheckPassword(f.username, pw); err != nil {
		return &exitError{2, "user create: " + err.Error()}
	}
	hash, err := auth.HashPassword(pw, auth.DefaultArgon2)
	if err != nil {
		return err
	}
	ctx := cmdContext(cmd)
	e, err := openUserEnv(ctx, f, true)
	if err != nil {
		return &exitError{2, "user create: " + err.Error()}
	}
	defer e.Close()
	if _, err := e.db.StaffUserByUsername(ctx, f.username); err == nil {
		return &exitError{1, fmt.Sprintf("user create: username %q is taken; choose another", f.username)}
	}
	// Audit first: a user that exists without its creation in the log would
	// be an unexplained state change.
	if err := e.audit(ctx, "staff.user_created", f.username, map[string]string{"role": f.role}); err != nil {
		return err
	}
	u, err := e.db.CreateStaffUser(ctx, store.StaffUser{Username: f.username, DisplayName: f.display, Role: f.role, PasswordHash: hash})
	if err != nil {
		return &exitError{1, "user create: " + err.Error()}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "created staff user %q with role %s\n", u.Username, u.Role)
	fmt.Fprintln(cmd.OutOrStdout(), "two-factor authentication (TOTP) enrolment will be required at first sign-in")
	return nil
}

// readPassword prompts twice on a terminal, or reads the first line of a
// pipe or file.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password (at least 12 characters): ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(prompt, "Password again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(in, auth.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on stdin; pipe it in (e.g. from a secrets manager) or run on a terminal to be prompted")
	}
	return line, nil
}

func runUserList(cmd *cobra.Command, f userFlags) error {
	if err := applyConfig(cmd); err != nil {
		return &exitError{2, "user list: " + err.Error()}
	}
	ctx := cmdContext(cmd)
	e, err := openUserEnv(ctx, f, false)
	if err != nil {
		return &exitError{2, "user list: " + err.Error()}
	}
	defer e.Close()
	users, err := e.db.ListStaffUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tDISPLAY NAME\tTOTP\tSTATUS")
	now := time.Now()
	for _, u := range users {
		status := "active"
		switch {
		case u.Disabled:
			status = "disabled"
		case now.Before(u.LockedUntil):
			status = "locked until " + u.LockedUntil.UTC().Format(time.RFC3339)
		}
		totp := "pending enrolment"
		if u.TOTPConfirmed {
			totp = "enrolled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.DisplayName, totp, status)
	}
	return tw.Flush()
}

func runUserSetDisabled(cmd *cobra.Command, f userFlags, username string, disabled bool) error {
	verb := map[bool]string{true: "disable", false: "enable"}[disabled]
	if err := applyConfig(cmd); err != nil {
		return &exitError{2, "user " + verb + ": " + err.Error()}
	}
	ctx := cmdContext(cmd)
	e, err := openUserEnv(ctx, f, true)
	if err != nil {
		return &exitError{2, "user " + verb + ": " + err.Error()}
	}
	defer e.Close()
	if _, err := e.db.StaffUserByUsername(ctx, username); err != nil {
		return &exitError{1, "user " + verb + ": " + err.Error()}
	}
	if err := e.audit(ctx, "staff.user_"+verb+"d", username, nil); err != nil {
		return err
	}
	if err := e.db.SetStaffUserDisabled(ctx, username, disabled); err != nil {
		return &exitError{1, "user " + verb + ": " + err.Error()}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "staff user %q %sd\n", username, verb)
	return nil
}

func runUserSetRole(cmd *cobra.Command, f userFlags, username, role string) error {
	if err := applyConfig(cmd); err != nil {
		return &exitError{2, "user set-role: " + err.Error()}
	}
	if err := auth.CheckRole(role); err != nil {
		return &exitError{2, "user set-role: " + err.Error()}
	}
	ctx := cmdContext(cmd)
	e, err := openUserEnv(ctx, f, true)
	if err != nil {
		return &exitError{2, "user set-role: " + err.Error()}
	}
	defer e.Close()
	u, err := e.db.StaffUserByUsername(ctx, username)
	if err != nil {
		return &exitError{1, "user set-role: " + err.Error()}
	}
	if err := e.audit(ctx, "staff.role_changed", username, map[string]string{"from": u.Role, "to": role}); err != nil {
		return err
	}
	if err := e.db.SetStaffRole(ctx, username, role); err != nil {
		return &exitError{1, "user set-role: " + err.Error()}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "staff user %q now has role %s (was %s)\n", username, role, u.Role)
	return nil
}
