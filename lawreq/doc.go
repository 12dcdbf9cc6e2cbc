// Package lawreq is the pure domain of law-enforcement requests: the request
// types and their fields, target identifiers, the scope matrix that maps each
// legal process to the data categories it can compel, the workflow state
// machine with its role checks, the response clocks and escalation ladder,
// the on-call rotation and automatic assignment, and the outcomes of account
// resolution.
//
// It encodes ../shared/domain/legal.md. It does no I/O and never reads the
// wall clock: every time is an argument. Storage, HTTP, the portal and the
// production builder live in other packages and call this one.
//
// Errors are vigil/errs values: validation errors name the field (with its
// index for list items) and say how to fix it; Validate methods return every
// problem at once, joined with errors.Join.
package lawreq

import (
	"errors"

	"vigil/errs"
)

// problems collects every field error of one value, so that an officer
// fixes all of them in one round trip instead of one per submission.
type problems []error

func (p *problems) add(field, msg string, args ...any) {
	*p = append(*p, errs.Field(field, msg, args...))
}

func (p problems) err() error { return errors.Join(p...) }
