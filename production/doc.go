// Package production builds the package a law-enforcement request is
// answered with, and verifies one.
//
// A package is a ZIP holding records.json (every record, grouped by
// category and account, with the request metadata), one CSV per granted
// category, a cover letter and a business-records certification (PDF),
// manifest.json (name, size and SHA-256 of every other file) and
// manifest.sig (an Ed25519 signature over the exact manifest bytes). Build
// refuses any record outside the approved scope, using lawreq's scope table
// and field schemas as the gate (legal.md §§ 2–4), and its output is
// deterministic, so a package can be rebuilt from the same input and
// compared byte for byte. Verify checks a package against a public key and
// names the first thing that failed.
//
// The package does no I/O beyond the io.Writer and io.ReaderAt it is given,
// except the key file helpers in key.go, which read and create the signing
// key in the data directory.
package production
