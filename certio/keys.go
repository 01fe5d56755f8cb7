package certio

import (
	"bytes"
	"crypto/x509"
	"io"
	"strings"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// This file skips the private keys and key references that travel with
// certificates (key.pem and key.ref files, keys in a PEM bundle, the keys
// of devices.jsonl): they are counted in Stats.PrivateKeys, never decoded
// beyond their PEM armour and never printed, and never an error.

// skipKey reports whether a PEM block of type typ is private key material
// that is skipped: a "PRIVATE KEY" block of any kind (PKCS#8, encrypted
// PKCS#8, "EC PRIVATE KEY", "RSA PRIVATE KEY" with or without legacy
// encryption headers, "OPENSSH PRIVATE KEY"), counted in the window's
// Stats, or the "EC PARAMETERS" block openssl writes before an EC key.
func (w *window) skipKey(typ string) bool {
	switch {
	case strings.HasSuffix(typ, "PRIVATE KEY"):
		w.keys++
		if w.stats != nil {
			w.stats.PrivateKeys++
		}
		return true
	case typ == "EC PARAMETERS":
		return true
	}
	return false
}

// newWindow returns a window over r that counts the private keys it
// skips in o.Stats.
func (o Options) newWindow(r io.Reader) *window {
	w := newWindow(r)
	w.stats = o.Stats
	return w
}

// windowOver returns a window that holds all of data, already read: the
// decoders then read an input that is in memory (DecodeWith) in place,
// without a 64 KiB buffer to allocate and fill (a tenth of the cost of
// linting one certificate posted to iotcert serve). The window never
// writes to data.
func (o Options) windowOver(data []byte) *window {
	return &window{data: data, hi: len(data), eof: true, stats: o.Stats}
}

// noCertificateBlock returns the message of a PEM input that held no
// certificate block and the blocks of types other, or "" when it held
// private keys (keys of them) and nothing else, which is not an error.
func noCertificateBlock(other []string, keys int) string {
	if len(other) == 0 && keys > 0 {
		return ""
	}
	msg := "no CERTIFICATE PEM block found"
	if len(other) > 0 {
		msg += " (only: " + strings.Join(other, ", ") + ")"
	}
	return msg
}

// maxKeyRef is the longest key reference file read as one.
const maxKeyRef = 4 << 10

// keyRefSchemes are the URI schemes of key references: PKCS#11 (RFC
// 7512) and the key managers of go.step.sm/crypto's kms package.
var keyRefSchemes = []string{"pkcs11:", "softkms:", "awskms:", "cloudkms:", "azurekms:", "yubikey:", "tpmkms:", "sshagentkms:", "capi:", "mackms:"}

// isKeyRef reports whether data is a key reference file (key.ref): one
// line holding a key URI, such as the pkcs11: URI "gen hierarchy --kms"
// writes beside a CA certificate for a key kept in a token.
func isKeyRef(data []byte) bool {
	ref := bytes.TrimSpace(data)
	if len(data) > maxKeyRef || bytes.ContainsAny(ref, "\r\n") {
		return false
	}
	for _, s := range keyRefSchemes {
		if bytes.HasPrefix(ref, []byte(s)) {
			return true
		}
	}
	return false
}

// maxDERKey is the largest DER input tried as a private key: a PKCS#1
// RSA key of 16384 bits takes under 10 KiB.
const maxDERKey = 16 << 10

// isDERPrivateKey reports whether data is one DER private key and nothing
// else: PKCS#8 (as "openssl pkey -outform DER" writes it), SEC1 EC or
// PKCS#1 RSA, as crypto/x509 parses them, or an encrypted PKCS#8 key
// (isEncryptedPKCS8, which is not decrypted). It is tried only on binary
// input that is neither PKCS#7 nor PKCS#12; the parsed key is dropped at
// once and never printed.
func isDERPrivateKey(data []byte) bool {
	if len(data) > maxDERKey || !looksLikeDER(data) {
		return false
	}
	if n, ok := derLength(data); !ok || n != int64(len(data)) {
		return false // x509 ignores trailing data after PKCS#8 and SEC1
	}
	if isEncryptedPKCS8(data) {
		return true
	}
	if _, err := x509.ParsePKCS8PrivateKey(data); err == nil {
		return true
	}
	if _, err := x509.ParseECPrivateKey(data); err == nil {
		return true
	}
	_, err := x509.ParsePKCS1PrivateKey(data)
	return err == nil
}

// The OID arcs of the password-based encryption schemes of an encrypted
// PKCS#8 key: PKCS#5 (1.2.840.113549.1.5: PBES1, PBES2) and PKCS#12
// (1.2.840.113549.1.12.1), in DER.
var (
	oidPKCS5PBE  = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05}
	oidPKCS12PBE = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01}
)

// isEncryptedPKCS8 reports whether data is an EncryptedPrivateKeyInfo
// (RFC 5958 §3), as "openssl pkcs8 -topk8 -outform DER" writes it, and
// nothing else: a SEQUENCE of an AlgorithmIdentifier whose OID is a
// PKCS#5 or PKCS#12 password-based scheme and an OCTET STRING.
func isEncryptedPKCS8(data []byte) bool {
	s := cryptobyte.String(data)
	var info, alg, oid, encrypted cryptobyte.String
	if !s.ReadASN1(&info, cbasn1.SEQUENCE) || !s.Empty() ||
		!info.ReadASN1(&alg, cbasn1.SEQUENCE) ||
		!info.ReadASN1(&encrypted, cbasn1.OCTET_STRING) || !info.Empty() ||
		!alg.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) {
		return false
	}
	return bytes.HasPrefix(oid, oidPKCS5PBE) && len(oid) > len(oidPKCS5PBE) ||
		bytes.HasPrefix(oid, oidPKCS12PBE) && len(oid) > len(oidPKCS12PBE)
}

// skipKeyRef counts a key reference file, or a DER private key, in
// o.Stats.
func (o Options) skipKeyRef() bool {
	if o.Stats != nil {
		o.Stats.PrivateKeys++
	}
	return true
}
