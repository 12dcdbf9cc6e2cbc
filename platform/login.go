package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Login is one login or session start of an account: the per-login IP and
// device records that law enforcement may request with a court order.
type Login struct {
	// ID is optional on input: logins have no platform id of their own, so
	// when it is empty Validate derives one from the other fields, making a
	// re-sent login the same record.
	ID         string    `json:"id,omitempty"`
	AccountID  string    `json:"account_id"`
	At         time.Time `json:"at"`
	IP         string    `json:"ip"`
	DeviceID   string    `json:"device_id"`
	AppVersion string    `json:"app_version"`
}

// Validate checks every field of l, naming each bad field and its fix, and
// normalises l in place (UTC time, canonical IP, derived ID when empty).
func (l *Login) Validate(now time.Time) error {
	var p problems
	checkID(&p, "id", l.ID, false)
	checkID(&p, "account_id", l.AccountID, true)
	checkTime(&p, "at", &l.At, now)
	checkIP(&p, "ip", &l.IP, true)
	l.DeviceID = strings.TrimSpace(l.DeviceID)
	switch {
	case l.DeviceID == "":
		p.add("device_id", "is required: send the device identifier the platform recorded for this login")
	case len(l.DeviceID) > maxDeviceIDLen:
		p.add("device_id", "has %d characters; at most %d are allowed", len(l.DeviceID), maxDeviceIDLen)
	default:
		checkText(&p, "device_id", l.DeviceID)
	}
	l.AppVersion = strings.TrimSpace(l.AppVersion)
	switch {
	case l.AppVersion == "":
		p.add("app_version", "is required: send the client version, e.g. 8.0.49")
	case len(l.AppVersion) > maxAppVerLen || strings.IndexFunc(l.AppVersion, notVersionRune) >= 0:
		p.add("app_version", "%q is not a version: use at most %d letters, digits and . - _ +, e.g. 8.0.49", l.AppVersion, maxAppVerLen)
	}
	if err := p.err(); err != nil {
		return err
	}
	if l.ID == "" {
		l.ID = l.derivedID()
	}
	return nil
}

func notVersionRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_+", r))
}

// derivedID names a login by what it is, so the same login sent twice (with
// no id) is stored once.
func (l *Login) derivedID() string {
	h := sha256.New()
	for _, s := range []string{l.AccountID, l.At.Format(time.RFC3339Nano), l.IP, l.DeviceID, l.AppVersion} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "login:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// Group join methods. Both make a group public or semi-public: anyone with
// the QR code, or anyone with an invitation link, can join. Private groups
// are out of Vigil's scope and have no join method here.
const (
	JoinPublicQR = "public_qr"
	JoinInvite   = "invite"
)

// Group is a public or semi-public group chat.
type Group struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	MemberCount int64  `json:"member_count"`
	JoinMethod  string `json:"join_method"`
}

// Validate checks every field of g, naming each bad field and its fix, and
// normalises g in place.
func (g *Group) Validate() error {
	var p problems
	checkID(&p, "id", g.ID, true)
	checkName(&p, "name", &g.Name, true)
	if g.MemberCount < 0 || g.MemberCount > MaxMemberCount {
		p.add("member_count", "is %d; send the current number of members, 0 to %d", g.MemberCount, MaxMemberCount)
	}
	if strings.EqualFold(strings.TrimSpace(g.JoinMethod), "private") {
		p.add("join_method", "private groups are out of scope: Vigil accepts only groups joinable by public QR code (public_qr) or invitation link (invite)")
	} else {
		checkEnum(&p, "join_method", &g.JoinMethod, JoinPublicQR, JoinInvite)
	}
	return p.err()
}
