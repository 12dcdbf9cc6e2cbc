package lereq

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"vigil/errs"
	"vigil/evidence"
)

// MaxMessageLen bounds a message body (characters).
const MaxMessageLen = 10000

// attachmentType returns the content type of an attachment from its first
// bytes: PDF, PNG, JPEG or plain UTF-8 text; "" for anything else, which
// is refused (the thread is not a channel for executables or archives).
func attachmentType(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case len(head) > 0 && utf8.Valid(trimPartialRune(head)) && !bytes.ContainsAny(head, "\x00"):
		return "text/plain; charset=utf-8"
	}
	return ""
}

// trimPartialRune drops a rune cut off at the end of a peeked prefix.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

// Post adds a message, with an optional attachment, to a request's thread.
// Officers may post only on their own requests.
func (s *Service) Post(ctx context.Context, a Actor, requestID, body string, att *Upload) (Message, error) {
	r, err := s.load(ctx, a, requestID)
	if err != nil {
		return Message{}, err
	}
	if a.Kind == ActorStaff && a.Role != "le_response" && a.Role != "legal" {
		return Message{}, errs.E(errs.Forbidden, "role %q may not write to officers: only le_response or legal may", a.Role)
	}
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > MaxMessageLen || !utf8.ValidString(body) {
		return Message{}, errs.Field("body", "is required (at most %d characters of text)", MaxMessageLen)
	}
	m := Message{RequestID: r.Req.ID, AuthorKind: a.Kind, AuthorID: a.ID, Body: body, At: s.now()}
	if att != nil && att.Body != nil {
		name := strings.TrimSpace(att.Filename)
		if name == "" || strings.ContainsAny(name, `/\`) || utf8.RuneCountInString(name) > 255 {
			return Message{}, errs.Field("attachment.filename", "must be a file name without a path (at most 255 characters)")
		}
		br := bufio.NewReader(att.Body)
		head, _ := br.Peek(512)
		ct := attachmentType(head)
		if ct == "" {
			return Message{}, errs.Field("attachment", "is not a PDF, PNG, JPEG or text file: attach the document in one of those formats")
		}
		ref, err := s.d.Blobs.Put(ctx, br, s.cfg.MaxDocumentSize)
		if err != nil {
			return Message{}, err
		}
		m.Attachment = &Attachment{SHA256: ref.SHA256, Size: ref.Size, Filename: name, ContentType: ct}
	}
	m, err = s.d.Store.AddMessage(ctx, m)
	if err != nil {
		return Message{}, err
	}
	detail := map[string]string{"message_id": strconv.FormatInt(m.ID, 10)}
	if m.Attachment != nil {
		detail["attachment_sha256"] = m.Attachment.SHA256
	}
	return m, s.audit(ctx, a, "lereq.message.post", []string{"request:" + r.Req.ID}, "", detail)
}

// Thread returns a request's messages, oldest first, and audits the read.
func (s *Service) Thread(ctx context.Context, a Actor, requestID string) ([]Message, error) {
	r, err := s.load(ctx, a, requestID)
	if err != nil {
		return nil, err
	}
	ms, err := s.d.Store.Messages(ctx, r.Req.ID)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, a, "lereq.thread.read", []string{"request:" + r.Req.ID}, "", nil); err != nil {
		return nil, err
	}
	if a.Kind == ActorOfficer {
		for i := range ms {
			if ms[i].AuthorKind == ActorStaff {
				ms[i].AuthorID = "" // the team speaks as the team; the named contact is on the request
			}
		}
	}
	return ms, nil
}

// OpenFile returns a file of a request — its legal document or a message
// attachment — for download by someone who may see the request. Every
// download is audited. The reader verifies the file's hash as it is read.
func (s *Service) OpenFile(ctx context.Context, a Actor, requestID, sha256 string) (io.ReadCloser, Attachment, error) {
	r, err := s.load(ctx, a, requestID)
	if err != nil {
		return nil, Attachment{}, err
	}
	sha, err := evidence.CheckHash(sha256)
	if err != nil {
		return nil, Attachment{}, err
	}
	var found *Attachment
	docs, err := s.d.Store.Documents(ctx, r.Req.ID)
	if err != nil {
		return nil, Attachment{}, err
	}
	for i := range docs {
		if docs[i].SHA256 == sha {
			found = &docs[i].Attachment
		}
	}
	if found == nil {
		ms, err := s.d.Store.Messages(ctx, r.Req.ID)
		if err != nil {
			return nil, Attachment{}, err
		}
		for _, m := range ms {
			if m.Attachment != nil && m.Attachment.SHA256 == sha {
				found = m.Attachment
			}
		}
	}
	if found == nil {
		return nil, Attachment{}, errs.E(errs.NotFound, "request %s has no file %s", r.Req.ID, sha)
	}
	rc, err := s.d.Blobs.Open(ctx, sha)
	if err != nil {
		return nil, Attachment{}, err
	}
	if err := s.audit(ctx, a, "lereq.file.download", []string{"request:" + r.Req.ID, "blob:" + sha}, "", map[string]string{"filename": found.Filename}); err != nil {
		rc.Close()
		return nil, Attachment{}, err
	}
	return rc, *found, nil
}
