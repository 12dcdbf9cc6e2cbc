package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"vigil/errs"
	"vigil/platform"
)

const dirAccountCols = "id, wechat_id, display_name, phone, email, app, region, registered_at, registration_ip, status"

type dirScanner interface{ Scan(dest ...any) error }

func scanAccount(r dirScanner) (platform.Account, error) {
	var a platform.Account
	var reg any
	if err := r.Scan(&a.ID, &a.WeChatID, &a.DisplayName, &a.Phone, &a.Email, &a.App, &a.Region, &reg, &a.RegistrationIP, &a.Status); err != nil {
		return a, err
	}
	t, err := dirScanTime(reg)
	a.RegisteredAt = t
	return a, err
}

// AccountByID returns the account with the platform's internal id, or an
// errs.NotFound error.
func (d *Directory) AccountByID(ctx context.Context, id string) (platform.Account, error) {
	row := d.db.QueryRowContext(ctx, d.db.Rebind("SELECT "+dirAccountCols+" FROM dir_accounts WHERE id = ?"), id)
	a, err := scanAccount(row)
	if isNoRows(err) {
		return a, notFound("account", id)
	}
	if err != nil {
		return a, fmt.Errorf("read account %q: %w", id, err)
	}
	return a, nil
}

// AccountsByWeChatID returns the accounts with this WeChat ID (normally one).
func (d *Directory) AccountsByWeChatID(ctx context.Context, wechatID string) ([]platform.Account, error) {
	return d.accountsWhere(ctx, "wechat_id = ?", strings.TrimSpace(wechatID))
}

// AccountsByPhone returns the accounts linked to a phone number, written in
// E.164 or nationally for region (ISO 3166-1 alpha-2, may be empty for
// E.164). Several accounts may share a number.
func (d *Directory) AccountsByPhone(ctx context.Context, phone, region string) ([]platform.Account, error) {
	e164, err := platform.NormalizePhone(phone, region)
	if err != nil {
		return nil, err
	}
	if e164 == "" {
		return nil, errs.Field("phone", "is empty: send the phone number to look up")
	}
	return d.accountsWhere(ctx, "phone = ?", e164)
}

// AccountsByEmail returns the accounts linked to an e-mail address,
// compared without regard to case.
func (d *Directory) AccountsByEmail(ctx context.Context, email string) ([]platform.Account, error) {
	e, err := platform.NormalizeEmail(email)
	if err != nil {
		return nil, errs.Field("email", "%q is not an e-mail address: send a bare address such as name@example.com", email)
	}
	return d.accountsWhere(ctx, "lower(email) = ?", strings.ToLower(e))
}

func (d *Directory) accountsWhere(ctx context.Context, where string, arg any) ([]platform.Account, error) {
	rows, err := d.db.QueryContext(ctx, d.db.Rebind("SELECT "+dirAccountCols+" FROM dir_accounts WHERE "+where+" ORDER BY id LIMIT 1000"), arg)
	if err != nil {
		return nil, fmt.Errorf("look up accounts: %w", err)
	}
	defer rows.Close()
	var out []platform.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("read account: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LoginsByAccount returns an account's most recent logins, newest first.
func (d *Directory) LoginsByAccount(ctx context.Context, accountID string, limit int) ([]platform.Login, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := d.db.QueryContext(ctx, d.db.Rebind(
		"SELECT id, account_id, at, ip, device_id, app_version FROM dir_logins WHERE account_id = ? ORDER BY at DESC, id LIMIT ?"), accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("look up logins: %w", err)
	}
	defer rows.Close()
	var out []platform.Login
	for rows.Next() {
		var l platform.Login
		var at any
		if err := rows.Scan(&l.ID, &l.AccountID, &at, &l.IP, &l.DeviceID, &l.AppVersion); err != nil {
			return nil, fmt.Errorf("read login: %w", err)
		}
		if l.At, err = dirScanTime(at); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Group returns the group with id, or an errs.NotFound error.
func (d *Directory) Group(ctx context.Context, id string) (platform.Group, error) {
	var g platform.Group
	err := d.db.QueryRowContext(ctx, d.db.Rebind("SELECT id, name, member_count, join_method FROM dir_groups WHERE id = ?"), id).
		Scan(&g.ID, &g.Name, &g.MemberCount, &g.JoinMethod)
	if isNoRows(err) {
		return g, notFound("group", id)
	}
	if err != nil {
		return g, fmt.Errorf("read group %q: %w", id, err)
	}
	return g, nil
}

// Content returns the content item with id, or an errs.NotFound error.
func (d *Directory) Content(ctx context.Context, id string) (platform.ContentItem, error) {
	var c platform.ContentItem
	var media string
	var created any
	err := d.db.QueryRowContext(ctx, d.db.Rebind(
		"SELECT id, author_id, surface, visibility, group_id, text, media, created_at FROM content_items WHERE id = ?"), id).
		Scan(&c.ID, &c.AuthorID, &c.Surface, &c.Visibility, &c.GroupID, &c.Text, &media, &created)
	if isNoRows(err) {
		return c, notFound("content item", id)
	}
	if err != nil {
		return c, fmt.Errorf("read content %q: %w", id, err)
	}
	if err := json.Unmarshal([]byte(media), &c.Media); err != nil {
		return c, fmt.Errorf("content %q: stored media is not a JSON array: %w", id, err)
	}
	if len(c.Media) == 0 {
		c.Media = nil
	}
	c.CreatedAt, err = dirScanTime(created)
	return c, err
}

// ExistingGroups returns which of ids are groups in the directory.
func (d *Directory) ExistingGroups(ctx context.Context, ids []string) (map[string]bool, error) {
	return d.existing(ctx, "dir_groups", ids)
}

// ExistingContent returns which of ids are content items already stored.
func (d *Directory) ExistingContent(ctx context.Context, ids []string) (map[string]bool, error) {
	return d.existing(ctx, "content_items", ids)
}

func (d *Directory) existing(ctx context.Context, table string, ids []string) (map[string]bool, error) {
	out := make(map[string]bool)
	const per = 1000
	for start := 0; start < len(ids); start += per {
		chunk := ids[start:min(start+per, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := "SELECT id FROM " + table + " WHERE id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",") + ")"
		rows, err := d.db.QueryContext(ctx, d.db.Rebind(q), args...)
		if err != nil {
			return nil, fmt.Errorf("look up %s ids: %w", table, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DirectoryStats are the directory counts shown on the dashboard.
type DirectoryStats struct {
	Accounts      int64            `json:"accounts"`
	AccountsByApp map[string]int64 `json:"accounts_by_app"`
	Logins        int64            `json:"logins"`
	Groups        int64            `json:"groups"`
	Content       int64            `json:"content"`
	ContentBy     []SurfaceCount   `json:"content_by"` // by surface and visibility, sorted
	// ContentBySurface sums ContentBy over visibility.
	ContentBySurface map[string]int64 `json:"content_by_surface"`
}

// SurfaceCount counts the content items of one surface and visibility.
type SurfaceCount struct {
	Surface    string `json:"surface"`
	Visibility string `json:"visibility"`
	N          int64  `json:"n"`
}

// Stats counts the directory's records.
func (d *Directory) Stats(ctx context.Context) (DirectoryStats, error) {
	s := DirectoryStats{AccountsByApp: map[string]int64{}, ContentBySurface: map[string]int64{}}
	for _, q := range []struct {
		sql string
		dst *int64
	}{
		{"SELECT COUNT(*) FROM dir_logins", &s.Logins},
		{"SELECT COUNT(*) FROM dir_groups", &s.Groups},
	} {
		if err := d.db.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			return s, fmt.Errorf("directory stats: %w", err)
		}
	}
	rows, err := d.db.QueryContext(ctx, "SELECT app, COUNT(*) FROM dir_accounts GROUP BY app")
	if err != nil {
		return s, fmt.Errorf("directory stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var app string
		var n int64
		if err := rows.Scan(&app, &n); err != nil {
			return s, fmt.Errorf("directory stats: %w", err)
		}
		s.AccountsByApp[app] = n
		s.Accounts += n
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	crows, err := d.db.QueryContext(ctx, "SELECT surface, visibility, COUNT(*) FROM content_items GROUP BY surface, visibility ORDER BY surface, visibility")
	if err != nil {
		return s, fmt.Errorf("directory stats: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var c SurfaceCount
		if err := crows.Scan(&c.Surface, &c.Visibility, &c.N); err != nil {
			return s, fmt.Errorf("directory stats: %w", err)
		}
		s.ContentBy = append(s.ContentBy, c)
		s.ContentBySurface[c.Surface] += c.N
		s.Content += c.N
	}
	return s, crows.Err()
}
