package ldevid

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/store"
)

// CSROptions configure SignCSR.
type CSROptions struct {
	// IgnoreNames takes the names rendered for the device and ignores
	// those the CSR asks for, instead of refusing a CSR whose names
	// differ.
	IgnoreNames bool
}

// SignCSR signs a certificate request made by a device (the factory-line
// mode where the key never leaves the device) for the device req names,
// under its device profile. The certificate is the one IssueDevice would
// make for req (the same templates render its subject and
// subjectAltName), with the CSR's key: the CSR contributes only its key
// and, by its self-signature, the proof that the device holds it.
//
// The CSR must carry a valid self-signature and a key of the profile's
// curve. The names it asks for (a non-empty subject, a subjectAltName)
// must be the rendered ones, in any order: a difference is a refusal that
// shows it, unless opts.IgnoreNames. Its subject may hold each attribute
// no more times than the profile's subject template, and each
// subjectAltName type no more times than the profile lists. A rendered
// subject equal to the subject of a CA of the spec is refused. The
// certificate is then linted like any other before it is signed. A
// refusal is a *RefusedError whose Reasons say what is wrong.
func (h *Hierarchy) SignCSR(req Request, csr *x509.CertificateRequest, opts CSROptions) (*Issued, error) {
	d, ca, err := h.Device(req.Device)
	if err != nil {
		return nil, err
	}
	if err := store.CheckID(req.ID); err != nil {
		return nil, err
	}
	names, err := h.renderNames(d, req)
	if err != nil {
		return nil, err
	}
	tmpl, err := h.deviceTemplate(d, req, names)
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("CSR for device %q", req.ID)
	var reasons []string
	if err := csr.CheckSignature(); err != nil {
		reasons = append(reasons, fmt.Sprintf("the CSR's signature does not verify: %v", err))
	}
	if got := keys.Describe(csr.PublicKey); got != string(d.Curve) {
		reasons = append(reasons, fmt.Sprintf("the CSR's key is %s; device profile %q requires %s", got, d.Name, d.Curve))
	}
	if !opts.IgnoreNames {
		names, sanExt, err := csrNames(csr, h.spec.macAddressOID)
		if err != nil {
			reasons = append(reasons, err.Error())
		}
		reasons = append(reasons, checkCSRNames(d, csr.RawSubject, names)...)
		if len(reasons) == 0 {
			diff, err := h.nameDifference(tmpl, csr.RawSubject, names, sanExt != nil)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			reasons = append(reasons, diff...)
		}
	}
	reasons = append(reasons, h.caSubjectClash(tmpl.RawSubject)...)
	if len(reasons) > 0 {
		return nil, &RefusedError{What: what, Profile: d.Profile, Reasons: reasons}
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
	dev := &Issued{ID: req.ID, Cert: cert, chain: chain, Result: res}
	if err := signC509(d, ca, dev); err != nil {
		return nil, err
	}
	return dev, nil
}

// nameDifference compares the names a CSR asks for with those rendered
// in tmpl: an empty CSR subject and an absent subjectAltName ask for
// nothing. It returns one reason per difference.
func (h *Hierarchy) nameDifference(tmpl *x509.Certificate, csrSubject []byte, csrNames []idevid.Name, csrHasSAN bool) ([]string, error) {
	var reasons []string
	rendered := tmpl.RawSubject
	if rendered == nil {
		rendered = emptyName
	}
	if !bytes.Equal(csrSubject, emptyName) {
		want, err := subjectAttributes(rendered)
		if err != nil {
			return nil, err
		}
		got, err := subjectAttributes(csrSubject)
		if err != nil {
			return nil, err
		}
		if extra, missing := difference(got, want); len(extra)+len(missing) > 0 {
			reasons = append(reasons, fmt.Sprintf("the CSR's subject %q differs from the device's %q (CSR only: %s; device only: %s)",
				subjectString(csrSubject), subjectString(rendered), listOrNone(extra), listOrNone(missing)))
		}
	}
	if !csrHasSAN {
		return reasons, nil
	}
	var want []string
	for _, e := range tmpl.ExtraExtensions {
		if !e.Id.Equal(idevid.OIDSubjectAltName) {
			continue
		}
		names, err := idevid.ParseSubjectAltName(e.Value, h.spec.macAddressOID)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			want = append(want, nameString(n))
		}
	}
	var got []string
	for _, n := range csrNames {
		got = append(got, nameString(n))
	}
	if extra, missing := difference(got, want); len(extra)+len(missing) > 0 {
		reasons = append(reasons, fmt.Sprintf("the CSR's subjectAltName differs from the device's (CSR only: %s; device only: %s)", listOrNone(extra), listOrNone(missing)))
	}
	return reasons, nil
}

// caSubjectClash refuses a device subject equal to a CA's: any CA of the
// spec (rendered from its template) or loaded (its certificate).
func (h *Hierarchy) caSubjectClash(rawSubject []byte) []string {
	if rawSubject == nil || bytes.Equal(rawSubject, emptyName) {
		return nil
	}
	for _, c := range h.spec.CAs {
		same := false
		if raw, err := c.Subject.Render(nil); err == nil && bytes.Equal(raw, rawSubject) {
			same = true
		}
		if ca := h.CA(c.Name); ca != nil && bytes.Equal(ca.Cert.RawSubject, rawSubject) {
			same = true
		}
		if same {
			return []string{fmt.Sprintf("the device's subject %q is the subject of CA %q", subjectString(rawSubject), c.Name)}
		}
	}
	return nil
}

// subjectAttributes lists the attributes of a DER Name as "type=value".
func subjectAttributes(raw []byte) ([]string, error) {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &rdns); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("the subject does not decode: %v", err)
	}
	var out []string
	for _, rdn := range rdns {
		for _, atv := range rdn {
			out = append(out, fmt.Sprintf("%s=%v", attributeName(atv.Type), atv.Value))
		}
	}
	return out, nil
}

// difference returns what got holds that want does not, and the other
// way round, as multisets, each sorted.
func difference(got, want []string) (extra, missing []string) {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		if count[g] > 0 {
			count[g]--
			continue
		}
		extra = append(extra, g)
	}
	for _, w := range want {
		if count[w] > 0 {
			count[w]--
			missing = append(missing, w)
		}
	}
	sort.Strings(extra)
	sort.Strings(missing)
	return extra, missing
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

// nameString is a GeneralName for messages: its type and value.
func nameString(n idevid.Name) string {
	switch v := n.(type) {
	case idevid.DNSName:
		return "dNSName " + string(v)
	case idevid.URI:
		return "uniformResourceIdentifier " + string(v)
	case idevid.RFC822Name:
		return "rfc822Name " + string(v)
	case idevid.IPAddress:
		return "iPAddress " + net.IP(v).String()
	case idevid.MACAddress:
		return "macAddress " + v.String()
	case idevid.HardwareModuleName:
		return fmt.Sprintf("hardwareModuleName %v %x", v.Type, v.SerialNumber)
	}
	raw, err := n.GeneralName()
	if err != nil {
		return idevid.TypeName(n)
	}
	der, _ := asn1.Marshal(raw)
	return fmt.Sprintf("%s %x", idevid.TypeName(n), der)
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
	for _, s := range d.sans {
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
	keys := map[string]int{}
	for _, k := range d.Subject.keys() {
		_, oid, _ := subjectKey(k)
		keys[oid.String()]++
	}
	seen := map[string]int{}
	for _, rdn := range rdns {
		for _, atv := range rdn {
			t := atv.Type.String()
			seen[t]++
			switch {
			case keys[t] == 0:
				reasons = append(reasons, fmt.Sprintf("the CSR's subject holds attribute %s, which device profile %q does not have (it has %v)", attributeName(atv.Type), d.Name, d.Subject.keys()))
			case seen[t] == keys[t]+1:
				reasons = append(reasons, fmt.Sprintf("the CSR's subject holds attribute %s more than %d time(s); device profile %q has it %d time(s)", attributeName(atv.Type), keys[t], d.Name, keys[t]))
			}
		}
	}
	return reasons
}

func sanTypeName(t sanType) string {
	switch t {
	case sanDNS:
		return idevid.TypeName(idevid.DNSName(""))
	case sanURI:
		return idevid.TypeName(idevid.URI(""))
	case sanIP:
		return idevid.TypeName(idevid.IPAddress(nil))
	case sanEmail:
		return idevid.TypeName(idevid.RFC822Name(""))
	case sanHardwareModuleName:
		return idevid.TypeName(idevid.HardwareModuleName{})
	case sanMACAddress:
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
