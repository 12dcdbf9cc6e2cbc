// Package queue is Vigil's durable intake queue: NATS JetStream, either
// embedded in the process (file storage under the data directory) or an
// external cluster. It offers the few operations intake needs: ensure the
// stream, publish with de-duplication, a durable pull consumer with explicit
// acknowledgements, and the consumer's lag for metrics.
package queue

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// embeddedMaxPayload lets a whole ingest batch travel as one message; NATS
// advises staying at or under 8 MiB.
const embeddedMaxPayload = 8 << 20

// Embedded is a NATS server with JetStream running inside this process.
type Embedded struct {
	srv *server.Server
	dir string
}

// StartEmbedded starts a JetStream server that stores its streams in files
// under dir and listens on no network port: clients in this process connect
// to it in memory with Connect.
func StartEmbedded(dir string) (*Embedded, error) {
	return startEmbedded(dir, "")
}

// StartEmbeddedOn is StartEmbedded with a TCP listener on addr ("host:port";
// port 0 picks a free one), for other processes or tools such as the nats
// CLI. ClientURL reports the address chosen.
func StartEmbeddedOn(dir, addr string) (*Embedded, error) {
	if addr == "" {
		return nil, errors.New("queue: StartEmbeddedOn needs an address such as 127.0.0.1:0")
	}
	return startEmbedded(dir, addr)
}

func startEmbedded(dir, addr string) (*Embedded, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("queue: create JetStream directory: %w", err)
	}
	opts := &server.Options{
		ServerName:            "vigil-embedded",
		JetStream:             true,
		StoreDir:              dir,
		MaxPayload:            embeddedMaxPayload,
		NoSigs:                true, // the host process owns signal handling
		NoLog:                 true,
		DisableShortFirstPing: true,
	}
	if addr == "" {
		opts.DontListen = true
	} else {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("queue: listen address %q: %w", addr, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("queue: listen port %q is not a number", port)
		}
		if p == 0 {
			p = server.RANDOM_PORT
		}
		opts.Host, opts.Port = host, p
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("queue: configure embedded NATS: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("queue: embedded NATS did not become ready within 30s (is the JetStream directory locked by another vigil process?)")
	}
	return &Embedded{srv: srv, dir: dir}, nil
}

// Connect opens a client connection to the embedded server, in memory.
func (e *Embedded) Connect() (*Conn, error) {
	return connect(nats.DefaultURL, nats.InProcessServer(e.srv))
}

// ClientURL is the nats:// URL of the TCP listener, or "" when the server
// was started without one.
func (e *Embedded) ClientURL() string {
	if e.srv.Addr() == nil {
		return ""
	}
	return e.srv.ClientURL()
}

// Shutdown stops the server after its clients have been closed; JetStream
// state is on disk and is recovered by the next StartEmbedded on dir.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}
