package errs

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestKindsAndMessages(t *testing.T) {
	cases := []struct {
		err     error
		kind    Kind
		msg     string
		wrapsIO bool
	}{
		{E(NotFound, "no account %s", "wxid_1"), NotFound, "no account wxid_1", false},
		{E(Unavailable, "queue down", io.ErrUnexpectedEOF), Unavailable, "queue down: unexpected EOF", true},
		{E(Invalid, "%d items, %v", 3, io.EOF), Invalid, "3 items, EOF", false}, // the error fills a verb
		{E(Conflict, "100%% taken", io.EOF), Conflict, "100% taken: EOF", true},
		{E(Conflict, "50% done"), Conflict, "50% done", false}, // no args: literal
		{Field("phone", "must be E.164, got %q", "12"), Invalid, `phone: must be E.164, got "12"`, false},
		{Wrap(Unavailable, io.EOF, "store unreachable"), Unavailable, "store unreachable: EOF", true},
		{fmt.Errorf("ctx: %w", E(TooMany, "slow down")), TooMany, "ctx: slow down", false},
		{errors.New("plain"), 0, "plain", false},
	}
	for _, c := range cases {
		if got := KindOf(c.err); got != c.kind {
			t.Errorf("KindOf(%v) = %v, want %v", c.err, got, c.kind)
		}
		if c.err.Error() != c.msg {
			t.Errorf("message %q, want %q", c.err.Error(), c.msg)
		}
		if errors.Is(c.err, io.ErrUnexpectedEOF) || errors.Is(c.err, io.EOF) {
			if !c.wrapsIO {
				t.Errorf("%v unexpectedly wraps a cause", c.err)
			}
		} else if c.wrapsIO {
			t.Errorf("%v lost its cause", c.err)
		}
	}
	if KindOf(nil) != 0 || Is(nil, NotFound) || !Is(E(NotFound, "x"), NotFound) {
		t.Error("nil / Is handling")
	}
	for k := Invalid; k <= TooMany; k++ {
		if k.String() == "internal" {
			t.Errorf("kind %d has no name", k)
		}
	}
}
