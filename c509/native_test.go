package c509

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/hex"
	"errors"
	"regexp"
	"testing"
)

// draftIssuerKey returns the issuer key pair of the draft's RFC 7925
// example ("Additional Keys for the Example Certificates").
func draftIssuerKey(t *testing.T, v vector) *ecdsa.PrivateKey {
	t.Helper()
	m := regexp.MustCompile(`issuerPublicKey :\s*h'([0-9A-F]+)'[\s\S]*issuerPrivateKey :\s*h'([0-9A-F]+)'`).FindStringSubmatch(v.keys)
	if m == nil {
		t.Fatalf("issuer keys not found in %q", v.keys)
	}
	pubBytes, _ := hex.DecodeString(m[1])
	privBytes, _ := hex.DecodeString(m[2])
	ek, err := ecdh.P256().NewPrivateKey(privBytes)
	if err != nil {
		t.Fatal(err)
	}
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), pubBytes)
	if x == nil {
		t.Fatal("issuer public key does not decompress")
	}
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), ek.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if priv.X.Cmp(x) != 0 || priv.Y.Cmp(y) != 0 {
		t.Fatal("the draft's issuer private and public keys do not match")
	}
	return priv
}

// TestNativeDraftExample checks natively signed C509 against the draft's
// example: the draft's own natively signed certificate verifies with the
// issuer key it gives (so the signature is over the CBOR sequence
// TBSCertificate, as VerifyNative checks it), and SignNative, given the
// example's X.509 certificate and that key, makes the same TBSCertificate
// byte for byte with a signature that verifies. (ECDSA signatures are
// randomised, so the signatures themselves differ.)
func TestNativeDraftExample(t *testing.T) {
	v := readVectors(t)[0]
	if v.native == nil || len(v.native) != 140 {
		t.Fatalf("native example: %d bytes, want 140", len(v.native))
	}
	priv := draftIssuerKey(t, v)
	if err := VerifyNative(v.native, &priv.PublicKey); err != nil {
		t.Fatalf("the draft's natively signed example: %v", err)
	}
	got, err := SignNative(v.der, priv)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyNative(got, &priv.PublicKey); err != nil {
		t.Fatalf("SignNative's certificate: %v", err)
	}
	// The TBSCertificate is all but the last 66 bytes (58 40 and r || s).
	wantTBS := v.native[:len(v.native)-66]
	if len(got) != 1+len(v.native) || got[0] != 0x8b || !bytes.Equal(got[1:1+len(wantTBS)], wantTBS) {
		t.Errorf("TBSCertificate differs from the draft's at byte %d", firstDiff(got[1:], wantTBS))
	}
	// A changed byte does not verify; a type 3 certificate is not native.
	bad := bytes.Clone(got)
	bad[20] ^= 1
	if VerifyNative(bad, &priv.PublicKey) == nil {
		t.Error("a modified certificate verifies")
	}
	if VerifyNative(append([]byte{0x8b}, v.c509...), &priv.PublicKey) == nil {
		t.Error("a type 3 certificate verifies as native")
	}
}

// TestMatchesX509AndType: the draft's natively signed example has the
// content of the draft's X.509 example (its TBSCertificate is the one
// SignNative makes from it), not that of another example; Type tells the
// two kinds apart and refuses other input.
func TestMatchesX509AndType(t *testing.T) {
	vs := readVectors(t)
	v := vs[0]
	if err := MatchesX509(v.native, v.der); err != nil {
		t.Errorf("the draft's natively signed example against its X.509 example: %v", err)
	}
	if err := MatchesX509(v.native, vs[1].der); err == nil || err.Error() != "c509: certificateSerialNumber differs from the X.509 certificate's" {
		t.Errorf("against another example: %v", err)
	}
	bad := bytes.Clone(v.native)
	_, offsets, err := splitItems(bad, true)
	if err != nil {
		t.Fatal(err)
	}
	bad[offsets[10]-1] ^= 1 // the last byte of the extensions
	if err := MatchesX509(bad, v.der); err == nil || err.Error() != "c509: extensions differs from the X.509 certificate's" {
		t.Errorf("a changed extension: %v", err)
	}
	if err := MatchesX509(append([]byte{0x8b}, v.c509...), v.der); err == nil || err.Error() != "c509: not a natively signed certificate (type 3)" {
		t.Errorf("a type 3 certificate: %v", err)
	}
	for _, tc := range []struct {
		in   []byte
		want int64
	}{{v.native, TypeNative}, {append([]byte{0x8b}, v.native...), TypeNative}, {append([]byte{0x8b}, v.c509...), TypeReencoded}} {
		if got, err := Type(tc.in); err != nil || got != tc.want {
			t.Errorf("Type(% x...) = %d, %v; want %d", tc.in[:4], got, err, tc.want)
		}
	}
	wrongType := bytes.Clone(v.native)
	wrongType[0] = 0x01
	var se *SyntaxError
	if _, err := Type(wrongType); !errors.As(err, &se) || err.Error() != "c509: malformed c509CertificateType at byte 0: 1, want 2 or 3" {
		t.Errorf("type 1: %v", err)
	}
}
