package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vigil/audit"
	"vigil/errs"
)

// Reads of the audit log are deliberately NOT appended to the audit log:
// logging a read would change the tree the reader is inspecting (and a
// reader paging through it would chase a moving end). Entries hold only
// references to user data, not the data itself. Publishing a checkpoint is
// not appended either: the checkpoint is itself the log's signed, stored
// statement.

var (
	auditReaders    = []string{RoleAdmin, RoleAuditor, ScopeAudit}
	auditPublishers = []string{RoleAdmin}
)

const (
	auditDefaultPage = 100
	auditMaxPage     = 1000
)

// AuditRoutes serves the audit log: entries, checkpoints, and RFC 6962
// inclusion and consistency proofs that anyone holding the log's public key
// can check against a signed checkpoint.
func AuditRoutes(l *audit.Log) []Route {
	h := auditHandlers{l}
	return []Route{
		{Method: "GET", Pattern: "/api/v1/audit/entries", Allow: auditReaders, Handler: h.entries,
			Summary: "List audit log entries in index order (?from=&limit=, limit ≤ 1000)"},
		{Method: "GET", Pattern: "/api/v1/audit/entries/{index}", Allow: auditReaders, Handler: h.entry,
			Summary: "One audit log entry with its canonical leaf and leaf hash"},
		{Method: "GET", Pattern: "/api/v1/audit/checkpoint", Allow: auditReaders, Handler: h.checkpoint,
			Summary: "The latest signed checkpoint (JSON, or the raw signed note with Accept: text/plain)"},
		{Method: "POST", Pattern: "/api/v1/audit/checkpoints", Allow: auditPublishers, Handler: h.publish,
			Summary: "Publish a signed checkpoint of the current tree now"},
		{Method: "GET", Pattern: "/api/v1/audit/proof/inclusion", Allow: auditReaders, Handler: h.inclusion,
			Summary: "Inclusion proof of entry ?index= in the tree of ?size= (default: latest checkpoint)"},
		{Method: "GET", Pattern: "/api/v1/audit/proof/consistency", Allow: auditReaders, Handler: h.consistency,
			Summary: "Consistency proof between tree sizes ?from= and ?to="},
	}
}

type auditHandlers struct{ l *audit.Log }

// auditEntryJSON shows the leaf as JSON for people and as exact base64 bytes
// for verifiers (the JSON rendering may escape characters differently from
// the hashed bytes).
type auditEntryJSON struct {
	Index      uint64          `json:"index"`
	Leaf       json.RawMessage `json:"leaf"`
	LeafBase64 string          `json:"leaf_base64"`
	LeafHash   string          `json:"leaf_hash"`
}

type auditCheckpointJSON struct {
	Origin      string    `json:"origin"`
	Size        uint64    `json:"size"`
	RootHash    string    `json:"root_hash"`
	PublishedAt time.Time `json:"published_at"`
	Checkpoint  string    `json:"checkpoint"`
	PublicKey   string    `json:"public_key"`
}

type auditProofJSON struct {
	Index    *uint64  `json:"index,omitempty"`
	LeafHash string   `json:"leaf_hash,omitempty"`
	TreeSize uint64   `json:"tree_size,omitempty"`
	From     *uint64  `json:"from,omitempty"`
	To       *uint64  `json:"to,omitempty"`
	Hashes   []string `json:"hashes"`
}

func entryJSON(e audit.Entry) auditEntryJSON {
	return auditEntryJSON{Index: e.Index, Leaf: json.RawMessage(e.Leaf),
		LeafBase64: base64.StdEncoding.EncodeToString(e.Leaf), LeafHash: auditB64(e.LeafHash)}
}

func (h auditHandlers) entries(w http.ResponseWriter, r *http.Request) {
	from, err := auditUintParam(r, "from", 0)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	limit, err := auditUintParam(r, "limit", auditDefaultPage)
	if err != nil || limit < 1 || limit > auditMaxPage {
		WriteError(w, r, errs.Field("limit", "must be an integer from 1 to %d", auditMaxPage))
		return
	}
	es, err := h.l.Entries(r.Context(), from, int(limit))
	if err != nil {
		WriteError(w, r, auditErr(err, ""))
		return
	}
	size, err := h.l.Size(r.Context())
	if err != nil {
		WriteError(w, r, auditErr(err, ""))
		return
	}
	out := struct {
		Entries []auditEntryJSON `json:"entries"`
		Next    *uint64          `json:"next,omitempty"` // from= of the next page; absent on the last
		Size    uint64           `json:"size"`
	}{Entries: make([]auditEntryJSON, 0, len(es)), Size: size}
	for _, e := range es {
		out.Entries = append(out.Entries, entryJSON(e))
	}
	if len(es) == int(limit) {
		next := es[len(es)-1].Index + 1
		out.Next = &next
	}
	WriteJSON(w, http.StatusOK, out)
}

func (h auditHandlers) entry(w http.ResponseWriter, r *http.Request) {
	idx, err := strconv.ParseUint(r.PathValue("index"), 10, 63)
	if err != nil {
		WriteError(w, r, errs.Field("index", "must be a non-negative integer entry index"))
		return
	}
	e, err := h.l.Entry(r.Context(), idx)
	if err != nil {
		WriteError(w, r, auditErr(err, "index"))
		return
	}
	WriteJSON(w, http.StatusOK, entryJSON(e))
}

func (h auditHandlers) checkpointJSON(c audit.Checkpoint) auditCheckpointJSON {
	return auditCheckpointJSON{Origin: h.l.Keys().Origin(), Size: c.Size, RootHash: auditB64(c.Root),
		PublishedAt: c.PublishedAt, Checkpoint: string(c.Note), PublicKey: h.l.Keys().VerifierKey}
}

func (h auditHandlers) checkpoint(w http.ResponseWriter, r *http.Request) {
	c, err := h.l.LatestCheckpoint(r.Context())
	if err != nil {
		WriteError(w, r, auditErr(err, ""))
		return
	}
	// Transparency-log tools fetch the bare signed note.
	if strings.Contains(r.Header.Get("Accept"), "text/plain") {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(c.Note)
		return
	}
	WriteJSON(w, http.StatusOK, h.checkpointJSON(c))
}

func (h auditHandlers) publish(w http.ResponseWriter, r *http.Request) {
	c, err := h.l.Publish(r.Context())
	if err != nil {
		WriteError(w, r, auditErr(err, ""))
		return
	}
	WriteJSON(w, http.StatusCreated, h.checkpointJSON(c))
}

func (h auditHandlers) inclusion(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("index") == "" {
		WriteError(w, r, errs.Field("index", "is required: the entry index to prove"))
		return
	}
	idx, err := auditUintParam(r, "index", 0)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	var size uint64
	if r.URL.Query().Get("size") == "" {
		c, err := h.l.LatestCheckpoint(r.Context())
		if err != nil {
			WriteError(w, r, auditErr(err, ""))
			return
		}
		size = c.Size
	} else if size, err = auditUintParam(r, "size", 0); err != nil {
		WriteError(w, r, err)
		return
	}
	e, err := h.l.Entry(r.Context(), idx)
	if err != nil {
		WriteError(w, r, auditErr(err, "index"))
		return
	}
	p, err := h.l.InclusionProof(r.Context(), idx, size)
	if err != nil {
		WriteError(w, r, auditErr(err, "size"))
		return
	}
	WriteJSON(w, http.StatusOK, auditProofJSON{Index: &idx, LeafHash: auditB64(e.LeafHash), TreeSize: size, Hashes: auditB64s(p)})
}

func (h auditHandlers) consistency(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("from") == "" || q.Get("to") == "" {
		WriteError(w, r, errs.Field("from", "from and to (tree sizes, from ≤ to) are both required"))
		return
	}
	from, err := auditUintParam(r, "from", 0)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	to, err := auditUintParam(r, "to", 0)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	p, err := h.l.ConsistencyProof(r.Context(), from, to)
	if err != nil {
		WriteError(w, r, auditErr(err, "to"))
		return
	}
	WriteJSON(w, http.StatusOK, auditProofJSON{From: &from, To: &to, Hashes: auditB64s(p)})
}

// auditUintParam reads a non-negative integer query parameter, or def when absent.
func auditUintParam(r *http.Request, name string, def uint64) (uint64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseUint(s, 10, 63)
	if err != nil {
		return 0, errs.Field(name, "must be a non-negative integer, got %q", s)
	}
	return v, nil
}

// auditErr gives the audit package's errors their HTTP kinds; field names the
// query parameter an ErrInvalid is about.
func auditErr(err error, field string) error {
	// Drop the sentinel's own words ("invalid request: ...") from the message.
	msg := strings.Replace(err.Error(), audit.ErrInvalid.Error()+": ", "", 1)
	msg = strings.Replace(msg, audit.ErrNotFound.Error()+": ", "", 1)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		return errs.E(errs.NotFound, "%s", msg)
	case errors.Is(err, audit.ErrInvalid):
		if field == "" {
			return errs.E(errs.Invalid, "%s", msg)
		}
		return errs.Field(field, "%s", msg)
	}
	return err
}

func auditB64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func auditB64s(hs [][]byte) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = auditB64(h)
	}
	return out
}
