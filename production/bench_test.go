package production

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"vigil/lawreq"
)

// BenchmarkBuild1000Accounts builds a 2703(d) package of 1,000 accounts,
// each with its subscriber record and 10 logins (the target: < 2 s).
func BenchmarkBuild1000Accounts(b *testing.B) {
	in := courtOrderInput(b)
	in.Records = map[lawreq.Category][]Row{}
	in.NotProduced = nil
	for a := range 1000 {
		acct := fmt.Sprintf("acct-%04d", a)
		in.Records[lawreq.SubscriberBasic] = append(in.Records[lawreq.SubscriberBasic], subscriberRow(acct))
		for l := range 10 {
			in.Records[lawreq.LoginMetadata] = append(in.Records[lawreq.LoginMetadata], loginRow(acct, l))
		}
	}
	cw := &countWriter{}
	b.ReportAllocs()
	for b.Loop() {
		cw.n = 0
		if _, err := Build(cw, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cw.n), "zip-bytes")
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// BenchmarkVerify1000Accounts verifies the package of BenchmarkBuild1000Accounts.
func BenchmarkVerify1000Accounts(b *testing.B) {
	in := courtOrderInput(b)
	in.Records = map[lawreq.Category][]Row{}
	in.NotProduced = nil
	for a := range 1000 {
		acct := fmt.Sprintf("acct-%04d", a)
		in.Records[lawreq.SubscriberBasic] = append(in.Records[lawreq.SubscriberBasic], subscriberRow(acct))
		for l := range 10 {
			in.Records[lawreq.LoginMetadata] = append(in.Records[lawreq.LoginMetadata], loginRow(acct, l))
		}
	}
	var buf bytes.Buffer
	if _, err := Build(&buf, in); err != nil {
		b.Fatal(err)
	}
	pkg := buf.Bytes()
	for b.Loop() {
		if _, err := Verify(bytes.NewReader(pkg), int64(len(pkg)), in.Key.Public()); err != nil {
			b.Fatal(err)
		}
	}
}
