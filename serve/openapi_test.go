package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// openAPIDoc is the checked-in OpenAPI document, decoded.
type openAPIDoc struct {
	OpenAPI string                                 `json:"openapi"`
	Paths   map[string]map[string]openAPIOperation `json:"paths"`
}

type openAPIOperation struct {
	Responses map[string]struct {
		Content map[string]json.RawMessage `json:"content"`
	} `json:"responses"`
}

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("serve/openapi.json: %v", err)
	}
	return doc
}

// TestOpenAPIRoutes checks that the document describes exactly the
// routes the server has: every path and method of the document is
// routed, and every route is in the document.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	s := newTestServer(t, Config{})
	var routed, documented []string
	for _, r := range s.endpoints() {
		routed = append(routed, r.method+" "+r.path)
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(routed)
	slices.Sort(documented)
	if !slices.Equal(routed, documented) {
		t.Errorf("routes and document differ:\nrouted:     %v\ndocumented: %v", routed, documented)
	}
	// Every documented operation answers with something other than 404
	// or 405: it is routed through the mux, not only listed.
	for _, op := range documented {
		method, path, _ := strings.Cut(op, " ")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed {
			t.Errorf("%s: %d", op, rec.Code)
		}
	}
	// And a method the document does not list for a path is 405.
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/lint", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET /v1/lint: %d, Allow %q; want 405, Allow POST", rec.Code, rec.Header().Get("Allow"))
	}
}

var (
	schemaOnce  sync.Once
	schemaComp  *jsonschema.Compiler
	schemaError error
)

// responseSchema compiles the schema the document gives for a response.
func responseSchema(t *testing.T, path, method string, status int, media string) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPI))
		if err != nil {
			schemaError = err
			return
		}
		schemaComp = jsonschema.NewCompiler()
		schemaError = schemaComp.AddResource("openapi.json", v)
	})
	if schemaError != nil {
		t.Fatalf("openapi.json: %v", schemaError)
	}
	ptr := "/paths/" + escapePointer(path) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(status) + "/content/" + escapePointer(media) + "/schema"
	sch, err := schemaComp.Compile("openapi.json#" + ptr)
	if err != nil {
		t.Fatalf("%s %s: the document has no schema for %d %s: %v", method, path, status, media, err)
	}
	return sch
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// checkResponse validates a response against the document: its status
// and content type are documented for the operation, and a JSON body
// validates against the schema.
func checkResponse(t *testing.T, method, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	doc := loadOpenAPI(t)
	op, ok := doc.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("%s %s is not in the document", method, path)
	}
	resp, ok := op.Responses[strconv.Itoa(rec.Code)]
	if !ok {
		t.Fatalf("%s %s: status %d is not documented (documented: %v)", method, path, rec.Code, slices.Sorted(maps.Keys(op.Responses)))
	}
	media, _, err := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	if err != nil {
		t.Fatalf("%s %s: Content-Type %q: %v", method, path, rec.Header().Get("Content-Type"), err)
	}
	if _, ok := resp.Content[media]; !ok {
		t.Fatalf("%s %s: %d %s is not documented (documented: %v)", method, path, rec.Code, media, slices.Sorted(maps.Keys(resp.Content)))
	}
	if media != "application/json" && !strings.HasSuffix(media, "+json") {
		return
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", method, path, err)
	}
	if err := responseSchema(t, path, method, rec.Code, media).Validate(v); err != nil {
		t.Errorf("%s %s: %d body does not validate against the document: %v", method, path, rec.Code, fmt.Sprint(err))
	}
}

// TestOpenAPISchemaCatchesDrift proves checkResponse fails on a body the
// document does not describe, so that a passing handler test means
// something.
func TestOpenAPISchemaCatchesDrift(t *testing.T) {
	sch := responseSchema(t, "/v1/version", "GET", 200, "application/json")
	v, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"x","go":"go1","schema":"s","extra":1}`))
	if sch.Validate(v) == nil {
		t.Error("a Version with an undocumented member validated")
	}
	sch = responseSchema(t, "/v1/lint", "POST", 200, "application/json")
	v, _ = jsonschema.UnmarshalJSON(strings.NewReader(`{"schema":"iotcert.lint.v1","profile":"p","certificates":[],"summary":{"certificates":0,"clean":0,"findings":{"fatal":0,"error":0,"warn":0,"notice":0},"worst":""}}`))
	if sch.Validate(v) == nil {
		t.Error("a report without a verdict validated")
	}
}
