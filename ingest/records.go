package ingest

import (
	"context"
	"encoding/json"
	"fmt"

	"vigil/errs"
	"vigil/platform"
)

// validated is the outcome of decoding and validating a batch.
type validated[T any] struct {
	items []T   // valid items, one per id (see keepLast)
	index []int // batch position of each of items
	res   Result
}

// validateBatch decodes and validates every item, collecting per-item
// errors. For repeated ids it keeps the first (keepLast false: immutable
// records) or the last (keepLast true: the newer state) and counts the
// others as duplicates.
func validateBatch[T any](raws []json.RawMessage, keepLast bool, check func(*T) error, id func(*T) string) validated[T] {
	var v validated[T]
	pos := make(map[string]int, len(raws))
	for i, raw := range raws {
		var it T
		if ie := decodeItem(raw, &it); ie != nil {
			ie.Index, ie.ID = i, itemID(raw)
			v.res.Errors = append(v.res.Errors, *ie)
			v.res.Rejected++
			continue
		}
		if err := check(&it); err != nil {
			for _, p := range platform.FieldErrors(err) {
				v.res.Errors = append(v.res.Errors, ItemError{Index: i, ID: id(&it), Field: p.Field, Message: p.Message})
			}
			v.res.Rejected++
			continue
		}
		k := id(&it)
		if j, seen := pos[k]; seen {
			v.res.Duplicates++
			if keepLast {
				v.items[j], v.index[j] = it, i
			}
			continue
		}
		pos[k] = len(v.items)
		v.items = append(v.items, it)
		v.index = append(v.index, i)
	}
	return v
}

// storeErr classifies a store failure: the caller can only retry.
func storeErr(kind Kind, err error) error {
	if errs.KindOf(err) != 0 {
		return err
	}
	return fmt.Errorf("ingest %s: %w", kind, err)
}

func (s *Service) submitAccounts(ctx context.Context, raws []json.RawMessage) (Result, error) {
	now := s.now()
	v := validateBatch(raws, true, func(a *platform.Account) error { return a.Validate(now) }, func(a *platform.Account) string { return a.ID })
	if len(v.items) == 0 {
		return v.res, nil
	}
	n, err := s.cfg.Store.UpsertAccounts(ctx, v.items)
	if err != nil {
		return Result{}, storeErr(KindAccounts, err)
	}
	v.res.Accepted = int(n)
	v.res.Duplicates += len(v.items) - int(n)
	return v.res, nil
}

func (s *Service) submitLogins(ctx context.Context, raws []json.RawMessage) (Result, error) {
	now := s.now()
	v := validateBatch(raws, false, func(l *platform.Login) error { return l.Validate(now) }, func(l *platform.Login) string { return l.ID })
	if len(v.items) == 0 {
		return v.res, nil
	}
	n, err := s.cfg.Store.InsertLogins(ctx, v.items)
	if err != nil {
		return Result{}, storeErr(KindLogins, err)
	}
	v.res.Accepted = int(n)
	v.res.Duplicates += len(v.items) - int(n)
	return v.res, nil
}

func (s *Service) submitGroups(ctx context.Context, raws []json.RawMessage) (Result, error) {
	v := validateBatch(raws, true, func(g *platform.Group) error { return g.Validate() }, func(g *platform.Group) string { return g.ID })
	if len(v.items) == 0 {
		return v.res, nil
	}
	n, err := s.cfg.Store.UpsertGroups(ctx, v.items)
	if err != nil {
		return Result{}, storeErr(KindGroups, err)
	}
	s.groupsMu.Lock()
	for _, g := range v.items {
		s.rememberGroup(g.ID)
	}
	s.groupsMu.Unlock()
	v.res.Accepted = int(n)
	v.res.Duplicates += len(v.items) - int(n)
	return v.res, nil
}

// rememberGroup caches a known group id; the cache is bounded and simply
// starts over when full. Caller holds groupsMu.
func (s *Service) rememberGroup(id string) {
	if len(s.knownGroups) >= 200_000 {
		clear(s.knownGroups)
	}
	s.knownGroups[id] = true
}
