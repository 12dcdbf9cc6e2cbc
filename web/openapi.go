package web

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// openAPISource is the hand-maintained API document. It is written in YAML
// for the people who edit it and served as JSON; openapi_test.go checks it
// against the routes the server actually registers.
//
//go:embed openapi.yaml
var openAPISource []byte

// OpenAPIPath is where the API document is served.
const OpenAPIPath = "/api/openapi.json"

// AccessExtension is the operation extension in the API document that lists
// who may call the operation, in the route table's terms (Route.Allow).
const AccessExtension = "x-vigil-access"

// OpenAPIDocument loads and validates the embedded API document. Each call
// returns a fresh copy, so callers may modify it.
func OpenAPIDocument(ctx context.Context) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.Context = ctx
	doc, err := loader.LoadFromData(openAPISource)
	if err != nil {
		return nil, fmt.Errorf("web: load openapi.yaml: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("web: openapi.yaml is not a valid OpenAPI 3 document: %w", err)
	}
	return doc, nil
}

// openAPIJSON is the served document, converted once. A document that does
// not load is a build defect the tests catch; at run time it becomes a 500
// with the cause logged rather than a crash.
var openAPIJSON = sync.OnceValues(func() ([]byte, error) {
	doc, err := OpenAPIDocument(context.Background())
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(doc, "", "  ")
})

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	b, err := openAPIJSON()
	if err != nil {
		WriteError(w, r, err) // no kind: a 500 with the cause logged
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=300")
	// Tools (Swagger UI, code generators) fetch the document from other origins.
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}
