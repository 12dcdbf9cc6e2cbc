package store

import (
	"context"
	"fmt"

	"vigil/lereq"
)

// Transitions returns a request's transitions, oldest first.
func (s *LEStore) Transitions(ctx context.Context, requestID string) ([]lereq.TransitionRecord, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(`SELECT id, from_state, to_state, actor_kind, actor_id, actor_role, reason, at_ms
		FROM le_request_transitions WHERE request_id = ? ORDER BY id`), requestID)
	if err != nil {
		return nil, fmt.Errorf("read transitions: %w", err)
	}
	defer rows.Close()
	var out []lereq.TransitionRecord
	for rows.Next() {
		t := lereq.TransitionRecord{RequestID: requestID}
		var at int64
		if err := rows.Scan(&t.ID, &t.From, &t.To, &t.ActorKind, &t.ActorID, &t.ActorRole, &t.Reason, &at); err != nil {
			return nil, fmt.Errorf("read transitions: %w", err)
		}
		t.At = staffTime(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// Documents returns the legal documents of a request, oldest first.
func (s *LEStore) Documents(ctx context.Context, requestID string) ([]lereq.Document, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(`SELECT id, sha256, size, filename, content_type, uploaded_by, uploaded_ms
		FROM le_documents WHERE request_id = ? ORDER BY id`), requestID)
	if err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	defer rows.Close()
	var out []lereq.Document
	for rows.Next() {
		d := lereq.Document{RequestID: requestID}
		var at int64
		if err := rows.Scan(&d.ID, &d.SHA256, &d.Size, &d.Filename, &d.ContentType, &d.UploadedBy, &at); err != nil {
			return nil, fmt.Errorf("read documents: %w", err)
		}
		d.UploadedAt = staffTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddMessage appends m to its request's thread.
func (s *LEStore) AddMessage(ctx context.Context, m lereq.Message) (lereq.Message, error) {
	var a lereq.Attachment
	if m.Attachment != nil {
		a = *m.Attachment
	}
	err := s.db.QueryRowContext(ctx, s.db.Rebind(`INSERT INTO le_messages (request_id, author_kind, author_id, body,
		attachment_sha256, attachment_size, attachment_name, attachment_type, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		m.RequestID, m.AuthorKind, m.AuthorID, m.Body, a.SHA256, a.Size, a.Filename, a.ContentType, staffMillis(m.At)).Scan(&m.ID)
	if err != nil {
		return m, fmt.Errorf("store message: %w", err)
	}
	m.At = staffTime(staffMillis(m.At))
	return m, nil
}

// Messages returns a request's thread, oldest first.
func (s *LEStore) Messages(ctx context.Context, requestID string) ([]lereq.Message, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(`SELECT id, author_kind, author_id, body, attachment_sha256, attachment_size,
		attachment_name, attachment_type, at_ms FROM le_messages WHERE request_id = ? ORDER BY id`), requestID)
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	defer rows.Close()
	var out []lereq.Message
	for rows.Next() {
		m := lereq.Message{RequestID: requestID}
		var a lereq.Attachment
		var at int64
		if err := rows.Scan(&m.ID, &m.AuthorKind, &m.AuthorID, &m.Body, &a.SHA256, &a.Size, &a.Filename, &a.ContentType, &at); err != nil {
			return nil, fmt.Errorf("read messages: %w", err)
		}
		if a.SHA256 != "" {
			m.Attachment = &a
		}
		m.At = staffTime(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// ClaimNotification inserts n if no row with its request, level, channel
// and recipient exists, and reports whether it did. It is how an
// escalation level is taken by exactly one runner.
func (s *LEStore) ClaimNotification(ctx context.Context, n lereq.NotificationRecord) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_notifications (request_id, level, channel, recipient, status, error, attempts, sent_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, level, channel, recipient) DO NOTHING`),
		n.RequestID, string(n.Level), n.Channel, n.Recipient, n.Status, n.Error, n.Attempts, staffMillis(n.SentAt))
	if err != nil {
		return false, fmt.Errorf("claim notification: %w", err)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// RecordNotification stores the outcome of one delivery, replacing an
// earlier failed attempt of the same delivery. A delivery already recorded
// as sent is never changed.
func (s *LEStore) RecordNotification(ctx context.Context, n lereq.NotificationRecord) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_notifications (request_id, level, channel, recipient, status, error, attempts, sent_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, level, channel, recipient) DO UPDATE
		SET status = excluded.status, error = excluded.error, attempts = excluded.attempts, sent_ms = excluded.sent_ms
		WHERE le_notifications.status <> 'sent'`),
		n.RequestID, string(n.Level), n.Channel, n.Recipient, n.Status, n.Error, n.Attempts, staffMillis(n.SentAt))
	if err != nil {
		return fmt.Errorf("record notification: %w", err)
	}
	return nil
}

const notificationCols = `id, request_id, level, channel, recipient, status, error, attempts, sent_ms`

func (s *LEStore) notifications(ctx context.Context, q string, args ...any) ([]lereq.NotificationRecord, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(`SELECT `+notificationCols+` FROM le_notifications WHERE `+q), args...)
	if err != nil {
		return nil, fmt.Errorf("read notifications: %w", err)
	}
	defer rows.Close()
	var out []lereq.NotificationRecord
	for rows.Next() {
		var n lereq.NotificationRecord
		var at int64
		if err := rows.Scan(&n.ID, &n.RequestID, &n.Level, &n.Channel, &n.Recipient, &n.Status, &n.Error, &n.Attempts, &at); err != nil {
			return nil, fmt.Errorf("read notifications: %w", err)
		}
		n.SentAt = staffTime(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Notifications returns every notification row of a request, oldest first.
func (s *LEStore) Notifications(ctx context.Context, requestID string) ([]lereq.NotificationRecord, error) {
	return s.notifications(ctx, `request_id = ? ORDER BY id`, requestID)
}

// NotificationsFor returns the newest notifications of one channel for a
// recipient (the in-app inbox of a staff member).
func (s *LEStore) NotificationsFor(ctx context.Context, channel, recipient string, limit int) ([]lereq.NotificationRecord, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.notifications(ctx, fmt.Sprintf(`channel = ? AND recipient = ? ORDER BY id DESC LIMIT %d`, limit), channel, recipient)
}

// FailedNotifications returns deliveries that failed fewer than maxAttempts
// times, for retry.
func (s *LEStore) FailedNotifications(ctx context.Context, maxAttempts int) ([]lereq.NotificationRecord, error) {
	return s.notifications(ctx, `status = 'failed' AND attempts < ? ORDER BY id LIMIT 1000`, maxAttempts)
}
