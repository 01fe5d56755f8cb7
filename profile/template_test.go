package profile_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"reflect"
	"testing"

	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// TestLintTemplate lints templates of every role before signing, then
// signs them for real and checks that the real certificate is the one that
// was linted.
func TestLintTemplate(t *testing.T) {
	p, err := profile.Default("ldevid-8021ar")
	if err != nil {
		t.Fatal(err)
	}
	root, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		t.Fatal(err)
	}
	sub, err := certgen.Issue(certgen.SubTemplate(root))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		tmpl *certgen.Template
		role string
	}{
		{"root", certgen.RootTemplate(), "root"},
		{"sub", certgen.SubTemplate(root), "subordinate"},
		{"ldevid", certgen.EETemplate("ldevid-8021ar", sub), "ldevid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var issuer *x509.Certificate
			if tc.tmpl.Issuer != nil {
				issuer = tc.tmpl.Issuer.Cert
			}
			pre, err := p.LintTemplate(tc.tmpl.Certificate, issuer, tc.tmpl.Key.Public())
			if err != nil {
				t.Fatal(err)
			}
			if pre.Result.Role != tc.role || len(pre.Result.Findings) != 0 {
				t.Errorf("role %s findings %+v; want %s and none", pre.Result.Role, pre.Result.Findings, tc.role)
			}
			real, err := certgen.Issue(tc.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			if err := pre.Matches(real.DER()); err != nil {
				t.Errorf("real certificate: %v", err)
			}
			other, err := certgen.Issue(certgen.RootTemplate())
			if err != nil {
				t.Fatal(err)
			}
			if pre.Matches(other.DER()) == nil {
				t.Error("Matches accepted a different certificate")
			}
		})
	}
}

// TestLintTemplateFindsProblems checks that a template that breaks the
// profile is reported before anything is signed.
func TestLintTemplateFindsProblems(t *testing.T) {
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	root, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		t.Fatal(err)
	}
	tmpl := certgen.SubTemplate(root)
	tmpl.Subject.CommonName = ""
	tmpl.Subject.Organization = nil
	tmpl.Subject.Country = nil
	pre, err := p.LintTemplate(tmpl.Certificate, root.Cert, tmpl.Key.Public())
	if err != nil {
		t.Fatal(err)
	}
	if pre.Result.Worst() < profile.Error {
		t.Errorf("a CA with an empty subject passed: %+v", pre.Result.Findings)
	}
	if _, err := p.LintTemplate(&x509.Certificate{}, nil, nil); err == nil {
		t.Error("nil public key accepted")
	}
}

// TestLintTBS lints the TBSCertificates of signed certificates (an
// LDevID that passes, a CA that fails) and checks that the verdict is the
// one on the signed certificate, and that a TBSCertificate with an
// algorithm it has no placeholder for, or that is not DER, is an error.
func TestLintTBS(t *testing.T) {
	p, err := profile.Default("ldevid-8021ar")
	if err != nil {
		t.Fatal(err)
	}
	root, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		t.Fatal(err)
	}
	sub, err := certgen.Issue(certgen.SubTemplate(root))
	if err != nil {
		t.Fatal(err)
	}
	bad := certgen.SubTemplate(root)
	bad.Subject = pkix.Name{}
	for _, tmpl := range []*certgen.Template{certgen.EETemplate("ldevid-8021ar", sub), bad} {
		c, err := certgen.Issue(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		pre, err := p.LintTBS(c.Cert.RawTBSCertificate)
		if err != nil {
			t.Fatal(err)
		}
		want := p.LintDER(c.DER())
		if pre.Result.Role != want.Role || !reflect.DeepEqual(lintNames(pre.Result), lintNames(want)) {
			t.Errorf("%s: LintTBS %s %v, Lint %s %v", c.Cert.Subject, pre.Result.Role, lintNames(pre.Result), want.Role, lintNames(want))
		}
		if err := pre.Matches(c.DER()); err != nil {
			t.Error(err)
		}
		if refused := pre.Result.Worst() >= profile.Error; refused != (tmpl == bad) {
			t.Errorf("%s: error findings %v, want %v", c.Cert.Subject, refused, tmpl == bad)
		}
	}
	if _, err := p.LintTBS([]byte{0x30, 0x03, 0x02, 0x01, 0x01}); err == nil || err.Error() != "pre-issuance lint: malformed TBSCertificate" {
		t.Errorf("malformed TBS: %v", err)
	}
}

func lintNames(r profile.Result) []string {
	names := []string{}
	for _, f := range r.Findings {
		names = append(names, f.Level.String()+" "+f.Lint)
	}
	return names
}
