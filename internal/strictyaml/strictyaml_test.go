package strictyaml

import (
	"errors"
	"strings"
	"testing"
)

// TestParseDocumentTopValue: a document that is one value (a PEM key, a
// passphrase file given as a spec) is an error that gives the value's
// size, never the value; mappings and null documents are not.
func TestParseDocumentTopValue(t *testing.T) {
	const key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n"
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"PEM key", key, "line 1: expected a mapping, found a single value of 102 bytes (not shown: it may be a key or a password)"},
		{"passphrase after a comment", "# pass\nhunter2\n", "line 2: expected a mapping, found a single value of 7 bytes (not shown: it may be a key or a password)"},
		{"mapping", "cas:\n  root: {}\n", ""},
		{"null", "~\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			top, err := ParseDocument([]byte(tc.doc))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want || (err == nil) != (top != nil) {
				t.Errorf("ParseDocument: %v, %q; want %q", top, got, tc.want)
			}
			if strings.Contains(got, "hunter2") || strings.Contains(got, "MIGH") {
				t.Errorf("the error shows the value: %s", got)
			}
		})
	}
	if _, err := ParseDocument([]byte("\n# only a comment\n")); !errors.Is(err, ErrEmpty) {
		t.Errorf("comment only: %v, want ErrEmpty", err)
	}
}
