package batch

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/softhsm"
	"github.com/iotcert/iotcert/internal/tokentest"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// pkcs11Spec is batchSpec with a P-384 root, so that both curves a token
// makes are used, and DNS names made from the id (exampleRows have no
// host column).
var pkcs11Spec = strings.NewReplacer("validity: 20y}", "validity: 20y, curve: P-384}", "{{.host}}", "sensor-{{.id}}").Replace(batchSpec)

// TestPKCS11BatchJSONL issues a jsonl batch whose device keys are made in
// a SoftHSM2 token: each record has the key's reference as key_ref (no
// key), which opens the key whose public half the certificate holds.
func TestPKCS11BatchJSONL(t *testing.T) {
	tok := softhsm.New(t, "iotcert-jsonl")
	token := tokentest.Open(t, tok.URIWithPINSource())
	s, err := ldevid.LoadSpec("spec.yaml", []byte(pkcs11Spec))
	if err != nil {
		t.Fatal(err)
	}
	h, err := ldevid.New(s, ldevid.WithKeys(token))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	sum, err := Issue(h, out, "sensor", batchRows(3, nil), Options{Layout: store.LayoutJSONL})
	if err != nil || sum.Issued != 3 {
		t.Fatalf("summary %+v, %v", sum, err)
	}
	lines := jsonlLines(t, out)
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, `{"id":"dev-00`) || !strings.Contains(l, `","key_ref":"pkcs11:`) || strings.Contains(l, `"key":`) || strings.Contains(l, "PRIVATE KEY") {
			t.Errorf("record %.120s...", l)
		}
		var rec store.DeviceRecord
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode([]byte(rec.Cert))
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		signer, err := token.Open(rec.KeyRef)
		if err != nil {
			t.Fatalf("%s: key_ref %q: %v", rec.ID, rec.KeyRef, err)
		}
		if !keys.SamePublicKey(c.PublicKey, signer.Public()) {
			t.Errorf("%s: key_ref does not name the certificate's key", rec.ID)
		}
	}
}
