package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"

	"vigil/lereq"
	"vigil/production"
)

// produceOptions are the package settings from the configuration. The
// custodian defaults to the producing staff member, as custodian of
// records of the organisation named in LEContact.
func (s *Server) produceOptions(r *http.Request) (lereq.ProduceOptions, error) {
	opt := lereq.ProduceOptions{Records: s.cfg.Records, Key: s.cfg.ProductionKey, Custodian: s.cfg.Custodian,
		Producer: production.Producer{System: "vigil", Version: buildVersion()}, LinkTTL: s.cfg.PackageTTL}
	if opt.Custodian.Name == "" {
		p, _ := PrincipalFrom(r.Context())
		opt.Custodian.Name = p.Name
		if id, err := s.currentUser(r); err == nil {
			if u, err := s.cfg.Users.StaffUserByID(r.Context(), id); err == nil && u.DisplayName != "" {
				opt.Custodian.Name = u.DisplayName
			} else if err != nil {
				return opt, err
			}
		}
	}
	if opt.Custodian.Title == "" {
		opt.Custodian.Title = "Custodian of Records"
	}
	if opt.Custodian.Organization == "" {
		opt.Custodian.Organization = s.cfg.LEContact.Name
	}
	if opt.Custodian.Organization == "" {
		opt.Custodian.Organization = "Vigil platform operator"
	}
	return opt, nil
}

// consoleProduce builds, stores and delivers the package of an approved
// request (lereq.Service.Produce), then shows the request again.
func (s *Server) consoleProduce(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	opt, err := s.produceOptions(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if _, err := s.cfg.LE.Produce(r.Context(), staffActor(r), id, opt); err != nil {
		s.actionError(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/requests/"+id+"#production", http.StatusSeeOther)
}

// portalPackage lets the officer download the delivered package while the
// link is valid; the service audits every download. An expired link is
// 410 Gone with what to do next.
func (s *Server) portalPackage(w http.ResponseWriter, r *http.Request) {
	rc, p, err := s.cfg.LE.OpenProduction(r.Context(), lereq.OfficerActor(officerOf(r)), r.PathValue("id"))
	if errors.Is(err, lereq.ErrPackageExpired) {
		s.render(w, r, http.StatusGone, "portal_message", view{Title: "Download link expired", Error: errMsg(err)})
		return
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.sendFile(w, r, rc, lereq.Attachment{SHA256: p.SHA256, Size: p.Size, Filename: p.Filename, ContentType: "application/zip"})
}

// consolePackage is the staff copy of the package (not limited in time).
func (s *Server) consolePackage(w http.ResponseWriter, r *http.Request) {
	rc, p, err := s.cfg.LE.OpenProduction(r.Context(), staffActor(r), r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.sendFile(w, r, rc, lereq.Attachment{SHA256: p.SHA256, Size: p.Size, Filename: p.Filename, ContentType: "application/zip"})
}

// consoleFile serves a request's legal document or a thread attachment to staff.
func (s *Server) consoleFile(w http.ResponseWriter, r *http.Request) {
	rc, att, err := s.cfg.LE.OpenFile(r.Context(), staffActor(r), r.PathValue("id"), r.PathValue("sha256"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.sendFile(w, r, rc, att)
}

// sendFile streams a stored file as a download, never rendered inline.
func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, rc io.ReadCloser, att lereq.Attachment) {
	defer func() { _ = rc.Close() }()
	h := w.Header()
	ct := att.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.FormatInt(att.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are gone: a hash mismatch can only cut the download short.
		s.log.ErrorContext(r.Context(), "download failed", "path", r.URL.Path, "err", err)
	}
}

// errMsg is the caller-facing message of an errs.Error.
func errMsg(err error) string {
	_, rest := fieldErrors(err)
	if len(rest) > 0 {
		return rest[0]
	}
	return err.Error()
}

// buildVersion is the module version stamped by go build ("devel" for a
// source build), named in packages as the producing system's version.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "devel"
}
