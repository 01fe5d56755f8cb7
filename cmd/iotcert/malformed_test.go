package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/profile"
)

const malformed = "../../testdata/malformed"

// TestLintMalformedCorpus lints testdata/malformed (made by
// internal/genmalformed) together with a good certificate, and checks for
// every file the certificates it must yield or the located errors it must
// give, that the run ends with exit status 2, and that the good
// certificate is still judged.
func TestLintMalformedCorpus(t *testing.T) {
	pw := writeFile(t, "pw", []byte("iotcert-test\n"))
	// A whole chain, so that the good device certificate has its issuers
	// and no chain finding.
	good := filepath.Join(certs, "tls13-iot", "chain.pem")
	code, out, errOut := iotcert(t, "", "lint", "--format", "json", "--include", "*.pem,*.der,*.p7b,*.p12,*.bin",
		"--p12-password-file", pw, malformed, good)
	if code != exitUsage {
		t.Errorf("exit %d, want %d (input errors)", code, exitUsage)
	}
	var rep profile.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, out)
	}
	// Each entry: "ok" for a certificate that was linted, or
	// "fatal@offset: message" for an input error at that byte.
	got := map[string][]string{}
	for _, c := range rep.Certificates {
		file := filepath.Base(c.Origin.File)
		if len(c.Findings) == 1 && c.Findings[0].Lint == profile.InputErrorLint {
			details := c.Findings[0].Details
			prefix := fmt.Sprintf("%s (certificate %d, byte %d): ", c.Origin.File, c.Origin.Index, c.Origin.Offset)
			if !strings.HasPrefix(details, prefix) {
				t.Errorf("%s: error not located: %q", file, details)
			}
			if !strings.Contains(errOut, details) {
				t.Errorf("%s: error not on stderr: %q", file, details)
			}
			got[file] = append(got[file], fmt.Sprintf("fatal@%d: %s", c.Origin.Offset, strings.TrimPrefix(details, prefix)))
			continue
		}
		if c.Subject == "" || c.Role == "unknown" {
			t.Errorf("%s: certificate entry without subject or role: %+v", file, c)
		}
		got[file] = append(got[file], "ok")
	}
	const wrongPassword = "PKCS#12: wrong password (give it with --p12-password-file or the IOTCERT_P12_PASSWORD environment variable)"
	want := map[string][]string{
		"bad-base64.pem":           {"fatal@0: malformed PEM block: bad BEGIN/END lines or base64 body", "ok"},
		"binary-garbage.bin":       {"fatal@0: not a certificate: neither PEM nor a complete DER element"},
		"empty.pem":                {"fatal@0: empty input: no certificate found"},
		"huge-length.der":          {"fatal@0: truncated or malformed DER: the SEQUENCE length runs past the end of input"},
		"inner-wrong-tag.der":      {"fatal@0: not a valid X.509 certificate: *"},
		"junk-between.pem":         {"ok", "ok"},
		"pkcs7-no-certs.p7b":       {"fatal@0: PKCS#7: the message holds no certificates"},
		"pkcs7-truncated-cert.p7b": {"ok", "fatal@404: PKCS#7: certificate 1 is truncated or malformed"},
		"trailing-garbage.der":     {"ok", "fatal@359: not a certificate: neither PEM nor a complete DER element"},
		"truncated.pem":            {"fatal@0: truncated PEM block: no END line before end of input"},
		"trust-store.p12":          {"ok", "ok"},
		"wrong-password.p12":       {"fatal@0: " + wrongPassword},
		"wrong-tag.der":            {"fatal@0: not a certificate: DER element has tag 0x31, want SEQUENCE"},
		"chain.pem":                {"ok", "ok", "ok"},
	}
	for file, w := range want {
		if !matchFindings(got[file], w) {
			t.Errorf("%s:\n got  %q\n want %q", file, got[file], w)
		}
	}
	for file := range got {
		if _, ok := want[file]; !ok {
			t.Errorf("unexpected input %s (README.md must be skipped by --include)", file)
		}
	}
	device := rep.Certificates[len(rep.Certificates)-3]
	if filepath.Base(device.Origin.File) != "chain.pem" || device.Role != "end-entity" || len(device.Findings) != 0 {
		t.Errorf("the good certificate's verdict is lost: %+v", device)
	}
}

// matchFindings reports whether got equals want, where a want entry ending
// in "*" matches any entry with that prefix: what follows is a dependency's
// own wording (the X.509 parser's), which these tests must not pin.
func matchFindings(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		if prefix, ok := strings.CutSuffix(w, "*"); ok {
			if !strings.HasPrefix(got[i], prefix) {
				return false
			}
		} else if got[i] != w {
			return false
		}
	}
	return true
}
