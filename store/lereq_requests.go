package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/lereq"
)

const requestCols = `id, state, officer_id, assignee, received_ms, due_ms, target_due_ms, answered_ms,
	verify_by_callback, weixin_gap, granted, body, client_key, updated_ms`

func scanRequest(r dirScanner) (lereq.RequestRecord, error) {
	var rec lereq.RequestRecord
	var id, granted, body string
	var received, due, target, answered, verify, updated int64
	if err := r.Scan(&id, &rec.State, &rec.OfficerID, &rec.Assignee, &received, &due, &target, &answered,
		&verify, &rec.WeixinGap, &granted, &body, &rec.ClientKey, &updated); err != nil {
		return rec, err
	}
	if err := json.Unmarshal([]byte(body), &rec.Req); err != nil {
		return rec, fmt.Errorf("request %s: stored body is not JSON: %w", id, err)
	}
	if err := json.Unmarshal([]byte(granted), &rec.Granted); err != nil {
		return rec, fmt.Errorf("request %s: stored granted categories are not JSON: %w", id, err)
	}
	if len(rec.Granted) == 0 {
		rec.Granted = nil
	}
	rec.Req.ID = id
	rec.ReceivedAt, rec.DueAt, rec.TargetDueAt, rec.AnsweredAt = staffTime(received), staffTime(due), staffTime(target), staffTime(answered)
	rec.VerifyByCallback = verify != 0
	rec.UpdatedAt = staffTime(updated)
	return rec, nil
}

// summaryCols are the columns of a request listing: everything but the
// officer's full form, whose decoding dominated the cost of the queue.
const summaryCols = `id, type, state, agency_id, officer_id, assignee, received_ms, due_ms, target_due_ms, answered_ms,
	ndo_ref, ndo_until_ms, verify_by_callback, weixin_gap, granted, case_number, case_name, return_by_ms, client_key, updated_ms`

func scanSummary(r dirScanner) (lereq.RequestRecord, error) {
	var rec lereq.RequestRecord
	var granted, ndoRef string
	var received, due, target, answered, ndoUntil, verify, returnBy, updated int64
	if err := r.Scan(&rec.Req.ID, &rec.Req.Type, &rec.State, &rec.Req.AgencyID, &rec.OfficerID, &rec.Assignee,
		&received, &due, &target, &answered, &ndoRef, &ndoUntil, &verify, &rec.WeixinGap, &granted,
		&rec.Req.CaseNumber, &rec.Req.CaseName, &returnBy, &rec.ClientKey, &updated); err != nil {
		return rec, err
	}
	if granted != "[]" {
		if err := json.Unmarshal([]byte(granted), &rec.Granted); err != nil {
			return rec, fmt.Errorf("request %s: stored granted categories are not JSON: %w", rec.Req.ID, err)
		}
	}
	if ndoRef != "" {
		rec.Req.NDO = &lawreq.NonDisclosure{OrderRef: ndoRef, Until: staffTime(ndoUntil)}
	}
	rec.Req.Officer.OfficerID = rec.OfficerID
	rec.Req.ReturnBy = staffTime(returnBy)
	rec.ReceivedAt, rec.DueAt, rec.TargetDueAt, rec.AnsweredAt = staffTime(received), staffTime(due), staffTime(target), staffTime(answered)
	rec.VerifyByCallback = verify != 0
	rec.UpdatedAt = staffTime(updated)
	return rec, nil
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func grantedText(g []lawreq.Category) (string, error) {
	if g == nil {
		g = []lawreq.Category{}
	}
	return jsonText(g)
}

// CreateRequest writes a new request, its targets, its legal document and
// the initial transition in one transaction. When the officer already
// submitted a request with the same client key, nothing is written and the
// existing request is returned with an errs.Conflict error whose cause is
// lereq.ErrDuplicate, so a re-submitted form maps to the same request.
func (s *LEStore) CreateRequest(ctx context.Context, n lereq.NewRequest) (lereq.RequestRecord, error) {
	rec := n.Record
	body, err := jsonText(rec.Req)
	if err != nil {
		return rec, fmt.Errorf("encode request: %w", err)
	}
	granted, err := grantedText(rec.Granted)
	if err != nil {
		return rec, err
	}
	now := s.stamp()
	var ndoRef string
	var ndoUntil int64
	if rec.Req.NDO != nil {
		ndoRef, ndoUntil = rec.Req.NDO.OrderRef, staffMillis(rec.Req.NDO.Until)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_requests (id, type, state, agency_id, officer_id, assignee,
			received_ms, due_ms, target_due_ms, answered_ms, ndo_ref, ndo_until_ms, verify_by_callback, weixin_gap, granted,
			case_number, case_name, return_by_ms, body, client_key, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			rec.Req.ID, string(rec.Req.Type), string(rec.State), rec.Req.AgencyID, rec.OfficerID, rec.Assignee,
			staffMillis(rec.ReceivedAt), staffMillis(rec.DueAt), staffMillis(rec.TargetDueAt), staffMillis(rec.AnsweredAt),
			ndoRef, ndoUntil, staffBool(rec.VerifyByCallback), rec.WeixinGap, granted, rec.Req.CaseNumber, rec.Req.CaseName,
			staffMillis(rec.Req.ReturnBy), body, rec.ClientKey, now)
		if err != nil {
			if staffIsUniqueViolation(err) {
				return errDuplicateRequest
			}
			return fmt.Errorf("create request: %w", err)
		}
		for _, t := range n.Targets {
			ids, err := jsonText(nonNil(t.AccountIDs))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_request_targets (request_id, idx, kind, value, outcome, account_ids)
				VALUES (?, ?, ?, ?, ?, ?)`), rec.Req.ID, t.Index, string(t.Target.Kind), t.Target.Value, string(t.Outcome), ids); err != nil {
				return fmt.Errorf("store request target: %w", err)
			}
		}
		if d := n.Document; d.SHA256 != "" {
			if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_documents (request_id, sha256, size, filename, content_type, uploaded_by, uploaded_ms)
				VALUES (?, ?, ?, ?, ?, ?, ?)`), rec.Req.ID, d.SHA256, d.Size, d.Filename, d.ContentType, d.UploadedBy, staffMillis(d.UploadedAt)); err != nil {
				return fmt.Errorf("store request document: %w", err)
			}
		}
		tr := n.Transition
		tr.RequestID = rec.Req.ID
		return s.insertTransition(ctx, tx, tr)
	})
	if errors.Is(err, errDuplicateRequest) && rec.ClientKey != "" {
		existing, gerr := s.RequestByClientKey(ctx, rec.OfficerID, rec.ClientKey)
		if gerr != nil {
			return rec, gerr
		}
		return existing, &errs.Error{Kind: errs.Conflict, Msg: "this form was already submitted", Err: lereq.ErrDuplicate}
	}
	if errors.Is(err, errDuplicateRequest) {
		return rec, errs.E(errs.Conflict, "request %q already exists", rec.Req.ID)
	}
	if err != nil {
		return rec, err
	}
	return s.Request(ctx, rec.Req.ID)
}

var errDuplicateRequest = errors.New("duplicate request")

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *LEStore) insertTransition(ctx context.Context, tx *sql.Tx, t lereq.TransitionRecord) error {
	_, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_request_transitions (request_id, from_state, to_state, actor_kind, actor_id, actor_role, reason, at_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), t.RequestID, string(t.From), string(t.To), t.ActorKind, t.ActorID, string(t.ActorRole), t.Reason, staffMillis(t.At))
	if err != nil {
		return fmt.Errorf("record transition: %w", err)
	}
	return nil
}

// Request returns the request with id, or errs.NotFound.
func (s *LEStore) Request(ctx context.Context, id string) (lereq.RequestRecord, error) {
	return s.oneRequest(ctx, `id = ?`, id)
}

// RequestByClientKey returns the officer's request submitted with
// clientKey, or errs.NotFound.
func (s *LEStore) RequestByClientKey(ctx context.Context, officerID, clientKey string) (lereq.RequestRecord, error) {
	if clientKey == "" {
		return lereq.RequestRecord{}, errs.E(errs.NotFound, "no request with an empty client key")
	}
	return s.oneRequest(ctx, `officer_id = ? AND client_key = ?`, officerID, clientKey)
}

func (s *LEStore) oneRequest(ctx context.Context, where string, args ...any) (lereq.RequestRecord, error) {
	rec, err := scanRequest(s.db.QueryRowContext(ctx, s.db.Rebind(`SELECT `+requestCols+` FROM le_requests WHERE `+where), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return rec, errs.E(errs.NotFound, "no such request")
	}
	if err != nil {
		return rec, fmt.Errorf("read request: %w", err)
	}
	return rec, nil
}

// ListRequests returns the requests q selects, by due time. The records are
// summaries: Req holds the type, case number and name, agency, return date
// and NDO, not the rest of the officer's form (use Request for that).
func (s *LEStore) ListRequests(ctx context.Context, q lereq.QueueQuery) ([]lereq.RequestRecord, error) {
	var where []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	types := make([]string, len(q.Types))
	for i, t := range q.Types {
		types[i] = string(t)
	}
	states := make([]string, len(q.States))
	for i, st := range q.States {
		states[i] = string(st)
	}
	in("type", types)
	in("state", states)
	if q.Assignee != "" {
		where, args = append(where, "assignee = ?"), append(args, q.Assignee)
	}
	if q.OpenOnly {
		var final []string
		for _, st := range lawreq.States() {
			if st.Final() {
				final = append(final, "'"+string(st)+"'")
			}
		}
		where = append(where, "state NOT IN ("+strings.Join(final, ",")+")")
	}
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	sqlq := `SELECT ` + summaryCols + ` FROM le_requests`
	if len(where) > 0 {
		sqlq += " WHERE " + strings.Join(where, " AND ")
	}
	sqlq += fmt.Sprintf(" ORDER BY due_ms, seq LIMIT %d", limit)
	return s.requests(ctx, scanSummary, sqlq, args...)
}

// RequestsByOfficer returns the officer's requests (summaries, as
// ListRequests), newest first.
func (s *LEStore) RequestsByOfficer(ctx context.Context, officerID string) ([]lereq.RequestRecord, error) {
	return s.requests(ctx, scanSummary, `SELECT `+summaryCols+` FROM le_requests WHERE officer_id = ? ORDER BY received_ms DESC, seq DESC LIMIT 1000`, officerID)
}

func (s *LEStore) requests(ctx context.Context, scan func(dirScanner) (lereq.RequestRecord, error), q string, args ...any) ([]lereq.RequestRecord, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	defer rows.Close()
	var out []lereq.RequestRecord
	for rows.Next() {
		rec, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list requests: %w", err)
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// ChangeState moves a request from c.Transition.From to c.Transition.To
// and records the transition, in one transaction. If the request is no
// longer in From (someone else moved it first), nothing changes and the
// error is errs.Conflict.
func (s *LEStore) ChangeState(ctx context.Context, c lereq.StateChange) (lereq.RequestRecord, error) {
	t := c.Transition
	set := []string{"state = ?", "updated_ms = ?"}
	args := []any{string(t.To), s.stamp()}
	if c.Assignee != nil {
		set, args = append(set, "assignee = ?"), append(args, *c.Assignee)
	}
	if !c.AnsweredAt.IsZero() {
		set, args = append(set, "answered_ms = ?"), append(args, staffMillis(c.AnsweredAt))
	}
	if c.Granted != nil {
		g, err := grantedText(c.Granted)
		if err != nil {
			return lereq.RequestRecord{}, err
		}
		set, args = append(set, "granted = ?"), append(args, g)
	}
	if c.Body != nil {
		b, err := jsonText(c.Body)
		if err != nil {
			return lereq.RequestRecord{}, fmt.Errorf("encode request: %w", err)
		}
		set, args = append(set, "body = ?"), append(args, b)
	}
	args = append(args, t.RequestID, string(t.From))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Rebind(`UPDATE le_requests SET `+strings.Join(set, ", ")+` WHERE id = ? AND state = ?`), args...)
		if err != nil {
			return fmt.Errorf("change request state: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := s.Request(ctx, t.RequestID); err != nil {
				return err
			}
			return errs.E(errs.Conflict, "the request is no longer %s: someone else changed it; reload and try again", t.From)
		}
		return s.insertTransition(ctx, tx, t)
	})
	if err != nil {
		return lereq.RequestRecord{}, err
	}
	return s.Request(ctx, t.RequestID)
}

// ClearCallbackFlag clears the "verify by call-back" flag on every request
// of the officer and returns how many requests had it.
func (s *LEStore) ClearCallbackFlag(ctx context.Context, officerID string) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`UPDATE le_requests SET verify_by_callback = 0, updated_ms = ? WHERE officer_id = ? AND verify_by_callback <> 0`),
		s.stamp(), officerID)
	if err != nil {
		return 0, fmt.Errorf("clear call-back flag: %w", err)
	}
	return res.RowsAffected()
}

// LastRoundRobinAssignee returns the assignee of the most recent request
// assigned round-robin (not emergency or preservation), or "".
func (s *LEStore) LastRoundRobinAssignee(ctx context.Context) (string, error) {
	var a string
	err := s.db.QueryRowContext(ctx, s.db.Rebind(`SELECT assignee FROM le_requests WHERE type IN (?, ?, ?) AND assignee <> ''
		ORDER BY received_ms DESC, seq DESC LIMIT 1`), string(lawreq.Subpoena), string(lawreq.CourtOrder2703d), string(lawreq.SearchWarrant)).Scan(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read last assignee: %w", err)
	}
	return a, nil
}

// Targets returns a request's targets and their resolutions, in order.
func (s *LEStore) Targets(ctx context.Context, requestID string) ([]lereq.TargetRecord, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(`SELECT idx, kind, value, outcome, account_ids FROM le_request_targets
		WHERE request_id = ? ORDER BY idx`), requestID)
	if err != nil {
		return nil, fmt.Errorf("read request targets: %w", err)
	}
	defer rows.Close()
	var out []lereq.TargetRecord
	for rows.Next() {
		t := lereq.TargetRecord{RequestID: requestID}
		var ids string
		if err := rows.Scan(&t.Index, &t.Target.Kind, &t.Target.Value, &t.Outcome, &ids); err != nil {
			return nil, fmt.Errorf("read request targets: %w", err)
		}
		if err := json.Unmarshal([]byte(ids), &t.AccountIDs); err != nil {
			return nil, fmt.Errorf("request %s target %d: stored account ids are not JSON: %w", requestID, t.Index, err)
		}
		if len(t.AccountIDs) == 0 {
			t.AccountIDs = nil
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
