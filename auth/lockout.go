package auth

import "time"

// LockoutPolicy decides when repeated login failures lock an account: after
// MaxFailures failures within Window the account is locked for LockFor.
type LockoutPolicy struct {
	MaxFailures int
	Window      time.Duration
	LockFor     time.Duration
}

// DefaultLockout locks an account for 15 minutes after 5 failures in 15 minutes.
var DefaultLockout = LockoutPolicy{MaxFailures: 5, Window: 15 * time.Minute, LockFor: 15 * time.Minute}

// LoginState is the per-account failure bookkeeping the policy reads and
// returns. The store persists it as it is.
type LoginState struct {
	Failures    int       // failures in the current window
	WindowStart time.Time // time of the first failure in the window
	LockedUntil time.Time // zero when not locked
}

// Locked reports whether s is locked at now.
func (p LockoutPolicy) Locked(s LoginState, now time.Time) bool {
	return !s.LockedUntil.IsZero() && now.Before(s.LockedUntil)
}

// Fail records a failure at now and returns the new state and whether this
// failure locked the account (so the caller audits the lockout once).
func (p LockoutPolicy) Fail(s LoginState, now time.Time) (LoginState, bool) {
	if p.Locked(s, now) {
		return s, false
	}
	if s.Failures == 0 || s.WindowStart.IsZero() || now.Sub(s.WindowStart) >= p.Window || !s.LockedUntil.IsZero() {
		// A new window: the old one expired, or a previous lock ran out.
		s = LoginState{WindowStart: now}
	}
	s.Failures++
	if p.MaxFailures > 0 && s.Failures >= p.MaxFailures {
		s.LockedUntil = now.Add(p.LockFor)
		return s, true
	}
	return s, false
}

// Succeed returns the state after a successful login: all failures forgotten.
func (p LockoutPolicy) Succeed() LoginState { return LoginState{} }
