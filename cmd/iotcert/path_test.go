package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/profile"
)

// opensslPKI makes, with the openssl CLI, a root, a device CA and a
// device, a second root, and a device with an unknown critical extension,
// and returns their directory.
func opensslPKI(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is not installed; .ci/run installs it")
		}
		t.Skip("openssl is not installed")
	}
	dir := t.TempDir()
	script := `set -e
cat > ext.cnf <<'CNF'
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[sub]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[ee]
keyUsage=critical,digitalSignature
subjectAltName=DNS:sensor-1.devices.example.com
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[crit]
keyUsage=critical,digitalSignature
subjectAltName=DNS:sensor-9.devices.example.com
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
1.3.6.1.4.1.32473.99.1=critical,ASN1:NULL
CNF
for k in root other sub ee crit; do openssl ecparam -name prime256v1 -genkey -noout -out $k.key; done
openssl req -new -x509 -key root.key -subj "/C=DE/O=Example Devices Ltd/CN=OpenSSL Root" -days 3650 -sha256 -config ext.cnf -extensions root -out root.pem
openssl req -new -x509 -key other.key -subj "/C=DE/O=Example Devices Ltd/CN=Other Root" -days 3650 -sha256 -config ext.cnf -extensions root -out other.pem
openssl req -new -key sub.key -subj "/C=DE/O=Example Devices Ltd/CN=OpenSSL Device CA" -out sub.csr
openssl x509 -req -in sub.csr -CA root.pem -CAkey root.key -set_serial 0x4a0102030405060701 -days 1825 -sha256 -extfile ext.cnf -extensions sub -out sub.pem
for k in ee crit; do
  openssl req -new -key $k.key -subj "/O=Example Devices Ltd/serialNumber=SN-$k/CN=sensor $k" -out $k.csr
  openssl x509 -req -in $k.csr -CA sub.pem -CAkey sub.key -set_serial 0x4a01020304050607$RANDOM -days 365 -sha256 -extfile ext.cnf -extensions $k -out $k.pem
done
`
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	return dir
}

// lintJSON runs iotcert lint --format json at now with args and decodes
// the report.
func lintJSON(t *testing.T, args ...string) (int, profile.Report) {
	t.Helper()
	code, out, errOut := iotcert(t, "", append([]string{"lint", "--at", atNow(), "--format", "json"}, args...)...)
	var rep profile.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %v\n%s%s", args, err, out, errOut)
	}
	return code, rep
}

func lintNames(r profile.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Lint)
	}
	return out
}

// TestPathVerdictOpenSSL checks the path verdict on certificates made by
// openssl: the chain validates to its root as the --trust anchor, not to
// another anchor, and an unknown critical extension fails the device.
func TestPathVerdictOpenSSL(t *testing.T) {
	dir := opensslPKI(t)
	f := func(name string) string { return filepath.Join(dir, name) }

	code, rep := lintJSON(t, "--trust", f("root.pem"), f("sub.pem"), f("ee.pem"))
	if code != exitOK {
		t.Errorf("trusted root: exit %d, want 0: %+v", code, rep.Certificates)
	}
	ee := rep.Certificates[1]
	if p := ee.Path; p == nil || !p.Valid || p.Anchors != "trust" || len(p.Chain) != 2 ||
		p.Chain[0].Origin.File != f("sub.pem") || p.Chain[1].Origin.File != f("root.pem") || !p.Chain[1].Anchor {
		t.Errorf("trusted root: device path %+v, want sub.pem then the anchor root.pem", p)
	}

	code, rep = lintJSON(t, "--trust", f("other.pem"), f("root.pem"), f("sub.pem"), f("ee.pem"))
	if code != exitFindings {
		t.Errorf("other anchor: exit %d, want 1", code)
	}
	for _, r := range rep.Certificates {
		if got := lintNames(r); !strings.Contains(strings.Join(got, " "), "e_chain_no_valid_path") {
			t.Errorf("other anchor: %s: findings %v, want e_chain_no_valid_path", r.Origin.File, got)
		}
		if r.Path == nil || r.Path.Valid || !strings.Contains(r.Path.Reason, "is a self-signed root that is not a trust anchor") {
			t.Errorf("other anchor: %s: path %+v", r.Origin.File, r.Path)
		}
	}

	code, rep = lintJSON(t, "--profile", "pkix", "--trust", f("root.pem"), f("sub.pem"), f("crit.pem"))
	crit := rep.Certificates[1]
	if code != exitFindings || !strings.Contains(strings.Join(lintNames(crit), " "), "e_chain_unknown_critical_extension") {
		t.Errorf("unknown critical extension: exit %d, findings %v", code, lintNames(crit))
	}
}
