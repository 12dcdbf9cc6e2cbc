package production

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"vigil/lawreq"
)

// file is one member of the package before it is zipped.
type file struct {
	name string
	data []byte
}

// Build writes the package for in to w as a ZIP and returns its manifest.
// It fails, writing nothing, if any record is outside the approved scope
// (errs.Forbidden naming the field or category) or the input is incomplete
// (errs.Invalid naming the field). The same input, clock included, gives
// the same bytes.
func Build(w io.Writer, in Input) (Manifest, error) {
	if err := in.check(); err != nil {
		return Manifest{}, err
	}
	now := time.Now
	if in.Now != nil {
		now = in.Now
	}
	created := now().UTC().Truncate(time.Second)
	if in.Contact.Name == "" {
		in.Contact = Contact{Name: in.Custodian.Name, Email: in.Custodian.Email, Phone: in.Custodian.Phone}
	}
	cats := in.grantedInOrder()
	// Every target not answered carries an explanation for the officer.
	in.NotProduced = slices.Clone(in.NotProduced)
	for i := range in.NotProduced {
		if strings.TrimSpace(in.NotProduced[i].Reason) == "" {
			in.NotProduced[i].Reason = in.NotProduced[i].Outcome.OfficerExplanation()
		}
	}

	var files []file
	recs, err := encodeRecords(&in, cats)
	if err != nil {
		return Manifest{}, fmt.Errorf("encode %s: %w", RecordsFile, err)
	}
	files = append(files, file{RecordsFile, recs})
	for _, c := range cats {
		b, err := encodeCSV(c, in.Records[c])
		if err != nil {
			return Manifest{}, fmt.Errorf("encode %s: %w", CSVName(c), err)
		}
		files = append(files, file{CSVName(c), b})
	}
	m := Manifest{
		Format: ManifestFormat, RequestID: in.Request.ID, RequestType: in.Request.Type,
		CaseNumber: in.Request.CaseNumber, CaseName: in.Request.CaseName, AgencyID: in.Request.AgencyID,
		Agency: in.AgencyName, Categories: cats, SnapshotAt: in.SnapshotAt.UTC(), CreatedAt: created,
		Producer: in.Producer, Custodian: in.Custodian, Audit: in.Audit, KeyID: KeyID(in.Key.Public()),
	}
	if m.Categories == nil {
		m.Categories = []lawreq.Category{}
	}
	names := make([]string, 0, len(files)+4)
	for _, f := range files {
		names = append(names, f.name)
	}
	names = append(names, CoverLetterFile, CertificationFile, ManifestFile, SignatureFile)
	slices.Sort(names)

	cover, err := coverLetter(&in, &m, names)
	if err != nil {
		return Manifest{}, fmt.Errorf("render %s: %w", CoverLetterFile, err)
	}
	files = append(files, file{CoverLetterFile, cover})
	// The certification lists every file made so far with its hash; it is
	// itself hashed in the signed manifest.
	var certified []FileEntry
	for _, f := range files {
		certified = append(certified, entryFor(f.name, f.data))
	}
	slices.SortFunc(certified, func(a, b FileEntry) int { return strings.Compare(a.Name, b.Name) })
	cert, err := certification(&in, &m, certified)
	if err != nil {
		return Manifest{}, fmt.Errorf("render %s: %w", CertificationFile, err)
	}
	files = append(files, file{CertificationFile, cert})

	for _, f := range files {
		m.Files = append(m.Files, entryFor(f.name, f.data))
	}
	slices.SortFunc(m.Files, func(a, b FileEntry) int { return strings.Compare(a.Name, b.Name) })
	mb, err := encodeManifest(&m)
	if err != nil {
		return Manifest{}, fmt.Errorf("encode %s: %w", ManifestFile, err)
	}
	files = append(files, file{ManifestFile, mb}, file{SignatureFile, encodeSignature(in.Key, mb)})
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.name, b.name) })
	if err := writeZip(w, files, in.SnapshotAt); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// writeZip writes files in the given order, each deflated and stamped with
// the snapshot time, so that equal input gives equal bytes.
func writeZip(w io.Writer, files []file, stamp time.Time) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.DefaultCompression)
	})
	stamp = stamp.UTC().Truncate(time.Second)
	for _, f := range files {
		hdr := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: stamp}
		hdr.SetMode(0o644)
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return fmt.Errorf("write package: %w", err)
		}
		if _, err := fw.Write(f.data); err != nil {
			return fmt.Errorf("write package: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write package: %w", err)
	}
	return nil
}
