package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"vigil/errs"
	"vigil/platform"
	"vigil/queue"
)

// contentSubject is where accepted content batches are published.
const contentSubject = "vigil.content.batch"

// submitContent validates content, drops what is already stored, publishes
// the rest to JetStream (one message per payload-sized chunk, published
// together) and waits for JetStream's acknowledgements. It returns the
// stream sequence range for the audit log.
func (s *Service) submitContent(ctx context.Context, raws []json.RawMessage) (Result, string, error) {
	if s.cfg.Queue == nil {
		return Result{}, "", errs.E(errs.Unavailable, "content intake is not configured on this server (no queue)")
	}
	now := s.now()
	v := validateBatch(raws, false, func(c *platform.ContentItem) error { return c.Validate(now) }, func(c *platform.ContentItem) string { return c.ID })
	if err := s.checkGroups(ctx, &v); err != nil {
		return Result{}, "", err
	}
	if len(v.items) > 0 {
		ids := make([]string, len(v.items))
		for i := range v.items {
			ids[i] = v.items[i].ID
		}
		have, err := s.cfg.Store.ExistingContent(ctx, ids)
		if err != nil {
			return Result{}, "", errs.E(errs.Unavailable, "the store is not answering; re-send the batch shortly", err)
		}
		if len(have) > 0 {
			v.items = slices.DeleteFunc(v.items, func(c platform.ContentItem) bool { return have[c.ID] })
			v.res.Duplicates += len(have)
		}
	}
	slices.SortStableFunc(v.res.Errors, func(a, b ItemError) int { return a.Index - b.Index })
	if len(v.items) == 0 {
		return v.res, "", nil
	}
	msgs, counts, err := s.encodeChunks(v.items)
	if err != nil {
		return Result{}, "", err
	}
	pubs, err := s.cfg.Queue.Publish(ctx, msgs)
	if err != nil {
		return Result{}, "", errs.E(errs.Unavailable, "the queue did not confirm the batch, so it may not be stored; re-send it (re-sending is safe)", err)
	}
	var firstSeq, lastSeq uint64
	for i, p := range pubs {
		if p.Duplicate {
			v.res.Duplicates += counts[i]
			continue
		}
		v.res.Accepted += counts[i]
		if firstSeq == 0 {
			firstSeq = p.Sequence
		}
		lastSeq = p.Sequence
	}
	seqs := ""
	if firstSeq != 0 {
		seqs = fmt.Sprintf("%d-%d", firstSeq, lastSeq)
	}
	return v.res, seqs, nil
}

// checkGroups refuses group chat items whose group is not in the directory:
// only groups accepted through /groups (joinable by public QR or invite) are
// public or semi-public, so anything else may be a private group.
func (s *Service) checkGroups(ctx context.Context, v *validated[platform.ContentItem]) error {
	var unknown []string
	s.groupsMu.Lock()
	for i := range v.items {
		if g := v.items[i].GroupID; g != "" && !s.knownGroups[g] && !slices.Contains(unknown, g) {
			unknown = append(unknown, g)
		}
	}
	s.groupsMu.Unlock()
	if len(unknown) == 0 {
		return nil
	}
	found, err := s.cfg.Store.ExistingGroups(ctx, unknown)
	if err != nil {
		return errs.E(errs.Unavailable, "the store is not answering; re-send the batch shortly", err)
	}
	s.groupsMu.Lock()
	for g := range found {
		s.rememberGroup(g)
	}
	s.groupsMu.Unlock()
	keep, idx := v.items[:0], v.index[:0]
	for i, c := range v.items {
		if c.GroupID != "" && !found[c.GroupID] && slices.Contains(unknown, c.GroupID) {
			v.res.Errors = append(v.res.Errors, ItemError{Index: v.index[i], ID: c.ID, Field: "group_id",
				Message: fmt.Sprintf("group %q is not in the directory: send it to /api/v1/groups first (only groups joinable by public QR or invitation are accepted; private groups are out of scope)", c.GroupID)})
			v.res.Rejected++
			continue
		}
		keep, idx = append(keep, c), append(idx, v.index[i])
	}
	v.items, v.index = keep, idx
	return nil
}

// encodeChunks encodes items as JSON arrays no larger than a queue message,
// each with a de-duplication id derived from its bytes: the same chunk sent
// twice within the duplicate window is stored once by JetStream.
func (s *Service) encodeChunks(items []platform.ContentItem) ([]queue.Message, []int, error) {
	var msgs []queue.Message
	var counts []int
	var buf bytes.Buffer
	n := 0
	flush := func() {
		if n == 0 {
			return
		}
		buf.WriteByte(']')
		data := bytes.Clone(buf.Bytes())
		sum := sha256.Sum256(data)
		msgs = append(msgs, queue.Message{Subject: contentSubject, ID: "content:" + hex.EncodeToString(sum[:20]), Data: data})
		counts = append(counts, n)
		buf.Reset()
		n = 0
	}
	for i := range items {
		b, err := json.Marshal(&items[i])
		if err != nil {
			return nil, nil, fmt.Errorf("encode content %q: %w", items[i].ID, err)
		}
		if n > 0 && buf.Len()+len(b)+2 > s.maxMsg {
			flush()
		}
		if n == 0 {
			buf.WriteByte('[')
		} else {
			buf.WriteByte(',')
		}
		buf.Write(b)
		n++
	}
	flush()
	return msgs, counts, nil
}
