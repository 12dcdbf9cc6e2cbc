package production

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

// doc is a plain A4/Letter-agnostic text document on fpdf's core fonts.
// Core fonts speak Windows-1252: tr maps what it can, and characters
// outside it print as '.'; records.json keeps every value exactly.
type doc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
	w   float64 // text width between the margins
}

// newDoc starts a US Letter document whose dates are fixed to created, so
// the bytes depend only on the input.
func newDoc(in *Input, created time.Time, title string) *doc {
	p := fpdf.New("P", "mm", "Letter", "")
	p.SetCompression(!in.uncompressedPDF)
	p.SetCreationDate(created)
	p.SetModificationDate(created)
	p.SetCatalogSort(true)
	p.SetMargins(22, 20, 22)
	p.SetAutoPageBreak(true, 20)
	d := &doc{pdf: p, tr: p.UnicodeTranslatorFromDescriptor("")}
	p.SetTitle(title, true)
	p.SetAuthor(in.Custodian.Organization, true)
	p.SetCreator(in.Producer.System+" "+in.Producer.Version, true)
	p.SetProducer(in.Producer.System, true)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-14)
		p.SetFont("Helvetica", "", 8)
		p.CellFormat(0, 5, d.tr(fmt.Sprintf("%s, request %s, case %s, page %d of {nb}", title, in.Request.ID, in.Request.CaseNumber, p.PageNo())), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	pw, _ := p.GetPageSize()
	l, _, r, _ := p.GetMargins()
	d.w = pw - l - r
	return d
}

// heading writes a bold line.
func (d *doc) heading(size float64, s string) {
	d.pdf.SetFont("Helvetica", "B", size)
	d.pdf.MultiCell(d.w, size*0.5, d.tr(s), "", "L", false)
	d.pdf.Ln(1.5)
}

// para writes a wrapped paragraph and a gap after it.
func (d *doc) para(s string) {
	d.pdf.SetFont("Helvetica", "", 10)
	d.pdf.MultiCell(d.w, 4.5, d.tr(s), "", "L", false)
	d.pdf.Ln(2)
}

// line writes one unspaced line (addresses, signature blocks).
func (d *doc) line(s string) {
	d.pdf.SetFont("Helvetica", "", 10)
	d.pdf.MultiCell(d.w, 5, d.tr(s), "", "L", false)
}

// item writes a bulleted, wrapped line.
func (d *doc) item(s string) {
	d.pdf.SetFont("Helvetica", "", 10)
	x := d.pdf.GetX()
	d.pdf.CellFormat(5, 4.5, d.tr("-"), "", 0, "L", false, 0, "")
	d.pdf.MultiCell(d.w-5, 4.5, d.tr(s), "", "L", false)
	d.pdf.SetX(x)
	d.pdf.Ln(0.8)
}

// keepTogether starts a new page unless h millimetres fit on this one.
func (d *doc) keepTogether(h float64) {
	_, ph := d.pdf.GetPageSize()
	_, _, _, bottom := d.pdf.GetMargins()
	if d.pdf.GetY()+h > ph-bottom {
		d.pdf.AddPage()
	}
}

// mono writes a line in a fixed-width font (hashes, key ids).
func (d *doc) mono(size float64, s string) {
	d.pdf.SetFont("Courier", "", size)
	d.pdf.MultiCell(d.w, size*0.45, d.tr(s), "", "L", false)
}

// bytes finishes the document.
func (d *doc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.pdf.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// day formats a date for letters: "November 24, 2026".
func day(t time.Time) string { return t.UTC().Format("January 2, 2006") }

// stamp formats an instant for letters, always in UTC.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }
