package web

import "context"

// Stats provides the counts the dashboard shows. The composition root
// implements it over the directory store and the audit log.
type Stats interface {
	DashboardCounts(ctx context.Context) (DashboardCounts, error)
}

// Count is one labelled number.
type Count struct {
	Label string
	N     int64
}

// ContentCount counts content items of one surface and visibility.
type ContentCount struct {
	Surface, Visibility string
	N                   int64
}

// DashboardCounts are the demo-data figures on the dashboard.
type DashboardCounts struct {
	AccountsByApp []Count        // by app: wechat, weixin
	Logins        int64          // login/session records
	Groups        int64          // groups
	Content       []ContentCount // content items by surface and visibility
	APITokens     int64          // service API tokens (active)
	AuditTreeSize uint64         // entries in the audit Merkle tree
	Flagged       []Count        // content items flagged by detection, by category
}

// TotalAccounts sums AccountsByApp.
func (d DashboardCounts) TotalAccounts() int64 {
	var n int64
	for _, c := range d.AccountsByApp {
		n += c.N
	}
	return n
}

// TotalContent sums Content.
func (d DashboardCounts) TotalContent() int64 {
	var n int64
	for _, c := range d.Content {
		n += c.N
	}
	return n
}
