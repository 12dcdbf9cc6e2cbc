package testkit

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Main runs a package's tests and then stops the throwaway PostgreSQL
// cluster, if one was started. A package whose tests use Databases or
// Postgres calls it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
//
// Without it testkit never starts a cluster of its own (it could not stop it).
func Main(m *testing.M) int {
	mainInstalled = true
	code := m.Run()
	stopLocalPostgres()
	return code
}

var (
	mainInstalled bool
	localOnce     sync.Once
	localURL      string
	localErr      error
	localStop     func()
)

// postgresBase returns the server URL the PostgreSQL runs use:
// VIGIL_TEST_DATABASE_URL when set, else a throwaway cluster this test binary
// starts from the local PostgreSQL installation (Debian's postgresql
// package), so `go test ./...` alone also runs the PostgreSQL suite.
func postgresBase() (string, string) {
	if u := os.Getenv(EnvDatabaseURL); u != "" {
		return u, ""
	}
	if !mainInstalled {
		return "", fmt.Sprintf("%s is not set and this package has no testkit.Main", EnvDatabaseURL)
	}
	if os.Getenv("VIGIL_TEST_NO_POSTGRES") != "" {
		return "", "VIGIL_TEST_NO_POSTGRES is set"
	}
	localOnce.Do(func() { localURL, localStop, localErr = startLocalPostgres() })
	if localErr != nil {
		return "", localErr.Error()
	}
	return localURL, ""
}

func stopLocalPostgres() {
	if localStop != nil {
		localStop()
	}
}

// pgBinDir finds the newest installed PostgreSQL server binaries.
func pgBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) < pgMajor(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("PostgreSQL server binaries not found (install Debian's postgresql package or set %s)", EnvDatabaseURL)
}

func pgMajor(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// startLocalPostgres initialises and starts a cluster in a temporary
// directory on a free loopback port. initdb refuses to run as root, so as
// root the cluster belongs to the "postgres" system user.
func startLocalPostgres() (string, func(), error) {
	bin, err := pgBinDir()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "vigil-test-pg")
	if err != nil {
		return "", nil, err
	}
	asUser := func(name string, args ...string) *exec.Cmd {
		return exec.Command(filepath.Join(bin, name), args...)
	}
	if os.Geteuid() == 0 {
		pgUser, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return "", nil, fmt.Errorf("running as root and there is no postgres user to own a test cluster")
		}
		uid, _ := strconv.Atoi(pgUser.Uid)
		gid, _ := strconv.Atoi(pgUser.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return "", nil, err
		}
		asUser = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(bin, name)}, args...)...)
		}
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := asUser("initdb", "-D", data, "-U", "vigil", "--auth=trust", "-E", "UTF8").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", port, dir)
	if out, err := asUser("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	stop := func() {
		_ = asUser("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").Run()
		os.RemoveAll(dir)
	}
	url := fmt.Sprintf("postgres://vigil@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=10", port)
	return url, stop, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	// Give the kernel a moment to release the port before postgres binds it.
	defer time.Sleep(10 * time.Millisecond)
	return l.Addr().(*net.TCPAddr).Port, nil
}

// PostgresAvailable reports whether the PostgreSQL runs can happen, and if
// not, why.
func PostgresAvailable() (bool, string) {
	_, why := postgresBase()
	return why == "", why
}
