package main

import (
	"crypto/x509/pkix"
	"os"
	"path/filepath"
	"testing"

	"github.com/iotcert/iotcert/internal/softhsm"
	"github.com/iotcert/iotcert/ldevid"
)

// TestESTPKCS11 runs "iotcert est" with the CA keys in a SoftHSM2 token
// (--kms): the LDevID CA's key is opened there, once, and signs.
func TestESTPKCS11(t *testing.T) {
	tok := softhsm.New(t, "iotcert-est")
	dir := t.TempDir()
	e := &estEnv{bin: estBinary(t), dir: dir, spec: filepath.Join(dir, "est.yaml"), pki: filepath.Join(dir, "pki"), db: filepath.Join(dir, "inventory.db")}
	os.WriteFile(e.spec, ldevid.ExampleSpec("est"), 0o644)
	kms := tok.URIWithPINSource()
	e.mustRun(t, "gen", "hierarchy", e.spec, "--out", e.pki, "--kms", kms)
	os.WriteFile(filepath.Join(dir, "ids.csv"), []byte("id,serial\nd000,SN0000\n"), 0o644)
	e.mustRun(t, "gen", "devices", e.spec, "--out", e.pki, "--device", "idevid", "--from", filepath.Join(dir, "ids.csv"), "--kms", kms)
	if _, err := os.Stat(filepath.Join(e.pki, "ldevid-ca", "key.ref")); err != nil {
		t.Fatalf("the LDevID CA's key is not in the token: %v", err)
	}
	e.srvCert, e.srvKey = writeServerCert(t, dir)
	s := e.start(t, "--kms", kms)
	idev, key := e.device(t, 0)
	csr, _ := newCSR(t, pkix.Name{})
	ldev := e.client(t, s, idev, key).certs(t, "simpleenroll", csr)[0]
	cas := e.client(t, s, nil, nil).certs(t, "cacerts", nil)
	if err := ldev.CheckSignatureFrom(cas[0]); err != nil || ldev.Subject.SerialNumber != "SN0000" {
		t.Fatalf("LDevID %s: %v", ldev.Subject, err)
	}
}
