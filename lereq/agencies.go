package lereq

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/platform"
)

// SaveAgency creates (empty ID) or updates an agency record; admins only
// (and the LE response team, who keep the directory current). Phone is the
// agency's published switchboard in E.164.
func (s *Service) SaveAgency(ctx context.Context, a Actor, ag Agency) (Agency, error) {
	if err := requireStaff(a, lawreq.RoleAdmin, lawreq.RoleLEResponse); err != nil {
		return Agency{}, err
	}
	if err := checkAgency(&ag); err != nil {
		return Agency{}, err
	}
	var err error
	action := "lereq.agency.update"
	if ag.ID == "" {
		ag.ID, ag.CreatedBy, action = newID("agy"), a.ID, "lereq.agency.create"
		ag, err = s.d.Store.CreateAgency(ctx, ag)
	} else {
		ag, err = s.d.Store.UpdateAgency(ctx, ag)
	}
	if err != nil {
		return Agency{}, err
	}
	return ag, s.audit(ctx, a, action, []string{"agency:" + ag.ID}, "", map[string]string{
		"name": ag.Name, "phone": ag.Phone, "domains": strings.Join(ag.Domains, ","),
	})
}

func checkAgency(ag *Agency) error {
	var p []error
	ag.Name, ag.Jurisdiction, ag.ORI = strings.TrimSpace(ag.Name), strings.TrimSpace(ag.Jurisdiction), strings.ToUpper(strings.TrimSpace(ag.ORI))
	if ag.Name == "" || utf8.RuneCountInString(ag.Name) > 200 {
		p = append(p, errs.Field("name", "is required (at most 200 characters): the agency's official name"))
	}
	if utf8.RuneCountInString(ag.Jurisdiction) > 200 {
		p = append(p, errs.Field("jurisdiction", "has more than 200 characters"))
	}
	phone := strings.TrimSpace(ag.Phone)
	if e, err := platform.NormalizePhone(phone, ""); !strings.HasPrefix(phone, "+") || err != nil || e == "" {
		p = append(p, errs.Field("phone", "%q is not an E.164 number: send the agency's published switchboard number, found independently (e.g. +12025550100)", ag.Phone))
	} else {
		ag.Phone = e
	}
	for i, d := range ag.Domains {
		d = strings.Trim(strings.ToLower(strings.TrimSpace(d)), ".")
		if !strings.Contains(d, ".") || strings.ContainsAny(d, "@ /") {
			p = append(p, errs.Field(fmt.Sprintf("domains[%d]", i), "%q is not a domain: send e.g. sheriff.example.gov", ag.Domains[i]))
		}
		ag.Domains[i] = d
	}
	return joinErrs(p)
}

// Agencies lists the agencies (for the registration form and the console).
func (s *Service) Agencies(ctx context.Context) ([]Agency, error) { return s.d.Store.ListAgencies(ctx) }

// Callback is a staff member's record of the call-back verification.
type Callback struct {
	// PhoneDialed is the number called. It must be the agency's published
	// switchboard on record, never a number from the request.
	PhoneDialed string `json:"phone_dialed"`
	Notes       string `json:"notes"` // whom they spoke to and what was confirmed
}

// RecordCallback records that staff verified officerID by calling the
// agency's published number, and clears the "verify by call-back" task
// from the officer's requests.
func (s *Service) RecordCallback(ctx context.Context, a Actor, officerID string, c Callback) (Officer, error) {
	if err := requireStaff(a, lawreq.RoleLEResponse, lawreq.RoleLegal); err != nil {
		return Officer{}, err
	}
	o, err := s.d.Store.Officer(ctx, officerID)
	if err != nil {
		return Officer{}, err
	}
	ag, err := s.d.Store.Agency(ctx, o.AgencyID)
	if err != nil {
		return Officer{}, err
	}
	var p []error
	dialed, perr := platform.NormalizePhone(strings.TrimSpace(c.PhoneDialed), "")
	switch {
	case perr != nil || !strings.HasPrefix(strings.TrimSpace(c.PhoneDialed), "+"):
		p = append(p, errs.Field("phone_dialed", "%q is not an E.164 number: enter the number you called, e.g. %s", c.PhoneDialed, ag.Phone))
	case dialed != ag.Phone:
		p = append(p, errs.Field("phone_dialed", "%s is not %s's published switchboard (%s): call the number on record, never one from the request or its signature", dialed, ag.Name, ag.Phone))
	}
	notes := strings.TrimSpace(c.Notes)
	if notes == "" || utf8.RuneCountInString(notes) > 4000 {
		p = append(p, errs.Field("notes", "is required (at most 4000 characters): say whom you spoke to and what they confirmed"))
	}
	if err := joinErrs(p); err != nil {
		return Officer{}, err
	}
	now := s.now()
	if err := s.d.Store.SetOfficerCallback(ctx, o.ID, now, a.ID, notes); err != nil {
		return Officer{}, err
	}
	if _, err := s.d.Store.AddVerification(ctx, Verification{OfficerID: o.ID, Kind: VerifyCallback, By: a.ID, Phone: dialed, Notes: notes, At: now}); err != nil {
		return Officer{}, err
	}
	n, err := s.d.Store.ClearCallbackFlag(ctx, o.ID)
	if err != nil {
		return Officer{}, err
	}
	if err := s.audit(ctx, a, "lereq.officer.callback", []string{"officer:" + o.ID, "agency:" + ag.ID}, notes,
		map[string]string{"phone": dialed, "requests_released": fmt.Sprint(n)}); err != nil {
		return Officer{}, err
	}
	return s.d.Store.Officer(ctx, o.ID)
}

// SetOfficerDisabled disables or re-enables an officer's account (admins
// and the LE response team), with the reason audited.
func (s *Service) SetOfficerDisabled(ctx context.Context, a Actor, officerID string, disabled bool, reason string) error {
	if err := requireStaff(a, lawreq.RoleAdmin, lawreq.RoleLEResponse); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return errs.Field("reason", "is required: say why the account is disabled or re-enabled")
	}
	if err := s.d.Store.SetOfficerDisabled(ctx, officerID, disabled); err != nil {
		return err
	}
	return s.audit(ctx, a, "lereq.officer.disable", []string{"officer:" + officerID}, reason, map[string]string{"disabled": fmt.Sprint(disabled)})
}

// Verifications returns the identity checks recorded for an officer (staff only).
func (s *Service) Verifications(ctx context.Context, a Actor, officerID string) ([]Verification, error) {
	if err := requireStaff(a); err != nil {
		return nil, err
	}
	return s.d.Store.Verifications(ctx, officerID)
}

// Agency returns one agency record.
func (s *Service) Agency(ctx context.Context, id string) (Agency, error) {
	return s.d.Store.Agency(ctx, id)
}

// Officers lists the officers of an agency (all when agencyID is empty)
// with their onboarding state, for the console (staff only).
func (s *Service) Officers(ctx context.Context, a Actor, agencyID string) ([]Officer, []OfficerState, error) {
	if err := requireStaff(a, lawreq.RoleLEResponse, lawreq.RoleLegal, lawreq.RoleAdmin, roleAuditor); err != nil {
		return nil, nil, err
	}
	os, err := s.d.Store.ListOfficers(ctx, agencyID)
	if err != nil {
		return nil, nil, err
	}
	sts := make([]OfficerState, len(os))
	for i, o := range os {
		sts[i] = s.StateOf(o)
	}
	return os, sts, nil
}
