package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"vigil/errs"
	"vigil/lereq"
)

// LEStore persists the law-enforcement portal's records (package lereq)
// in the database. It implements lereq.Store.
type LEStore struct {
	db  *DB
	now func() time.Time
}

var _ lereq.Store = (*LEStore)(nil)

// NewLEStore returns the portal store over db; now stamps created/updated
// times (time.Now when nil).
func NewLEStore(db *DB, now func() time.Time) *LEStore {
	if now == nil {
		now = time.Now
	}
	return &LEStore{db: db, now: now}
}

func (s *LEStore) stamp() int64 { return s.now().UTC().UnixMilli() }

// inTx runs f in a transaction and commits it when f returns nil.
func (s *LEStore) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func normDomains(ds []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range ds {
		d = strings.Trim(strings.ToLower(strings.TrimSpace(d)), ".")
		if d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// CreateAgency inserts a (ID required) with its e-mail domains. A domain
// already listed for another agency is an errs.Conflict.
func (s *LEStore) CreateAgency(ctx context.Context, a lereq.Agency) (lereq.Agency, error) {
	now := s.stamp()
	a.Domains = normDomains(a.Domains)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_agencies (id, name, jurisdiction, ori, phone, created_by, created_ms, updated_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), a.ID, a.Name, a.Jurisdiction, a.ORI, a.Phone, a.CreatedBy, now, now)
		if err != nil {
			if staffIsUniqueViolation(err) {
				return errs.E(errs.Conflict, "agency %q already exists", a.ID)
			}
			return fmt.Errorf("create agency: %w", err)
		}
		return s.insertDomains(ctx, tx, a.ID, a.Domains)
	})
	if err != nil {
		return lereq.Agency{}, err
	}
	a.CreatedAt, a.UpdatedAt = staffTime(now), staffTime(now)
	return a, nil
}

func (s *LEStore) insertDomains(ctx context.Context, tx *sql.Tx, agencyID string, ds []string) error {
	for _, d := range ds {
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_agency_domains (domain, agency_id) VALUES (?, ?)`), d, agencyID); err != nil {
			if staffIsUniqueViolation(err) {
				return errs.Field("domains", "%q is already listed for another agency: a domain belongs to one agency", d)
			}
			return fmt.Errorf("add agency domain: %w", err)
		}
	}
	return nil
}

// UpdateAgency replaces the editable fields and the domain list of agency
// a.ID and returns the stored record.
func (s *LEStore) UpdateAgency(ctx context.Context, a lereq.Agency) (lereq.Agency, error) {
	a.Domains = normDomains(a.Domains)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Rebind(`UPDATE le_agencies SET name = ?, jurisdiction = ?, ori = ?, phone = ?, updated_ms = ? WHERE id = ?`),
			a.Name, a.Jurisdiction, a.ORI, a.Phone, s.stamp(), a.ID)
		if err != nil {
			return fmt.Errorf("update agency: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "no agency %q", a.ID)
		}
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`DELETE FROM le_agency_domains WHERE agency_id = ?`), a.ID); err != nil {
			return fmt.Errorf("update agency domains: %w", err)
		}
		return s.insertDomains(ctx, tx, a.ID, a.Domains)
	})
	if err != nil {
		return lereq.Agency{}, err
	}
	return s.Agency(ctx, a.ID)
}

const agencyCols = `id, name, jurisdiction, ori, phone, created_by, created_ms, updated_ms`

func scanAgency(r dirScanner) (lereq.Agency, error) {
	var a lereq.Agency
	var c, u int64
	err := r.Scan(&a.ID, &a.Name, &a.Jurisdiction, &a.ORI, &a.Phone, &a.CreatedBy, &c, &u)
	a.CreatedAt, a.UpdatedAt = staffTime(c), staffTime(u)
	return a, err
}

// Agency returns the agency with id and its domains, or errs.NotFound.
func (s *LEStore) Agency(ctx context.Context, id string) (lereq.Agency, error) {
	a, err := scanAgency(s.db.QueryRowContext(ctx, s.db.Rebind(`SELECT `+agencyCols+` FROM le_agencies WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errs.E(errs.NotFound, "no agency %q", id)
	}
	if err != nil {
		return a, fmt.Errorf("read agency: %w", err)
	}
	doms, err := s.domainsWhere(ctx, `WHERE agency_id = ?`, id)
	for d := range doms {
		a.Domains = append(a.Domains, d)
	}
	slices.Sort(a.Domains)
	return a, err
}

// ListAgencies returns every agency with its domains, by name.
func (s *LEStore) ListAgencies(ctx context.Context) ([]lereq.Agency, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+agencyCols+` FROM le_agencies ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	defer rows.Close()
	var out []lereq.Agency
	idx := map[string]int{}
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, fmt.Errorf("list agencies: %w", err)
		}
		idx[a.ID] = len(out)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	doms, err := s.AgencyDomains(ctx)
	if err != nil {
		return nil, err
	}
	for d, id := range doms {
		if i, ok := idx[id]; ok {
			out[i].Domains = append(out[i].Domains, d)
		}
	}
	for i := range out {
		slices.Sort(out[i].Domains)
	}
	return out, nil
}

// AgencyDomains returns the per-agency domain directory: domain → agency id.
func (s *LEStore) AgencyDomains(ctx context.Context) (map[string]string, error) {
	return s.domainsWhere(ctx, "")
}

func (s *LEStore) domainsWhere(ctx context.Context, where string, args ...any) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(`SELECT domain, agency_id FROM le_agency_domains `+where), args...)
	if err != nil {
		return nil, fmt.Errorf("read agency domains: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var d, id string
		if err := rows.Scan(&d, &id); err != nil {
			return nil, fmt.Errorf("read agency domains: %w", err)
		}
		out[d] = id
	}
	return out, rows.Err()
}

// LEStaff returns the staff users as assignment and escalation see them.
func (s *LEStore) LEStaff(ctx context.Context) ([]lereq.StaffMember, error) {
	users, err := s.db.ListStaffUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]lereq.StaffMember, len(users))
	for i, u := range users {
		out[i] = lereq.StaffMember{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Disabled: u.Disabled}
	}
	return out, nil
}

// LESetting returns the portal setting key ("" when unset).
func (s *LEStore) LESetting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, s.db.Rebind(`SELECT value FROM le_settings WHERE key = ?`), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetLESetting stores the portal setting key.
func (s *LEStore) SetLESetting(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`), key, value)
	if err != nil {
		return fmt.Errorf("store setting %s: %w", key, err)
	}
	return nil
}
