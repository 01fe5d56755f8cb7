package serve

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"testing"
)

// BenchmarkLintOne is one POST /v1/lint of a single device certificate,
// in process: the server's cost per request without the network.
func BenchmarkLintOne(b *testing.B) {
	rules := newTestServer(&testing.T{}, Config{}).cfg.Rules
	s, err := New(Config{Rules: rules})
	if err != nil {
		b.Fatal(err)
	}
	body := readFile(&testing.T{}, filepath.Join(certs, "tls13-iot/ee.pem"))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/lint", bytes.NewReader(body)))
			if rec.Code != 200 {
				b.Fatal(rec.Code)
			}
		}
	})
}
