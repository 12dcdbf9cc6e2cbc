package production

import (
	"fmt"
	"time"

	"vigil/errs"
	"vigil/lawreq"
)

// eventTime names, per category, the field that dates a record as an
// event: such records are producible only inside the request's date range.
// Subscriber facts, memberships and history before the range describe the
// account's state and are not filtered here.
var eventTime = map[lawreq.Category]string{
	lawreq.SubscriberBasic: "session_started_at",
	lawreq.LoginMetadata:   "login_at",
	lawreq.AccountHistory:  "changed_at",
	lawreq.Content:         "created_at",
}

// checkDate refuses an event record dated outside the request's range
// (errs.Forbidden) or dated in a form other than RFC 3339 (errs.Invalid).
// A range end at midnight is read as "the last day", inclusive, as the
// portal asks officers for the first and last day of the period.
func checkDate(r lawreq.DateRange, c lawreq.Category, i int, row Row) error {
	f, ok := eventTime[c]
	v := row[f]
	if !ok || v == "" || r.From.IsZero() || r.To.IsZero() {
		return nil
	}
	field := fmt.Sprintf("records.%s[%d].%s", c, i, f)
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return errs.Field(field, "%q is not an RFC 3339 time: write times as 2006-01-02T15:04:05Z", v)
	}
	end := r.To.UTC()
	if end.Equal(end.Truncate(24 * time.Hour)) {
		end = end.Add(24*time.Hour - time.Nanosecond)
	}
	if !(lawreq.DateRange{From: r.From, To: end}).Contains(t) {
		return &errs.Error{Kind: errs.Forbidden, Field: field,
			Msg: fmt.Sprintf("%s is outside the request's date range (%s to %s): remove the record", v, r.From.UTC().Format(time.RFC3339), r.To.UTC().Format(time.RFC3339))}
	}
	return nil
}
