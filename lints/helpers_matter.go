package lints

// Helpers of the Matter device attestation lints (CSA Matter Core
// Specification §6.2.2, as enforced by the connectedhomeip SDK's
// src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat and
// src/crypto/CHIPCryptoPAL.cpp ExtractVIDPIDFromAttributeString).

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/matter"
)

// Matter DN attribute types and the legacy commonName prefixes, read with
// the one reader of package matter.
var (
	oidMatterVID = matter.OIDVendorID
	oidMatterPID = matter.OIDProductID
)

// matterKeyIDLength is the SDK's kSubjectKeyIdentifierLength and
// kAuthorityKeyIdentifierLength (src/crypto/CHIPCryptoPAL.h).
const matterKeyIDLength = 20

// matterHex4 reports whether s is exactly 4 upper-case hexadecimal digits
// (the SDK's UppercaseHexToUint16 over kVIDandPIDHexLength characters).
func matterHex4(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}

// attrString returns the string value of a DN attribute, or an error when
// it is not a string.
func attrString(a pkix.AttributeTypeAndValue) (string, error) {
	s, ok := a.Value.(string)
	if !ok {
		return "", fmt.Errorf("value is a %T, not a string", a.Value)
	}
	return s, nil
}

// countExtensions returns how many extensions of c have the given OID.
func countExtensions(c *x509.Certificate, oid asn1.ObjectIdentifier) int {
	n := 0
	for _, e := range c.Extensions {
		if e.Id.Equal(oid) {
			n++
		}
	}
	return n
}

// matterOnceCritical checks that the extension oid, called name, is present
// exactly once and marked critical.
func matterOnceCritical(c *x509.Certificate, oid asn1.ObjectIdentifier, name string) *lint.LintResult {
	switch n := countExtensions(c, oid); {
	case n == 0:
		return failf(lint.Error, "%s is absent", name)
	case n > 1:
		return failf(lint.Error, "%s appears %d times", name, n)
	}
	if !extension(c, oid).Critical {
		return failf(lint.Error, "%s is not marked critical", name)
	}
	return pass()
}

// basicConstraints decodes a basicConstraints extension value: cA, and
// pathLenConstraint (-1 when absent).
func basicConstraints(e *pkix.Extension) (ca bool, pathLen int, err error) {
	var bc struct {
		IsCA       bool `asn1:"optional"`
		MaxPathLen int  `asn1:"optional,default:-1"`
	}
	bc.MaxPathLen = -1
	rest, err := asn1.Unmarshal(e.Value, &bc)
	if err != nil {
		return false, 0, fmt.Errorf("basicConstraints does not decode: %v", err)
	}
	if len(rest) != 0 {
		return false, 0, errors.New("basicConstraints has trailing data")
	}
	return bc.IsCA, bc.MaxPathLen, nil
}

// keyUsageBits names the keyUsage bits of RFC 5280 §4.2.1.3 set in ku.
func keyUsageBits(ku x509.KeyUsage) string {
	names := []string{"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"}
	var set []string
	for i, n := range names {
		if ku&(1<<i) != 0 {
			set = append(set, n)
		}
	}
	if len(set) == 0 {
		return "no bits"
	}
	return strings.Join(set, ", ")
}

// matterKeyID checks one key identifier extension: present once (unless
// optional), not critical, and (for the AKID, its keyIdentifier) 20 octets.
func matterKeyID(c *x509.Certificate, oid asn1.ObjectIdentifier, name string) *lint.LintResult {
	switch n := countExtensions(c, oid); {
	case n == 0:
		return failf(lint.Error, "%s is absent", name)
	case n > 1:
		return failf(lint.Error, "%s appears %d times", name, n)
	}
	e := extension(c, oid)
	if e.Critical {
		return failf(lint.Error, "%s is marked critical", name)
	}
	var id []byte
	if oid.Equal(oidExtSubjectKeyID) {
		rest, err := asn1.Unmarshal(e.Value, &id)
		if err != nil || len(rest) != 0 {
			return failf(lint.Error, "%s is not a single OCTET STRING", name)
		}
	} else {
		var aki struct {
			KeyID asn1.RawValue `asn1:"optional,tag:0"`
		}
		rest, err := asn1.Unmarshal(e.Value, &aki)
		if err != nil || len(rest) != 0 {
			return failf(lint.Error, "%s does not decode", name)
		}
		if aki.KeyID.Tag != 0 || aki.KeyID.Class != asn1.ClassContextSpecific || len(aki.KeyID.FullBytes) == 0 {
			return failf(lint.Error, "%s has no keyIdentifier", name)
		}
		id = aki.KeyID.Bytes
	}
	if len(id) != matterKeyIDLength {
		return failf(lint.Error, "%s is %d octets long, not %d", name, len(id), matterKeyIDLength)
	}
	return pass()
}

// extensionName returns the name of the extension oid, or its dotted form.
func extensionName(oid asn1.ObjectIdentifier) string {
	return certio.ExtensionName(oid)
}
