package production

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"time"

	"vigil/lawreq"
)

// The names of the package's fixed files.
const (
	ManifestFile      = "manifest.json"
	SignatureFile     = "manifest.sig"
	CoverLetterFile   = "cover-letter.pdf"
	CertificationFile = "certification-902-11.pdf"
)

// ManifestFormat identifies the manifest's layout; Verify refuses others.
const ManifestFormat = "vigil-production/1"

// FileEntry identifies one file of the package (FRE 902(14): the hash is the
// process of digital identification).
type FileEntry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex
}

// Manifest describes a package: its request, what it contains and who
// produced it. manifest.sig signs its exact bytes.
type Manifest struct {
	Format      string             `json:"format"`
	RequestID   string             `json:"request_id"`
	RequestType lawreq.RequestType `json:"request_type"`
	CaseNumber  string             `json:"case_number"`
	CaseName    string             `json:"case_name,omitempty"`
	AgencyID    string             `json:"agency_id,omitempty"`
	Agency      string             `json:"agency"`
	Categories  []lawreq.Category  `json:"categories"`
	SnapshotAt  time.Time          `json:"snapshot_at"`
	CreatedAt   time.Time          `json:"created_at"`
	Producer    Producer           `json:"producer"`
	Custodian   Custodian          `json:"custodian"`
	Audit       *AuditRef          `json:"audit,omitempty"`
	KeyID       string             `json:"key_id"` // KeyID of the signing key, a hint for people
	Files       []FileEntry        `json:"files"`
}

// entryFor hashes one file.
func entryFor(name string, data []byte) FileEntry {
	sum := sha256.Sum256(data)
	return FileEntry{Name: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
}

// encodeManifest renders m as indented JSON with a final newline; these are
// the bytes that are signed.
func encodeManifest(m *Manifest) ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// encodeSignature renders manifest.sig: base64 of the Ed25519 signature
// over the manifest bytes, and a newline.
func encodeSignature(k *Key, manifest []byte) []byte {
	return []byte(base64.StdEncoding.EncodeToString(k.Sign(manifest)) + "\n")
}
