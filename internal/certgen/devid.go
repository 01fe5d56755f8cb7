package certgen

import (
	"crypto/x509/pkix"
	"encoding/asn1"
)

// MASAURL is the RFC 8995 §2.3.2 MASA URI extension (id-pe-masa-url)
// holding uri as an IA5String.
func MASAURL(critical bool, uri string) pkix.Extension {
	value, err := asn1.MarshalWithParams(uri, "ia5")
	if err != nil {
		panic(err)
	}
	return pkix.Extension{Id: OIDExtMASAURL, Critical: critical, Value: value}
}

// CertificatePolicies is a non-critical certificatePolicies extension
// holding the given policy OIDs without qualifiers. (crypto/x509 writes
// template.Policies, not PolicyIdentifiers, since Go 1.24; this keeps the
// encoding independent of that.)
func CertificatePolicies(policies ...asn1.ObjectIdentifier) pkix.Extension {
	type policyInformation struct{ Policy asn1.ObjectIdentifier }
	infos := make([]policyInformation, len(policies))
	for i, p := range policies {
		infos[i].Policy = p
	}
	value, err := asn1.Marshal(infos)
	if err != nil {
		panic(err)
	}
	return pkix.Extension{Id: OIDExtCertPolicies, Value: value}
}

// RemoveExtension removes the extension with the given OID from the
// template's ExtraExtensions.
func (t *Template) RemoveExtension(oid asn1.ObjectIdentifier) {
	kept := t.ExtraExtensions[:0]
	for _, e := range t.ExtraExtensions {
		if !e.Id.Equal(oid) {
			kept = append(kept, e)
		}
	}
	t.ExtraExtensions = kept
}
