package main

import (
	"context"
	"sort"

	"vigil/detect"

	"vigil/web"
)

// dashboardStats feeds the console dashboard from the directory, the token
// store and the audit log.
type dashboardStats struct{ a *app }

func (d *dashboardStats) DashboardCounts(ctx context.Context) (web.DashboardCounts, error) {
	st, err := d.a.dir.Stats(ctx)
	if err != nil {
		return web.DashboardCounts{}, err
	}
	out := web.DashboardCounts{Logins: st.Logins, Groups: st.Groups}
	for _, app := range sortedKeys(st.AccountsByApp) {
		out.AccountsByApp = append(out.AccountsByApp, web.Count{Label: app, N: st.AccountsByApp[app]})
	}
	for _, c := range st.ContentBy {
		out.Content = append(out.Content, web.ContentCount{Surface: c.Surface, Visibility: c.Visibility, N: c.N})
	}
	if out.APITokens, err = d.a.tokens.CountActive(ctx); err != nil {
		return out, err
	}
	if out.AuditTreeSize, err = d.a.audit.Size(ctx); err != nil {
		return out, err
	}
	flagged, err := d.a.verdicts.FlaggedCounts(ctx)
	if err != nil {
		return out, err
	}
	for _, c := range detect.Categories {
		if n := flagged[c]; n > 0 {
			out.Flagged = append(out.Flagged, web.Count{Label: c, N: n})
		}
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
