package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"vigil/web"
)

// documentedOutsideAPI are the routes outside /api/ that the API document
// must describe too: the operations endpoints and the published key.
var documentedOutsideAPI = map[string]bool{
	"GET /healthz": true, "GET /readyz": true, "GET /metrics": true,
	"GET " + web.ProductionKeyPath: true,
}

// operations returns every operation of doc as "METHOD /path".
func operations(doc *openapi3.T) map[string]*openapi3.Operation {
	ops := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[strings.ToUpper(method)+" "+path] = op
		}
	}
	return ops
}

// accessOf reads an operation's x-vigil-access list.
func accessOf(op *openapi3.Operation) ([]string, error) {
	raw, ok := op.Extensions[web.AccessExtension]
	if !ok {
		return nil, fmt.Errorf("no %s extension", web.AccessExtension)
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("%s is %T, want a list", web.AccessExtension, raw)
	}
	var out []string
	for _, v := range list {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s holds %T, want strings", web.AccessExtension, v)
		}
		out = append(out, s)
	}
	return out, nil
}

// TestOpenAPIDocumentMatchesRoutes builds the server with every route list
// the composition root mounts and checks the document against it in both
// directions: adding a route under /api/ without documenting it fails here,
// and so does documenting a route that is not registered.
func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	e := newEnv(t, nil, func(c *web.Config) {
		c.Routes = append(append(c.Routes, web.IngestRoutes(nil)...), web.ProductionKeyRoutes(nil)...)
	})
	doc, err := web.OpenAPIDocument(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	documented := operations(doc)
	registered := map[string]bool{}
	for _, rt := range e.srv.Routes() {
		key := rt.Method + " " + rt.Pattern
		registered[key] = true
		op, ok := documented[key]
		if !ok {
			if strings.HasPrefix(rt.Pattern, "/api/") || documentedOutsideAPI[key] {
				t.Errorf("route %s is not in web/openapi.yaml: document it (path, method, %s, responses)", key, web.AccessExtension)
			}
			continue
		}
		if op.Summary == "" {
			t.Errorf("%s: the document gives no summary", key)
		}
		access, err := accessOf(op)
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		got, want := slices.Sorted(slices.Values(access)), slices.Sorted(slices.Values(rt.Allow))
		if !slices.Equal(got, want) {
			t.Errorf("%s: document says %s %v, the route table allows %v", key, web.AccessExtension, got, want)
		}
		// Who may call it and how they authenticate must agree.
		public := slices.Contains(rt.Allow, web.Public)
		if sec := op.Security; public != (sec != nil && len(*sec) == 0) {
			t.Errorf("%s: public=%v but the operation's security is %v", key, public, sec)
		}
	}
	for key := range documented {
		if !registered[key] {
			t.Errorf("web/openapi.yaml documents %s, which the server does not register", key)
		}
	}
}

// TestOpenAPIServed fetches the document as a client would and loads it
// with kin-openapi.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t, nil)
	r := e.browser().do("GET", web.OpenAPIPath, nil, nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s: %d %s", web.OpenAPIPath, r.status, r.header.Get("Content-Type"))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(r.body))
	if err != nil {
		t.Fatalf("served document does not load: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("served document is invalid: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	for _, want := range []string{"serviceToken", "session"} {
		if doc.Components.SecuritySchemes[want] == nil {
			t.Errorf("no security scheme %q", want)
		}
	}
	if doc.Paths.Find("/api/v1/content") == nil {
		t.Error("served document lacks /api/v1/content")
	}
}
