package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// smtpSink is a loopback SMTP server that accepts every message and keeps
// it, so a test can read the e-mails the real binary sends. It speaks just
// enough SMTP for Go's net/smtp client: no extensions, so no STARTTLS.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	mail []sunkMail
	wake chan struct{}
}

// sunkMail is one received message.
type sunkMail struct {
	To   []string
	Data string
}

func startSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln, wake: make(chan struct{}, 1)}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) addr() string { return s.ln.Addr().String() }

// serve runs one SMTP session: HELO/EHLO, MAIL, RCPT…, DATA, QUIT.
func (s *smtpSink) serve(c net.Conn) {
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(c)
	reply := func(code int, msg string) bool { return tp.PrintfLine("%d %s", code, msg) == nil }
	if !reply(220, "sink ESMTP") {
		return
	}
	var to []string
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		ok := true
		switch verb {
		case "EHLO", "HELO":
			ok = reply(250, "sink")
		case "MAIL":
			to = nil
			ok = reply(250, "ok")
		case "RCPT":
			_, addr, _ := strings.Cut(line, ":")
			to = append(to, strings.Trim(strings.TrimSpace(addr), "<>"))
			ok = reply(250, "ok")
		case "DATA":
			if !reply(354, "go ahead") {
				return
			}
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.mail = append(s.mail, sunkMail{To: to, Data: string(data)})
			s.mu.Unlock()
			select {
			case s.wake <- struct{}{}:
			default:
			}
			ok = reply(250, "queued")
		case "RSET", "NOOP":
			ok = reply(250, "ok")
		case "QUIT":
			_ = reply(221, "bye")
			return
		default:
			ok = reply(502, "not implemented")
		}
		if !ok {
			return
		}
	}
}

// waitFor returns the first message to rcpt, waiting up to d for it.
func (s *smtpSink) waitFor(t *testing.T, rcpt string, d time.Duration) sunkMail {
	t.Helper()
	deadline := time.After(d)
	for {
		s.mu.Lock()
		for _, m := range s.mail {
			for _, r := range m.To {
				if strings.EqualFold(r, rcpt) {
					s.mu.Unlock()
					return m
				}
			}
		}
		s.mu.Unlock()
		select {
		case <-s.wake:
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no e-mail to %s reached the SMTP sink within %s", rcpt, d)
		}
	}
}

// startServeArgs runs `vigil ARGS…` until the test ends and returns the URL
// it prints once it answers /readyz.
func startServeArgs(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(vigilBinary(t), args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGKILL); _ = cmd.Wait() })
	var base string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := demoURLRE.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if base == "" {
		t.Fatalf("vigil %s did not print its URL; logs:\n%s", strings.Join(args, " "), logs.String())
	}
	waitReady(t, base)
	return base
}

// tamperZip copies the ZIP at src to dst with one byte of entry name's
// content flipped and every other entry unchanged.
func tamperZip(src, dst, name string) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer func() { _ = zr.Close() }()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(out)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		body, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return err
		}
		if f.Name == name && len(body) > 0 {
			body[len(body)/2] ^= 0x01
			found = true
		}
		hdr := f.FileHeader
		w, err := zw.CreateHeader(&zip.FileHeader{Name: hdr.Name, Method: hdr.Method, Modified: hdr.Modified, Comment: hdr.Comment})
		if err != nil {
			return err
		}
		if _, err := w.Write(body); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s has no non-empty entry %s", src, name)
	}
	return nil
}

var verifyLinkRE = regexp.MustCompile(`\S*/portal/verify-email\?token=[A-Za-z0-9_\-=%.]+`)
