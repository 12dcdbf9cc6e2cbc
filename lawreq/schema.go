package lawreq

import (
	"fmt"
	"slices"
	"strings"

	"vigil/errs"
)

// FieldSpec is one record field a production may contain, with the legal
// basis that puts it in its category.
type FieldSpec struct {
	Name  string `json:"name"`
	Basis string `json:"basis"`
}

// fieldSchemas lists, per category, the exact record fields a production
// may contain. account_id appears in every category because it ties a
// record to the named account; it is itself subscriber identity.
var fieldSchemas = map[Category][]FieldSpec{
	SubscriberBasic: {
		{"account_id", "§ 2703(c)(2)(E) subscriber number or identity"},
		{"wechat_id", "§ 2703(c)(2)(E) subscriber identity"},
		{"display_name", "§ 2703(c)(2)(A) name"},
		{"address", "§ 2703(c)(2)(B) address"},
		{"region", "§ 2703(c)(2)(B) address (country of registration)"},
		{"phone", "§ 2703(c)(2)(E) instrument number (registration phone)"},
		{"email", "§ 2703(c)(2)(E) subscriber identity"},
		{"registered_at", "§ 2703(c)(2)(D) length of service, start date"},
		{"status", "§ 2703(c)(2)(D) length of service (active, suspended, deleted)"},
		{"app", "§ 2703(c)(2)(D) types of service used"},
		{"service_types", "§ 2703(c)(2)(D) types of service used"},
		{"registration_ip", "§ 2703(c)(2)(E) network address assigned at registration"},
		{"session_started_at", "§ 2703(c)(2)(C) records of session times"},
		{"session_duration_s", "§ 2703(c)(2)(C) records of session durations"},
		{"payment_method", "§ 2703(c)(2)(F) means of payment"},
		{"payment_source", "§ 2703(c)(2)(F) source of payment"},
	},
	LoginMetadata: {
		{"account_id", "ties the record to the named account"},
		{"login_id", "identifies the login record"},
		{"login_at", "§ 2703(d) non-content record: time of login"},
		{"ip", "§ 2703(d) non-content record: IP address per login"},
		{"device_id", "§ 2703(d) non-content record: device identifier"},
		{"app_version", "§ 2703(d) non-content record: client version"},
	},
	AccountHistory: {
		{"account_id", "ties the record to the named account"},
		{"changed_at", "§ 2703(d) non-content record: time of change"},
		{"change", "§ 2703(d) non-content record: what changed (phone, email, wechat_id, status, …)"},
		{"old_value", "§ 2703(d) non-content record: value before"},
		{"new_value", "§ 2703(d) non-content record: value after"},
	},
	GroupMemberships: {
		{"account_id", "ties the record to the named account"},
		{"group_id", "§ 2703(d) non-content record: group membership"},
		{"group_name", "§ 2703(d) non-content record: group membership"},
		{"member_role", "§ 2703(d) non-content record: member, admin or owner"},
		{"joined_at", "§ 2703(d) non-content record: membership period"},
		{"left_at", "§ 2703(d) non-content record: membership period"},
	},
	Content: {
		{"account_id", "ties the record to the named account"},
		{"content_id", "identifies the item"},
		{"surface", "where the item was posted"},
		{"visibility", "who could see it"},
		{"group_id", "the group it was posted in"},
		{"created_at", "when it was posted"},
		{"text", "content: warrant or approved emergency only"},
		{"media", "content: warrant or approved emergency only"},
	},
}

// FieldSchema returns the record fields a production may contain for
// category c, in a stable order (nil for an unknown category).
func FieldSchema(c Category) []FieldSpec {
	return slices.Clone(fieldSchemas[c])
}

// FieldNames returns just the field names of FieldSchema(c).
func FieldNames(c Category) []string {
	fs := fieldSchemas[c]
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

// CheckRecord is the production builder's gate: a record of category c with
// the given field names may go into a production for granted categories
// only if c is granted and every field is in c's schema. The error is
// Forbidden and names the first offending field; a subpoena production
// carrying, say, login IPs fails here.
func CheckRecord(granted []Category, c Category, fields []string) error {
	if !slices.Contains(granted, c) {
		return errs.E(errs.Forbidden, "category %s is not within the approved scope (%s): remove these records from the production", c, joinCats(granted))
	}
	allowed := FieldNames(c)
	for _, f := range fields {
		if !slices.Contains(allowed, f) {
			return &errs.Error{Kind: errs.Forbidden, Field: f, Msg: fmt.Sprintf("is not a %s field (allowed: %s): remove it from the production", c, strings.Join(allowed, ", "))}
		}
	}
	return nil
}

func joinCats(cs []Category) string {
	if len(cs) == 0 {
		return "nothing"
	}
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
