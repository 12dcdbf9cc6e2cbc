package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"vigil/errs"
	"vigil/ingest"
	"vigil/store"
)

// Ingest body limits. A batch is at most ingest.MaxBatchItems items; the
// byte limit leaves room for that many items of several KiB each.
const (
	MaxIngestBodyBytes = 32 << 20
	maxNDJSONLineBytes = 1 << 20
)

var ingestCallers = []string{ScopeIngest}

// IngestRoutes serves the platform directory's ingest API. Each endpoint
// takes a JSON array or NDJSON (Content-Type application/x-ndjson) of
// records and answers with the per-item outcome:
//
//   - 200 when no item was rejected (every item accepted or a duplicate),
//   - 207 when some items were rejected and the others accepted,
//   - 422 when every item was rejected,
//
// always with {"accepted","duplicates","rejected","errors":[{index,id,field,message}]}.
// Only rejected items need fixing and re-sending; re-sending a whole batch
// is harmless because intake is idempotent by id. Malformed bodies get 400,
// oversized ones 413, other content types 415; a 2xx means every accepted
// item is durable.
func IngestRoutes(svc *ingest.Service) []Route {
	route := func(kind ingest.Kind, summary string) Route {
		return Route{Method: "POST", Pattern: "/api/v1/" + string(kind), Allow: ingestCallers,
			Handler: ingestHandler(svc, kind), Summary: summary}
	}
	return []Route{
		route(ingest.KindAccounts, "Upsert platform accounts (JSON array or NDJSON); idempotent by id"),
		route(ingest.KindLogins, "Add login records (JSON array or NDJSON); idempotent by id or by content"),
		route(ingest.KindGroups, "Upsert public and semi-public groups (JSON array or NDJSON); idempotent by id"),
		route(ingest.KindContent, "Queue public and semi-public content for storage and scanning (JSON array or NDJSON); durable on 2xx"),
	}
}

func ingestHandler(svc *ingest.Service, kind ingest.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		items, status, msg := readIngestBody(w, r)
		if status != 0 {
			writeIngestBodyError(w, r, status, msg)
			return
		}
		var by ingest.Caller
		if p, ok := PrincipalFrom(r.Context()); ok {
			by = ingest.Caller{ID: p.ID, Name: p.Name}
		}
		res, err := svc.Submit(r.Context(), kind, items, by)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		code := http.StatusOK
		switch {
		case res.Rejected > 0 && res.Accepted+res.Duplicates == 0:
			code = http.StatusUnprocessableEntity
		case res.Rejected > 0:
			code = http.StatusMultiStatus
		}
		WriteJSON(w, code, res)
	}
}

// readIngestBody splits the body into raw items. On failure it returns the
// HTTP status (400, 413, 415) and a message saying what to change.
func readIngestBody(w http.ResponseWriter, r *http.Request) ([]json.RawMessage, int, string) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	var body io.Reader = http.MaxBytesReader(w, r.Body, MaxIngestBodyBytes)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, http.StatusBadRequest, "the body is not gzip data although Content-Encoding says gzip"
		}
		defer zr.Close()
		// The limit applies to the inflated body too, so a small bomb
		// cannot expand into gigabytes.
		body = &inflateLimit{r: zr, left: MaxIngestBodyBytes}
	default:
		return nil, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Encoding %q is not supported: send gzip or no encoding", enc)
	}
	var items []json.RawMessage
	switch mt {
	case "application/json":
		items, err = readJSONArray(body)
	case "application/x-ndjson", "application/jsonl", "application/jsonlines":
		items, err = readNDJSON(body)
	default:
		return nil, http.StatusUnsupportedMediaType,
			"send Content-Type: application/json (a JSON array of records) or application/x-ndjson (one record per line)"
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || errors.Is(err, errInflatedTooBig):
		return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d MiB: split the batch", MaxIngestBodyBytes>>20)
	case errors.Is(err, errTooManyItems):
		return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("the batch has more than %d items: split it", ingest.MaxBatchItems)
	case errors.Is(err, bufio.ErrTooLong):
		return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("a line is longer than %d KiB: one record per line, each under that size", maxNDJSONLineBytes>>10)
	case err != nil:
		return nil, http.StatusBadRequest, err.Error()
	case len(items) == 0:
		return nil, http.StatusBadRequest, "the body holds no records: send at least one"
	}
	return items, 0, ""
}

var (
	errTooManyItems   = errors.New("too many items")
	errInflatedTooBig = errors.New("inflated body too large")
)

// inflateLimit fails once more than left bytes have been read.
type inflateLimit struct {
	r    io.Reader
	left int64
}

func (l *inflateLimit) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, errInflatedTooBig
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, errInflatedTooBig
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return n, fmt.Errorf("the gzip body is corrupt: %w", err)
	}
	return n, err
}

// readJSONArray reads a JSON array into its raw elements. A syntax error
// anywhere makes the whole body unreadable, so it is a 400, not an item
// error. The body is read whole and parsed in one pass: json.Decoder's
// token API rescans runs of whitespace and turns a padded body into
// minutes of CPU.
func readJSONArray(body io.Reader) ([]json.RawMessage, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return nil, errors.New("the body is empty: send a JSON array of records")
	case trimmed[0] != '[':
		return nil, errors.New("the body must be a JSON array of records ([{...}, {...}]); for one record per line use Content-Type application/x-ndjson")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			line := 1 + bytes.Count(b[:min(int(syn.Offset), len(b))], []byte("\n"))
			return nil, fmt.Errorf("the body is not a valid JSON array: %v at byte %d (line %d)", syn, syn.Offset, line)
		}
		return nil, fmt.Errorf("the body is not a valid JSON array: %v", err)
	}
	if len(items) > ingest.MaxBatchItems {
		return nil, errTooManyItems
	}
	return items, nil
}

// readNDJSON reads one raw record per non-blank line. A line that is not
// valid JSON becomes that item's error, not the whole batch's.
func readNDJSON(body io.Reader) ([]json.RawMessage, error) {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), maxNDJSONLineBytes)
	var items []json.RawMessage
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if len(items) == ingest.MaxBatchItems {
			return nil, errTooManyItems
		}
		items = append(items, json.RawMessage(bytes.Clone(line)))
	}
	return items, sc.Err()
}

// writeIngestBodyError answers a body the ingest API cannot read. WriteError
// has no error kind for 413 and 415, so this writes the same JSON error
// shape itself.
func writeIngestBodyError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if status == http.StatusBadRequest {
		WriteError(w, r, errs.E(errs.Invalid, "%s", msg))
		return
	}
	var b errorBody
	b.Error.Kind, b.Error.Message = "invalid", msg
	if status == http.StatusRequestEntityTooLarge {
		b.Error.Kind = "too_large"
	} else {
		b.Error.Kind = "unsupported_media_type"
	}
	WriteJSON(w, status, b)
}

// ServiceTokens adapts the token store to TokenVerifier for the server.
func ServiceTokens(ts *store.Tokens) TokenVerifier { return tokenVerifier{ts} }

type tokenVerifier struct{ ts *store.Tokens }

func (v tokenVerifier) VerifyToken(ctx context.Context, raw string) (Principal, error) {
	t, err := v.ts.Verify(ctx, raw)
	if err != nil {
		return Principal{}, err
	}
	return Principal{Kind: KindService, ID: t.ID, Name: t.Name, Scopes: t.Scopes}, nil
}
