package lereq_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"

	"vigil/lereq"
)

// fakeSMTP accepts one message on a loopback port and returns what it got.
func fakeSMTP(t *testing.T) (addr string, got <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback listener: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r, w := bufio.NewReader(c), bufio.NewWriter(c)
		say := func(s string) { w.WriteString(s + "\r\n"); w.Flush() }
		say("220 fake ESMTP")
		var data strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			cmd := strings.ToUpper(strings.TrimSpace(line))
			switch {
			case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
				say("250 fake")
			case cmd == "DATA":
				say("354 go ahead")
				for {
					l, err := r.ReadString('\n')
					if err != nil || l == ".\r\n" {
						break
					}
					data.WriteString(l)
				}
				ch <- data.String()
				say("250 queued")
			case cmd == "QUIT":
				say("221 bye")
				return
			default:
				say("250 ok")
			}
		}
	}()
	return ln.Addr().String(), ch
}

func TestSMTPMailerSends(t *testing.T) {
	addr, got := fakeSMTP(t)
	m := &lereq.SMTPMailer{Addr: addr, From: "portal@platform.test"}
	if err := m.Send(context.Background(), lereq.Mail{To: "jo@metro-pd.example", Subject: "Confirm", Body: "line one\nline two"}); err != nil {
		t.Fatal(err)
	}
	msg := <-got
	for _, want := range []string{"To: jo@metro-pd.example\r\n", "Subject: Confirm\r\n", "line one\r\nline two"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if err := m.Send(context.Background(), lereq.Mail{To: "a@b.example", Subject: "x\r\nBcc: evil@x"}); err == nil {
		t.Error("header injection accepted")
	}
}
