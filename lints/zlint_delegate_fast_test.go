package lints

import (
	"bytes"
	"testing"

	"github.com/zmap/zlint/v3/lint"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/iotcert/iotcert/certio"
)

// TestDelegateFastPaths checks every delegate with a fast path against
// running its zlint lints: on certificates with validity times and serial
// numbers of many encodings, the result must be the same, status and
// details, whether the fast path is taken or not. It also checks that the
// fast path is taken, and that the inputs make the zlint lints fail too.
func TestDelegateFastPaths(t *testing.T) {
	type timeEnc struct {
		tag cbasn1.Tag
		s   string
	}
	times := []timeEnc{
		{cbasn1.UTCTime, "250102030405Z"},
		{cbasn1.UTCTime, "2501020304Z"},
		{cbasn1.UTCTime, "250102030405+0100"},
		{cbasn1.UTCTime, "2501020304-0100"},
		{cbasn1.UTCTime, "250102030405"},
		{cbasn1.UTCTime, "491231235959Z"},
		{cbasn1.UTCTime, "500101000000Z"},
		{cbasn1.GeneralizedTime, "20250102030405Z"},
		{cbasn1.GeneralizedTime, "202501020304Z"},
		{cbasn1.GeneralizedTime, "20250102030405.5Z"},
		{cbasn1.GeneralizedTime, "20250102030405+0100"},
		{cbasn1.GeneralizedTime, "20250102030405"},
		{cbasn1.GeneralizedTime, "99991231235959Z"},
		{cbasn1.GeneralizedTime, "19980101000000Z"},
		{cbasn1.GeneralizedTime, "Z"},
		{cbasn1.GeneralizedTime, ""},
		{cbasn1.OCTET_STRING, "20250102030405Z"},
	}
	serials := [][]byte{
		{0x00},
		{0x01},
		{0xff}, // negative
		bytes.Repeat([]byte{0x7f}, 20),
		append([]byte{0x00}, bytes.Repeat([]byte{0x80}, 19)...),
		append([]byte{0x00}, bytes.Repeat([]byte{0x80}, 20)...), // 21 octets
		bytes.Repeat([]byte{0x7f}, 21),
		append([]byte{0x80}, bytes.Repeat([]byte{0x00}, 20)...), // negative, 21 octets
	}
	var delegates []*lint.CertificateLint
	for _, l := range lint.GlobalRegistry().CertificateLints().Lints() {
		if g, ok := l.Lint().(*roleGate); ok {
			if d, ok := g.inner.(*delegateLint); ok && d.passes != nil {
				delegates = append(delegates, l)
			}
		}
	}
	if len(delegates) < 2 {
		t.Fatalf("%d delegates with a fast path; want e_iot_all_time_zulu_seconds and e_iot_all_serial_max_20_octets at least", len(delegates))
	}
	fast, failing := map[string]int{}, map[string]int{}
	for _, file := range []string{"tls13-iot/ee.pem", "tls13-iot/sub.pem", "bacnet-sc/ee.pem", "idevid-8021ar/ee.pem"} {
		base := loadCert(t, file)
		for _, nb := range times {
			for _, na := range times {
				for _, serial := range serials {
					der := withValidityAndSerial(t, base.Raw, serial, nb.tag, nb.s, na.tag, na.s)
					c, err := certio.Parse(der)
					if err != nil {
						continue
					}
					for _, l := range delegates {
						d := l.Lint().(*roleGate).inner.(*delegateLint)
						slow := *d
						slow.passes = nil
						got, want := d.Execute(c), slow.Execute(c)
						if got.Status != want.Status || got.Details != want.Details {
							t.Errorf("%s on %s with validity %v..%v, serial %x: fast path %s %q, zlint %s %q",
								l.Name, file, nb, na, serial, got.Status, got.Details, want.Status, want.Details)
						}
						if d.passes(c) {
							fast[l.Name]++
						}
						if want.Status > lint.Pass {
							failing[l.Name]++
						}
					}
				}
			}
		}
	}
	for _, l := range delegates {
		if fast[l.Name] == 0 || failing[l.Name] == 0 {
			t.Errorf("%s: fast path taken %d times, zlint failures %d; the inputs do not exercise it", l.Name, fast[l.Name], failing[l.Name])
		}
	}
}

// withValidityAndSerial returns the certificate der with its serial
// number content and its validity times replaced.
func withValidityAndSerial(t *testing.T, der, serial []byte, nbTag cbasn1.Tag, nb string, naTag cbasn1.Tag, na string) []byte {
	t.Helper()
	in := cryptobyte.String(der)
	var cert, tbs, version, sigAlg, issuer, tbsSigAlg, sig cryptobyte.String
	var hasVersion bool
	if !in.ReadASN1(&cert, cbasn1.SEQUENCE) ||
		!cert.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!cert.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE) ||
		!cert.ReadASN1Element(&sig, cbasn1.BIT_STRING) ||
		!tbs.ReadOptionalASN1(&version, &hasVersion, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!tbs.SkipASN1(cbasn1.INTEGER) ||
		!tbs.ReadASN1Element(&tbsSigAlg, cbasn1.SEQUENCE) ||
		!tbs.ReadASN1Element(&issuer, cbasn1.SEQUENCE) ||
		!tbs.SkipASN1(cbasn1.SEQUENCE) {
		t.Fatal("cannot take the certificate apart")
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			if hasVersion {
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(version) })
			}
			b.AddASN1(cbasn1.INTEGER, func(b *cryptobyte.Builder) { b.AddBytes(serial) })
			b.AddBytes(tbsSigAlg)
			b.AddBytes(issuer)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(nbTag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(nb)) })
				b.AddASN1(naTag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(na)) })
			})
			b.AddBytes(tbs) // subject and the rest
		})
		b.AddBytes(sigAlg)
		b.AddBytes(sig)
	})
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDelegateIgnoresEffectiveDate checks that a delegate judges a
// backdated certificate: zlint's e_serial_number_longer_than_20_octets
// takes effect with RFC 3280 (2002), and a device certificate with
// notBefore 2000-01-01 must not escape it as NE.
func TestDelegateIgnoresEffectiveDate(t *testing.T) {
	base := loadCert(t, "tls13-iot/ee.pem")
	der := withValidityAndSerial(t, base.Raw, bytes.Repeat([]byte{0x41}, 21), cbasn1.UTCTime, "000101000000Z", cbasn1.UTCTime, "350101000000Z")
	c, err := certio.Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	if zl := lint.GlobalRegistry().CertificateLints().ByName("e_serial_number_longer_than_20_octets"); zl.CheckEffective(c) {
		t.Fatal("the backdated certificate is within zlint's effective date; the test proves nothing")
	}
	if got := runLint(t, "e_iot_all_serial_max_20_octets", c, nil); got.Status != lint.Error {
		t.Errorf("e_iot_all_serial_max_20_octets on a backdated 21-octet serial: got %s (%q), want error", got.Status, got.Details)
	}
}
