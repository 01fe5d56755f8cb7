package main

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGenMatter runs the Matter example end to end through the CLI: the
// PAA and PAI, a batch of DACs from a CSV whose pid column overrides the
// spec's default (one row with a lower-case PID, which the gate refuses),
// the issued chains linted clean with the matter profile and its chain
// checks, and verified with crypto/x509. A DAC issued by the PAA itself
// (no PAI) passes the gate, which lints one certificate, and is caught by
// the chain check e_matter_chain_shape: the chain checks do run.
func TestGenMatter(t *testing.T) {
	dir := t.TempDir()
	code, example, errOut := iotcert(t, "", "gen", "example", "matter")
	if code != exitOK || !strings.Contains(example, "1.3.6.1.4.1.37244.2.2=") {
		t.Fatalf("gen example matter: exit %d\n%s", code, errOut)
	}
	example += `
  dac-on-paa:                    # not a Matter chain: no PAI
    kind: idevid
    ca: paa
    validity: forever
    subject_key_id: true
    basic_constraints: true
    subject: "CN=Orphan DAC {{.id}}, 1.3.6.1.4.1.37244.2.1=FFF1, 1.3.6.1.4.1.37244.2.2=8000"
`
	spec := writeFile(t, "matter.yaml", []byte(example))
	pki := filepath.Join(dir, "pki")
	code, out, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki)
	if code != exitOK || !strings.Contains(out, "paa\t") || !strings.Contains(out, "pai\t") {
		t.Fatalf("gen hierarchy: exit %d\n%s%s", code, out, errOut)
	}
	csv := writeFile(t, "dacs.csv", []byte("id,pid\n0001,8000\n0002,8001\n0003,800a\n0004,ABCD\n"))
	code, out, errOut = iotcert(t, "", "gen", "devices", spec, "--out", pki, "--ca", "pai", "--from", csv)
	if code != exitFindings || out != "4 devices: 3 issued, 1 refused, 0 done before\n" {
		t.Errorf("gen devices: exit %d\n%s%s", code, out, errOut)
	}
	wantErr := "iotcert gen devices: " + csv + ": line 4: refused to sign device \"0003\" (profile matter):\n" +
		"  error e_matter_vidpid_oid_format: Matter product ID attribute \"800a\" is not exactly 4 upper-case hexadecimal digits\n"
	if errOut != wantErr {
		t.Errorf("gen devices stderr\n%q\nwant\n%q", errOut, wantErr)
	}
	if _, err := os.Stat(filepath.Join(pki, "devices", "0003")); !os.IsNotExist(err) {
		t.Errorf("refused device 0003 was written: %v", err)
	}
	// --set gives the fields of a single device.
	if code, out, errOut := iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "pai", "--id", "0005", "--set", "pid=8005"); code != exitOK {
		t.Fatalf("gen device: exit %d\n%s%s", code, out, errOut)
	}

	// A VID other than the PAI's is refused too.
	code, _, errOut = iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "pai", "--id", "0006", "--set", "vid=FFF2")
	if want := "iotcert gen device: refused to sign device \"0006\" (profile matter):\n  error e_matter_subject_issuer_vid: the subject's vendor ID \"FFF2\" differs from the issuer's \"FFF1\"\n"; code != exitFindings || errOut != want {
		t.Errorf("gen device with VID FFF2: exit %d\n%q\nwant\n%q", code, errOut, want)
	}

	// The DACs are judged now: they were issued now, after testNow.
	at := time.Now().Add(time.Minute).UTC().Format(time.RFC3339)
	paa := readPEMCert(t, filepath.Join(pki, "paa", "cert.pem"))
	roots := x509.NewCertPool()
	roots.AddCert(paa)
	for id, pid := range map[string]string{"0001": "8000", "0002": "8001", "0004": "ABCD", "0005": "8005"} {
		chain := filepath.Join(pki, "devices", id, "chain.pem")
		code, out, errOut := iotcert(t, "", "lint", "--profile", "matter", "--at", at, "--fail-on", "notice", chain)
		if code != exitOK || !strings.Contains(out, "3 certificate(s) linted with profile matter: 3 clean; findings: 0 fatal, 0 error, 0 warn, 0 notice") {
			t.Errorf("lint %s: exit %d\n%s%s", id, code, out, errOut)
		}
		certs := readPEMChain(t, chain)
		if len(certs) != 3 {
			t.Fatalf("%s: %d certificates, want DAC, PAI, PAA", chain, len(certs))
		}
		dac := certs[0]
		inter := x509.NewCertPool()
		inter.AddCert(certs[1])
		if _, err := dac.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: time.Now(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			t.Errorf("%s: %v", id, err)
		}
		want := "CN=Example Matter DAC " + id + ",1.3.6.1.4.1.37244.2.1=FFF1,1.3.6.1.4.1.37244.2.2=" + pid
		if got := matterSubject(t, dac); got != want {
			t.Errorf("%s: subject %s, want %s", id, got, want)
		}
		if len(dac.SubjectKeyId) != 20 || !dac.BasicConstraintsValid || dac.IsCA || dac.KeyUsage != x509.KeyUsageDigitalSignature || len(dac.Raw) > 600 {
			t.Errorf("%s: SKID %x, basicConstraints %v cA %v, keyUsage %d, %d octets", id, dac.SubjectKeyId, dac.BasicConstraintsValid, dac.IsCA, dac.KeyUsage, len(dac.Raw))
		}
	}

	code, out, errOut = iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "paa", "--id", "orphan")
	if code != exitOK {
		t.Fatalf("gen device under the PAA: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = iotcert(t, "", "lint", "--profile", "matter", "--at", at, "--format", "json", filepath.Join(pki, "devices", "orphan", "chain.pem"))
	if code != exitFindings || strings.Count(out, `"lint":`) != 1 || !strings.Contains(out, `"lint":"e_matter_chain_shape","level":"error"`) {
		t.Errorf("lint a DAC without PAI: exit %d\n%s", code, out)
	}
}

// readPEMChain reads every certificate of a PEM file.
func readPEMChain(t *testing.T, path string) []*x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			return certs
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		certs = append(certs, c)
	}
}

// matterSubject writes c's subject in template order with the Matter
// attributes' values as text, checking that they are UTF8Strings.
func matterSubject(t *testing.T, c *x509.Certificate) string {
	t.Helper()
	var parts []string
	for i := len(c.Subject.Names) - 1; i >= 0; i-- {
		n := c.Subject.Names[i]
		v, ok := n.Value.(string)
		if !ok {
			t.Fatalf("attribute %v: value %T", n.Type, n.Value)
		}
		k := n.Type.String()
		if k == "2.5.4.3" {
			k = "CN"
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ",")
}
