// Package webhook delivers law-enforcement escalation notices as JSON POSTs
// to a configured URL (a chat bridge, a paging service). It lives apart
// from package lereq so that the service itself does no HTTP.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"vigil/lereq"
)

// Notifier POSTs each notice as JSON to URL. A non-2xx answer is an error,
// so the delivery is recorded as failed and retried.
type Notifier struct {
	URL    string
	Client *http.Client // default: 10 s timeout
	// Header is added to every request (e.g. an Authorization token).
	Header http.Header
}

var _ lereq.Notifier = (*Notifier)(nil)

// Channel implements lereq.Notifier.
func (n *Notifier) Channel() string { return lereq.ChannelWebhook }

// Payload is the JSON body sent.
type Payload struct {
	Event  string       `json:"event"` // "lereq.escalation"
	SentAt time.Time    `json:"sent_at"`
	Notice lereq.Notice `json:"notice"`
}

// Notify implements lereq.Notifier.
func (n *Notifier) Notify(ctx context.Context, notice lereq.Notice) error {
	body, err := json.Marshal(Payload{Event: "lereq.escalation", SentAt: time.Now().UTC(), Notice: notice})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range n.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	c := n.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: %s answered %s", n.URL, resp.Status)
	}
	return nil
}
