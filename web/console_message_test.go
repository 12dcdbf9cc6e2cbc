package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The thread is two-way with attachments: the response team can send the
// officer a file, and only that officer can download it.
func TestConsoleMessageWithAttachmentReachesTheOfficer(t *testing.T) {
	ce := newConsoleEnv(t)
	officer := ce.browser()
	ce.onboard(t, officer, "ana@metro-pd.example")
	body, ct := multipartForm(t, emergencyForm(officer.csrf("/portal/requests/new")), "document", "order.pdf", testPDF)
	r := officer.multipart("/portal/requests", body, ct)
	if r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", r.status, r.body)
	}
	id := strings.TrimPrefix(r.location, "/portal/requests/")
	page := "/requests/" + id

	resp := ce.staff("resp", "le_response")
	if p := resp.do("GET", page, nil, nil); !strings.Contains(p.body, `enctype="multipart/form-data"`) || !strings.Contains(p.body, `name="attachment"`) {
		t.Fatalf("the staff message form takes no attachment:\n%s", p.body)
	}
	msg := url.Values{"body": {"Please sign the attached supervisor form."}, "csrf_token": {resp.csrf(page)}}
	body, ct = multipartForm(t, msg, "attachment", "supervisor-form.pdf", testPDF)
	if r := resp.multipart(page+"/messages", body, ct); r.status != http.StatusSeeOther {
		t.Fatalf("staff message with attachment: %d\n%s", r.status, r.body)
	}

	view := officer.do("GET", "/portal/requests/"+id, nil, nil)
	if !strings.Contains(view.body, "Please sign the attached supervisor form.") || !strings.Contains(view.body, "supervisor-form.pdf") {
		t.Fatalf("the officer does not see the message and its attachment:\n%s", view.body)
	}
	link := regexp.MustCompile(`href="(/portal/requests/[^"]+/files/[0-9a-f]{64})"[^>]*>supervisor-form\.pdf`).FindStringSubmatch(view.body)
	if link == nil {
		t.Fatalf("no download link for the attachment:\n%s", view.body)
	}
	if d := officer.do("GET", link[1], nil, nil); d.status != 200 || d.body != string(testPDF) {
		t.Fatalf("attachment download: %d, %d bytes", d.status, len(d.body))
	}
	other := ce.browser()
	ce.onboard(t, other, "bo@metro-pd.example")
	if d := other.do("GET", link[1], nil, nil); d.status != http.StatusNotFound {
		t.Fatalf("another officer downloaded the attachment: %d", d.status)
	}
}
