package profile_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log"
	"math/big"
	"os"
	"time"

	"github.com/iotcert/iotcert/profile"
)

// The three lines a CA needs: load a profile, lint a certificate, read the
// findings.
func ExampleProfile_LintDER() {
	p, err := profile.Default("tls13-iot")
	if err != nil {
		log.Fatal(err)
	}
	data, err := os.ReadFile("../testdata/certs/tls13-iot/ee.pem")
	if err != nil {
		log.Fatal(err)
	}
	block, _ := pem.Decode(data)

	res := p.LintDER(block.Bytes)
	fmt.Printf("%s: %d findings\n", res.Role, len(res.Findings))
	// Output: end-entity: 0 findings
}

// Lint a certificate before it is signed: the template is signed with a
// throwaway key under a copy of the issuer, linted, and only then signed
// for real. Matches proves that what was signed is what was linted.
func ExampleProfile_LintTemplate() {
	p, err := profile.Default("tls13-iot")
	if err != nil {
		log.Fatal(err)
	}
	// The issuing CA: in real life, loaded from its certificate file and key store.
	issuerKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Device CA", Organization: []string{"Example"}, Country: []string{"DE"}},
		NotBefore: time.Now(), NotAfter: time.Now().AddDate(10, 0, 0),
		BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, issuerKey.Public(), issuerKey)
	issuer, _ := x509.ParseCertificate(caDER)
	deviceKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	template := &x509.Certificate{
		SerialNumber: new(big.Int).Lsh(big.NewInt(1), 100), // use a random serial in real life
		Subject:      pkix.Name{CommonName: "sensor 42", Organization: []string{"Example"}, SerialNumber: "SN42"},
		NotBefore:    time.Now(), NotAfter: time.Now().AddDate(2, 0, 0),
		DNSNames: []string{"sensor-42.example.com"},
		// No KeyUsage: the IoT profile requires a critical digitalSignature.
	}

	pre, err := p.LintTemplate(template, issuer, deviceKey.Public())
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range pre.Result.Findings {
		fmt.Println(f.Level, f.Lint)
	}
	if pre.Result.Worst() >= profile.Error {
		fmt.Println("refused: not signed")
		return
	}
	der, _ := x509.CreateCertificate(rand.Reader, template, issuer, deviceKey.Public(), issuerKey)
	if err := pre.Matches(der); err != nil {
		log.Fatal(err)
	}
	// Output:
	// error e_iot_ee_ku_critical
	// refused: not signed
}

// A user's rules file extends the built-in profiles: here a fleet profile
// that allows P-256 only and makes the LDevID lifetime limit an error.
func ExampleLoad() {
	rules, err := profile.Load(profile.RulesFile{Name: "fleet.yaml", Data: []byte(`
profiles:
  our-fleet:
    extends: ldevid-8021ar
    rules:
      w_iot_ldevid_lifetime_limited: {severity: error, params: {max_days: 398}}
      e_iot_all_spki_curve: {params: {curves: [P-256]}}
`)})
	if err != nil {
		log.Fatal(err)
	}
	p, _ := rules.Profile("our-fleet")
	for _, l := range p.Lints() {
		if l.Name == "w_iot_ldevid_lifetime_limited" {
			fmt.Println(l.Name, "reports at level", l.Level)
		}
	}
	// Output: w_iot_ldevid_lifetime_limited reports at level error
}

// Rules files are checked strictly: a typo is an error naming file and line.
func ExampleLoad_typo() {
	_, err := profile.Load(profile.RulesFile{Name: "fleet.yaml", Data: []byte(`
profiles:
  our-fleet:
    extends: tls13-iot
    rules:
      e_iot_ee_ku_critcal: {severity: warn}
`)})
	fmt.Println(err)
	// Output: fleet.yaml: line 6: profile "our-fleet": unknown lint "e_iot_ee_ku_critcal" (did you mean "e_iot_ee_ku_critical"?)
}
