package certio_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
)

// wrongPassword is what items says of an error that wraps
// certio.ErrPKCS12Password.
const wrongPassword = "PKCS#12: wrong password [ErrPKCS12Password]"

// items decodes data with opts and describes each item as "ok@offset" (the
// certificate must be one of want, in order) or "err@offset: message".
func items(t *testing.T, data []byte, opts certio.Options, want ...[]byte) []string {
	t.Helper()
	var out []string
	certio.DecodeWith("in", data, opts, func(it certio.Item) bool {
		switch {
		case it.Err != nil && it.DER == nil:
			msg := "err@" + itoa(int(it.Origin.Offset)) + ": " + strings.TrimPrefix(it.Err.Error(), "in (certificate "+itoa(it.Origin.Index)+", byte "+itoa(int(it.Origin.Offset))+"): ")
			if errors.Is(it.Err, certio.ErrPKCS12Password) {
				msg += " [ErrPKCS12Password]"
			}
			out = append(out, msg)
		case it.Err == nil && it.DER != nil:
			n := len(out)
			if n >= len(want) || !bytes.Equal(it.DER, want[n]) {
				t.Errorf("certificate %d at %v is not the one stored", n, it.Origin)
			}
			if it.Origin.Index != n {
				t.Errorf("certificate %d has index %d", n, it.Origin.Index)
			}
			out = append(out, "ok@"+itoa(int(it.Origin.Offset)))
		default:
			t.Errorf("item at %v has both or neither of DER and Err", it.Origin)
		}
		return true
	})
	return out
}

func TestDecodePKCS12(t *testing.T) {
	root, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		t.Fatal(err)
	}
	sub, err := certgen.Issue(certgen.SubTemplate(root))
	if err != nil {
		t.Fatal(err)
	}
	ee, err := certgen.Issue(certgen.EETemplate("tls13-iot", sub))
	if err != nil {
		t.Fatal(err)
	}
	chain := []*x509.Certificate{root.Cert, sub.Cert}
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// A certificate Go's parsers refuse (a secp256k1 key) is stored by
	// its bytes alone and must come out unchanged.
	odd, err := certgen.Issue(certgen.RootTemplate(), func(tbs *certgen.TBS) { tbs.PublicKey.FullBytes = secp256k1SPKI(t) })
	if err != nil {
		t.Fatal(err)
	}
	clear := must(pkcs12.Passwordless.EncodeTrustStore([]*x509.Certificate{root.Cert, {Raw: odd.DER()}}, ""))
	// A SafeBag starts with its SEQUENCE header (30 82 LL LL here) and
	// the certBag identifier 1.2.840.113549.1.12.10.1.3.
	certBagID := []byte{0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03}
	bagAt := func(der []byte) string { return itoa(bytes.LastIndex(clear[:bytes.Index(clear, der)], certBagID) - 4) }
	modern := must(pkcs12.Modern.EncodeTrustStore(chain, "s3cret"))
	modernKey := must(pkcs12.Modern.Encode(ee.Key, ee.Cert, chain, "s3cret"))
	legacyTrust := must(pkcs12.LegacyRC2.EncodeTrustStore(chain, "s3cret"))
	legacyKey := must(pkcs12.LegacyDES.Encode(ee.Key, ee.Cert, chain, "s3cret"))
	// Iteration counts are bounded before any work: 65536 (02 03 01 00
	// 00) is patched to 8388607 in the MAC (the last INTEGER) or in the
	// safe's PBKDF2 parameters (the first).
	costly := must(pkcs12.Modern.WithIterations(65536).EncodeTrustStore(chain, "s3cret"))
	count, huge := []byte{0x02, 0x03, 0x01, 0x00, 0x00}, []byte{0x02, 0x03, 0x7f, 0xff, 0xff}
	costlyMAC, costlySafe := bytes.Clone(costly), bytes.Clone(costly)
	copy(costlyMAC[bytes.LastIndex(costly, count):], huge)
	copy(costlySafe[bytes.Index(costly, count):], huge)
	safeAt := "34" // the encrypted safe: PFX, authSafe, [0], OCTET STRING and SEQUENCE OF headers

	tests := []struct {
		name     string
		data     []byte
		password string
		certs    [][]byte
		want     []string
	}{
		{"trust store in clear, odd key kept", clear, "", [][]byte{root.DER(), odd.DER()}, []string{"ok@" + bagAt(root.DER()), "ok@" + bagAt(odd.DER())}},
		{"clear store, password given", clear, "x", nil, []string{"err@0: PKCS#12: the store has no MAC but a password was given; refusing to trust unauthenticated content"}},
		{"PBES2 trust store", modern, "s3cret", [][]byte{root.DER(), sub.DER()}, []string{"ok@" + safeAt, "ok@" + safeAt}},
		{"PBES2 trust store, wrong password", modern, "guess", nil, []string{"err@0: " + wrongPassword}},
		{"PBES2 trust store, no password", modern, "", nil, []string{"err@0: " + wrongPassword}},
		{"PBES2 key and certificates: key skipped", modernKey, "s3cret", [][]byte{ee.DER(), root.DER(), sub.DER()}, []string{"ok@" + safeAt, "ok@" + safeAt, "ok@" + safeAt}},
		{"legacy RC2 trust store (go-pkcs12)", legacyTrust, "s3cret", [][]byte{root.DER(), sub.DER()}, []string{"ok@0", "ok@0"}},
		{"legacy RC2 trust store, wrong password", legacyTrust, "guess", nil, []string{"err@0: " + wrongPassword}},
		{"legacy 3DES key and certificates (go-pkcs12)", legacyKey, "s3cret", [][]byte{ee.DER(), root.DER(), sub.DER()}, []string{"ok@0", "ok@0", "ok@0"}},
		{"trailing data", append(bytes.Clone(modern), "junk"...), "s3cret", [][]byte{root.DER(), sub.DER()}, []string{"ok@" + safeAt, "ok@" + safeAt, "err@" + itoa(len(modern)) + ": trailing data after the PKCS#12 store"}},
		{"MAC iteration count over the limit", costlyMAC, "s3cret", nil, []string{"err@0: PKCS#12: MAC iteration count 8388607 takes the store over iotcert's limit of 2000000 key-derivation rounds"}},
		{"tampered safe parameters fail the MAC", costlySafe, "s3cret", nil, []string{"err@0: " + wrongPassword}},
		{"corrupted MAC", append(bytes.Clone(modern[:len(modern)-30]), bytes.Repeat([]byte{0}, 30)...), "s3cret", nil, []string{"err@0: PKCS#12: malformed macData"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := items(t, tc.data, certio.Options{PKCS12Password: tc.password}, tc.certs...)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestDecodePKCS12OpenSSL reads stores that openssl writes: without keys
// (no Java trust attribute, which go-pkcs12's DecodeTrustStore requires),
// with a key, and in the legacy format.
func TestDecodePKCS12OpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is not installed; .ci/run installs it")
		}
		t.Skip("openssl is not installed")
	}
	chain := filepath.Join("..", "testdata", "certs", "tls13-iot", "chain.pem")
	pemData, err := os.ReadFile(chain)
	if err != nil {
		t.Fatal(err)
	}
	var certs [][]byte
	certio.Decode("chain", pemData, func(it certio.Item) bool { certs = append(certs, it.DER); return true })
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	leaf := filepath.Join(dir, "leaf.pem")
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key)
	run("req", "-new", "-x509", "-key", key, "-subj", "/CN=leaf", "-days", "1", "-out", leaf)
	leafData, _ := os.ReadFile(leaf)
	var leafDER []byte
	certio.Decode("leaf", leafData, func(it certio.Item) bool { leafDER = it.DER; return true })

	tests := []struct {
		name  string
		args  []string
		certs [][]byte
	}{
		{"nokeys", []string{"-nokeys", "-in", chain}, certs},
		{"nokeys, certificates in clear", []string{"-nokeys", "-certpbe", "NONE", "-in", chain}, certs},
		{"key and certificates", []string{"-inkey", key, "-in", leaf, "-certfile", chain}, append([][]byte{leafDER}, certs...)},
		{"legacy key and certificates", []string{"-legacy", "-inkey", key, "-in", leaf, "-certfile", chain}, append([][]byte{leafDER}, certs...)},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, itoa(i)+".p12")
			run(append(append([]string{"pkcs12", "-export"}, tc.args...), "-out", out, "-passout", "pass:s3cret")...)
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got := items(t, data, certio.Options{PKCS12Password: "s3cret"}, tc.certs...)
			if len(got) != len(tc.certs) || strings.Contains(strings.Join(got, " "), "err") {
				t.Errorf("got %v, want %d certificates", got, len(tc.certs))
			}
			if got := items(t, data, certio.Options{PKCS12Password: "wrong"}); len(got) != 1 || got[0] != "err@0: "+wrongPassword {
				t.Errorf("wrong password: %v", got)
			}
		})
	}
}
