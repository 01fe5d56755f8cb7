// Package matter holds what the Matter device attestation checks share: the
// reader of the vendor and product IDs a certificate's DN carries (CSA
// Matter Core Specification §6.2.2.2), used by the lints and by the chain
// checks alike so that they never disagree.
package matter

import (
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509/pkix"
)

// Matter DN attribute types (Matter Core Specification §6.2.2.2).
var (
	// OIDVendorID is the matter-oid-vid attribute type.
	OIDVendorID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 37244, 2, 1}
	// OIDProductID is the matter-oid-pid attribute type.
	OIDProductID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 37244, 2, 2}

	oidCommonName = asn1.ObjectIdentifier{2, 5, 4, 3}
)

// The legacy commonName encoding of VID and PID (Matter Core Specification
// §6.2.2.2, kVIDPrefixForCNEncoding / kPIDPrefixForCNEncoding in the SDK).
const (
	CNVIDPrefix = "Mvid:"
	CNPIDPrefix = "Mpid:"
)

// IDs are the vendor and product IDs a DN carries, as the SDK's
// ExtractVIDPIDFromX509Cert (src/crypto/CHIPCryptoPAL.cpp) reads them: from
// the Matter attributes when there is any, else from the first string
// commonName's Mvid:/Mpid: text.
//
// The first attribute of each type counts. An attribute that is present
// counts even when its value is empty or not a string: its value is then ""
// (HasVID/HasPID true), so that it never matches a real ID and the format
// lint (e_matter_vidpid_oid_format) reports it; the SDK refuses such a DN.
type IDs struct {
	VID, PID       string
	HasVID, HasPID bool
	// FromCN says the IDs come from the legacy commonName encoding.
	FromCN bool
}

// DNIDs returns the IDs of the DN names (Subject.Names or Issuer.Names).
func DNIDs(names []pkix.AttributeTypeAndValue) IDs {
	var ids, cn IDs
	cnSeen := false
	for _, a := range names {
		s, isString := a.Value.(string)
		switch {
		case a.Type.Equal(OIDVendorID):
			if !ids.HasVID {
				ids.VID, ids.HasVID = s, true
			}
		case a.Type.Equal(OIDProductID):
			if !ids.HasPID {
				ids.PID, ids.HasPID = s, true
			}
		case a.Type.Equal(oidCommonName) && isString && !cnSeen:
			cnSeen = true
			cn.VID, cn.HasVID = CNValue(s, CNVIDPrefix)
			cn.PID, cn.HasPID = CNValue(s, CNPIDPrefix)
		}
	}
	if ids.HasVID || ids.HasPID {
		return ids
	}
	cn.FromCN = cn.HasVID || cn.HasPID
	return cn
}

// CNValue returns the 4 characters after the first prefix in s (fewer when s
// ends first), and whether the prefix occurs.
func CNValue(s, prefix string) (string, bool) {
	i := strings.Index(s, prefix)
	if i < 0 {
		return "", false
	}
	v := s[i+len(prefix):]
	if len(v) > 4 {
		v = v[:4]
	}
	return v, true
}
