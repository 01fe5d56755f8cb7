// Command genmalformed writes testdata/malformed: inputs that are broken
// in the ways certificate files break in the field (truncated, wrong ASN.1
// tags, huge lengths, junk, wrong PKCS#12 passwords, ...), together with a
// README that says what each one is and what iotcert must make of it.
//
// The output is deterministic: the certificates are signed with Ed25519
// keys made from fixed seeds, and PKCS#12 salts come from a seeded
// generator, so that a run over an up-to-date corpus changes nothing.
// Run it with "go generate ./..." from the module root.
package main

//go:generate go run . -out ../../testdata/malformed

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// StorePassword opens trust-store.p12; wrong-password.p12 is locked with
// another one.
const StorePassword = "iotcert-test"

// File is one input of the corpus.
type File struct {
	// Name is the file name.
	Name string
	// Is says in words what the file is and what iotcert must make of it.
	Is string
	// Data is the content.
	Data []byte
}

func main() {
	out := flag.String("out", "testdata/malformed", "output `DIR`")
	flag.Parse()
	files, err := Corpus()
	if err != nil {
		fmt.Fprintln(os.Stderr, "genmalformed:", err)
		os.Exit(1)
	}
	if err := Write(*out, files); err != nil {
		fmt.Fprintln(os.Stderr, "genmalformed:", err)
		os.Exit(1)
	}
}

// Write replaces the contents of dir with files and a README.md listing
// them.
func Write(dir string, files []File) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "README.md"), Readme(files), 0o644)
}

// Readme describes the corpus. It is read by people, and skipped by the
// tests that lint the directory (they pass --include).
func Readme(files []File) []byte {
	var b bytes.Buffer
	b.WriteString("# Malformed inputs\n\nMade by `go run ./internal/genmalformed` (`go generate ./...`); do not edit.\n")
	b.WriteString("`cmd/iotcert` lints this directory with a good certificate and checks that each file gives\n")
	b.WriteString("its certificates or a located error (file, index, byte offset), and that nothing hides the good certificate's verdict.\n")
	fmt.Fprintf(&b, "`trust-store.p12` opens with the password `%s`.\n\n| file | what it is |\n|---|---|\n", StorePassword)
	for _, f := range files {
		fmt.Fprintf(&b, "| `%s` | %s |\n", f.Name, f.Is)
	}
	return b.Bytes()
}

// Corpus returns the malformed inputs.
func Corpus() ([]File, error) {
	root, sub, err := certificates()
	if err != nil {
		return nil, err
	}
	rootPEM, subPEM := pemCert(root.Raw), pemCert(sub.Raw)
	rng := rand.New(rand.NewChaCha8([32]byte{'i', 'o', 't', 'c', 'e', 'r', 't'}))
	garbage := make([]byte, 512)
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	garbage[0] = 0xff // not a PEM, base64 or DER start

	wrongTag := bytes.Clone(root.Raw)
	wrongTag[0] = 0x31 // SET instead of SEQUENCE
	innerTag := bytes.Clone(root.Raw)
	innerTag[4] = 0x04 // the TBSCertificate SEQUENCE becomes an OCTET STRING
	badBase64 := bytes.Replace(rootPEM, []byte("\n"), []byte("\n*"), 3)

	salt := rand.NewChaCha8([32]byte{'p', '1', '2'})
	store, err := pkcs12.Modern.WithRand(salt).EncodeTrustStore([]*x509.Certificate{root, sub}, StorePassword)
	if err != nil {
		return nil, err
	}
	locked, err := pkcs12.Modern.WithRand(salt).EncodeTrustStore([]*x509.Certificate{root}, "not-the-password-you-have")
	if err != nil {
		return nil, err
	}
	emptyP7, err := certsOnly()
	if err != nil {
		return nil, err
	}
	truncCertP7, err := certsOnly(root.Raw, sub.Raw[:len(sub.Raw)-7])
	if err != nil {
		return nil, err
	}

	return []File{
		{"bad-base64.pem", "a PEM block whose body is not base64, then a good one: an error at byte 0, then the good certificate", append(badBase64, subPEM...)},
		{"binary-garbage.bin", "512 random bytes: an error at byte 0", garbage},
		{"empty.pem", "an empty file: an error at byte 0", nil},
		{"huge-length.der", "a SEQUENCE whose length field claims 2 GiB: an error at byte 0", append([]byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff}, root.Raw[4:40]...)},
		{"inner-wrong-tag.der", "a certificate whose TBSCertificate has the OCTET STRING tag: read as one element, then refused by the parser at byte 0", innerTag},
		{"junk-between.pem", "text and binary junk before, between and after two PEM certificates: both certificates, no error", bytes.Join([][]byte{[]byte("subject=/CN=Example IoT Root CA\n"), rootPEM, []byte("\x00\xff binary junk \x01\n-----\n"), subPEM, []byte("trailing notes\n")}, nil)},
		{"pkcs7-no-certs.p7b", "a PKCS#7 certs-only message with no certificates: an error at byte 0", emptyP7},
		{"pkcs7-truncated-cert.p7b", "a PKCS#7 message whose second certificate is cut short: the first certificate, then an error", truncCertP7},
		{"trailing-garbage.der", "a DER certificate followed by text: the certificate, then an error at its end", append(bytes.Clone(root.Raw), []byte("GARBAGE AFTER THE CERTIFICATE\n")...)},
		{"truncated.pem", "a PEM certificate cut in the middle: an error at byte 0", rootPEM[:len(rootPEM)/2]},
		{"trust-store.p12", "a PKCS#12 trust store (PBES2, AES-256) with two certificates, password " + StorePassword + ": both certificates", store},
		{"wrong-password.p12", "a PKCS#12 store locked with another password: an error at byte 0", locked},
		{"wrong-tag.der", "a certificate whose outer tag is SET, not SEQUENCE: an error at byte 0", wrongTag},
	}, nil
}

// certificates returns a root and a subordinate CA certificate, signed
// with Ed25519 keys from fixed seeds (Ed25519 signatures are
// deterministic).
func certificates() (root, sub *x509.Certificate, err error) {
	rootKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	subKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, ed25519.SeedSize))
	epoch := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ca := func(serial int64, cn string) *x509.Certificate {
		return &x509.Certificate{
			SerialNumber:          big.NewInt(serial),
			Subject:               pkix.Name{CommonName: cn, Organization: []string{"Example IoT"}},
			NotBefore:             epoch,
			NotAfter:              epoch.AddDate(20, 0, 0),
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
			BasicConstraintsValid: true,
			IsCA:                  true,
		}
	}
	rootT := ca(1, "Malformed Corpus Root CA")
	der, err := x509.CreateCertificate(nil, rootT, rootT, rootKey.Public(), rootKey)
	if err != nil {
		return nil, nil, err
	}
	if root, err = x509.ParseCertificate(der); err != nil {
		return nil, nil, err
	}
	der, err = x509.CreateCertificate(nil, ca(2, "Malformed Corpus Sub CA"), root, subKey.Public(), rootKey)
	if err != nil {
		return nil, nil, err
	}
	sub, err = x509.ParseCertificate(der)
	return root, sub, err
}

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// certsOnly builds a PKCS#7 SignedData "certs-only" message (RFC 5652
// §5.1) holding certs, with the certificates field present even when empty.
func certsOnly(certs ...[]byte) ([]byte, error) {
	sd, err := asn1.Marshal(struct {
		Version    int
		Digests    asn1.RawValue
		Encap      struct{ Type asn1.ObjectIdentifier }
		Certs      asn1.RawValue
		SignerInfo asn1.RawValue
	}{
		Version:    1,
		Digests:    asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
		Encap:      struct{ Type asn1.ObjectIdentifier }{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}},
		Certs:      asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: bytes.Join(certs, nil)},
		SignerInfo: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
	})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
}
