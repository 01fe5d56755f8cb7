package ldevid

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"sort"

	"github.com/iotcert/iotcert/idevid"
)

// SignCSR signs a certificate request made by a device (the factory-line
// mode where the key never leaves the device) under the device profile
// called device. The CSR must carry a valid self-signature, a key of the
// profile's curve, and only names the profile has: subject attributes of
// the profile's subject template, and no more subjectAltNames of each type
// than the profile lists. The subject and subjectAltName are the CSR's;
// validity, keyUsage and extendedKeyUsage are the profile's (other
// requested extensions are ignored). The certificate is then linted like
// any other before it is signed. A refusal is a *RefusedError whose
// Reasons say what is wrong with the CSR.
func (h *Hierarchy) SignCSR(device string, csr *x509.CertificateRequest) (*Issued, error) {
	d, ca, err := h.device(device)
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("CSR %q", subjectString(csr.RawSubject))
	var reasons []string
	if err := csr.CheckSignature(); err != nil {
		reasons = append(reasons, fmt.Sprintf("the CSR's signature does not verify: %v", err))
	}
	if got := KeyDescription(csr.PublicKey); got != string(d.Curve) {
		reasons = append(reasons, fmt.Sprintf("the CSR's key is %s; device profile %q requires %s", got, d.Name, d.Curve))
	}
	names, sanExt, err := csrNames(csr, h.spec.MACAddressOID)
	if err != nil {
		reasons = append(reasons, err.Error())
	}
	reasons = append(reasons, checkCSRNames(d, csr.RawSubject, names)...)
	if len(reasons) > 0 {
		return nil, &RefusedError{What: what, Profile: d.Profile, Reasons: reasons}
	}

	tmpl, err := h.eeTemplate(d, csr.RawSubject)
	if err != nil {
		return nil, err
	}
	if sanExt != nil {
		ext, err := idevid.SubjectAltName(d.Subject.Empty() || sanExt.Critical, names...)
		if err != nil {
			return nil, &RefusedError{What: what, Profile: d.Profile, Reasons: []string{err.Error()}}
		}
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, ext)
	}
	if err := setSubjectKeyID(d, tmpl, csr.PublicKey); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	cert, res, err := h.sign(what, d.Profile, tmpl, ca.Cert, csr.PublicKey, ca.Signer)
	if err != nil {
		return nil, err
	}
	chain, err := h.Chain(ca.Spec.Name)
	if err != nil {
		return nil, err
	}
	return &Issued{Cert: cert, Chain: chain, Result: res}, nil
}

// csrNames decodes the subjectAltName the CSR requests.
func csrNames(csr *x509.CertificateRequest, macOID asn1.ObjectIdentifier) ([]idevid.Name, *pkix.Extension, error) {
	var ext *pkix.Extension
	for i := range csr.Extensions {
		if csr.Extensions[i].Id.Equal(idevid.OIDSubjectAltName) {
			if ext != nil {
				return nil, nil, fmt.Errorf("the CSR requests two subjectAltName extensions")
			}
			ext = &csr.Extensions[i]
		}
	}
	if ext == nil {
		return nil, nil, nil
	}
	names, err := idevid.ParseSubjectAltName(ext.Value, macOID)
	if err != nil {
		return nil, nil, fmt.Errorf("the CSR's %v", err)
	}
	return names, ext, nil
}

// checkCSRNames compares what a CSR asks for with the device profile.
func checkCSRNames(d *DeviceSpec, rawSubject []byte, names []idevid.Name) []string {
	var reasons []string
	allowed := map[string]int{}
	for _, s := range d.SANs {
		allowed[sanTypeName(s.Type)]++
	}
	requested := map[string]int{}
	for _, n := range names {
		requested[idevid.TypeName(n)]++
	}
	types := make([]string, 0, len(requested))
	for t := range requested {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		switch n, max := requested[t], allowed[t]; {
		case max == 0:
			reasons = append(reasons, fmt.Sprintf("the CSR requests a %s subjectAltName; device profile %q has none", t, d.Name))
		case n > max:
			reasons = append(reasons, fmt.Sprintf("the CSR requests %d %s subjectAltNames; device profile %q allows %d", n, t, d.Name, max))
		}
	}
	var rdns pkix.RDNSequence
	if _, err := asn1.Unmarshal(rawSubject, &rdns); err != nil {
		return append(reasons, fmt.Sprintf("the CSR's subject does not decode: %v", err))
	}
	keys := map[string]bool{}
	for _, k := range d.Subject.Keys() {
		_, oid, _ := subjectKey(k)
		keys[oid.String()] = true
	}
	for _, rdn := range rdns {
		for _, atv := range rdn {
			if !keys[atv.Type.String()] {
				reasons = append(reasons, fmt.Sprintf("the CSR's subject holds attribute %s, which device profile %q does not have (it has %v)", attributeName(atv.Type), d.Name, d.Subject.Keys()))
			}
		}
	}
	return reasons
}

func sanTypeName(t SANType) string {
	switch t {
	case SANDNS:
		return idevid.TypeName(idevid.DNSName(""))
	case SANURI:
		return idevid.TypeName(idevid.URI(""))
	case SANIP:
		return idevid.TypeName(idevid.IPAddress(nil))
	case SANEmail:
		return idevid.TypeName(idevid.RFC822Name(""))
	case SANHardwareModuleName:
		return idevid.TypeName(idevid.HardwareModuleName{})
	case SANMACAddress:
		return idevid.TypeName(idevid.MACAddress{})
	}
	return string(t)
}

func attributeName(oid asn1.ObjectIdentifier) string {
	for _, s := range subjectKeys {
		if s.oid.Equal(oid) {
			return s.key
		}
	}
	return oid.String()
}

// subjectString is the RFC 4514 form of a DER Name, for messages.
func subjectString(raw []byte) string {
	var rdns pkix.RDNSequence
	if _, err := asn1.Unmarshal(raw, &rdns); err != nil {
		return "(undecodable subject)"
	}
	var n pkix.Name
	n.FillFromRDNSequence(&rdns)
	return n.String()
}
