package bundle

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"
)

// constraintsOf compacts the nameConstraints of CA certificate c, or
// returns nil when it has none this package checks.
func constraintsOf(c *x509.Certificate) *nameConstraints {
	nc := &nameConstraints{
		permittedDNS:   strs(c.PermittedDNSNames),
		excludedDNS:    strs(c.ExcludedDNSNames),
		permittedEmail: strs(c.PermittedEmailAddresses),
		excludedEmail:  strs(c.ExcludedEmailAddresses),
		permittedURI:   strs(c.PermittedURIs),
		excludedURI:    strs(c.ExcludedURIs),
		permittedDir:   dirs(c.PermittedDirectoryNames),
		excludedDir:    dirs(c.ExcludedDirectoryNames),
	}
	for _, ip := range c.PermittedIPAddresses {
		nc.permittedIP = append(nc.permittedIP, ip.Data)
	}
	for _, ip := range c.ExcludedIPAddresses {
		nc.excludedIP = append(nc.excludedIP, ip.Data)
	}
	nc.other, nc.malformed = rawConstraints(c)
	for _, d := range append(slices.Clone(nc.permittedDNS), nc.excludedDNS...) {
		if strings.HasPrefix(d, ".") && nc.malformed == "" {
			nc.malformed = fmt.Sprintf("the dNSName constraint %q has a leading period (RFC 5280 §4.2.1.10 allows one in URI and rfc822Name constraints only)", d)
		}
	}
	if len(nc.permittedDNS)+len(nc.excludedDNS)+len(nc.permittedEmail)+len(nc.excludedEmail)+
		len(nc.permittedURI)+len(nc.excludedURI)+len(nc.permittedDir)+len(nc.excludedDir)+
		len(nc.permittedIP)+len(nc.excludedIP)+len(nc.other) == 0 && nc.malformed == "" {
		return nil
	}
	return nc
}

// oidNameConstraints is the nameConstraints extension.
var oidNameConstraints = asn1.ObjectIdentifier{2, 5, 29, 30}

// General name forms this package does not match against name
// constraints (GeneralName tags, RFC 5280 §4.2.1.6).
const (
	tagOtherName    = 0
	tagX400Address  = 3
	tagEDIPartyName = 5
	tagRegisteredID = 8
)

// rawConstraints reads c's nameConstraints extension for what zcrypto
// does not keep: the name forms constrained that this package does not
// match (otherName, x400Address, ediPartyName, registeredID), and whether
// the extension is malformed (RFC 5280 §4.2.1.10: permittedSubtrees or
// excludedSubtrees must be present and not empty).
func rawConstraints(c *x509.Certificate) (other []int, malformed string) {
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidNameConstraints) {
			continue
		}
		var v struct {
			Permitted []asn1.RawValue `asn1:"optional,tag:0"`
			Excluded  []asn1.RawValue `asn1:"optional,tag:1"`
		}
		if _, err := asn1.Unmarshal(e.Value, &v); err != nil {
			return nil, "the nameConstraints extension does not decode: " + err.Error()
		}
		if len(v.Permitted)+len(v.Excluded) == 0 {
			return nil, "the nameConstraints extension has neither permittedSubtrees nor excludedSubtrees (RFC 5280 §4.2.1.10)"
		}
		for _, st := range append(v.Permitted, v.Excluded...) {
			var base asn1.RawValue
			if _, err := asn1.Unmarshal(st.Bytes, &base); err != nil {
				return nil, "a GeneralSubtree of the nameConstraints extension does not decode: " + err.Error()
			}
			switch base.Tag {
			case tagOtherName, tagX400Address, tagEDIPartyName, tagRegisteredID:
				if !slices.Contains(other, base.Tag) {
					other = append(other, base.Tag)
				}
			}
		}
	}
	return other, ""
}

// nameFormName names a GeneralName tag for messages.
func nameFormName(tag int) string {
	switch tag {
	case tagOtherName:
		return "otherName"
	case tagX400Address:
		return "x400Address"
	case tagEDIPartyName:
		return "ediPartyName"
	case tagRegisteredID:
		return "registeredID"
	}
	return fmt.Sprintf("GeneralName [%d]", tag)
}

func strs(in []x509.GeneralSubtreeString) []string {
	var out []string
	for _, s := range in {
		out = append(out, s.Data)
	}
	return out
}

func dirs(in []x509.GeneralSubtreeName) [][]attr {
	var out [][]attr
	for _, d := range in {
		out = append(out, attrsOf(d.Data.Names))
	}
	return out
}

func attrsOf(names []pkix.AttributeTypeAndValue) []attr {
	out := make([]attr, 0, len(names))
	for _, a := range names {
		out = append(out, attr{oid: a.Type.String(), value: fmt.Sprint(a.Value)})
	}
	return out
}

// subjectAttrs decodes a raw DER distinguished name into its attributes,
// in order.
func subjectAttrs(raw string) ([]attr, error) {
	var seq pkix.RDNSequence
	if _, err := asn1.Unmarshal([]byte(raw), &seq); err != nil {
		return nil, err
	}
	var out []attr
	for _, rdn := range seq {
		for _, a := range rdn {
			out = append(out, attr{oid: a.Type.String(), value: fmt.Sprint(a.Value)})
		}
	}
	return out, nil
}

// dnString formats a raw DER distinguished name in RFC 4514 style.
func dnString(raw string) (string, error) {
	var seq pkix.RDNSequence
	if _, err := asn1.Unmarshal([]byte(raw), &seq); err != nil {
		return "", err
	}
	var name pkix.Name
	name.FillFromRDNSequence(&seq)
	return name.String(), nil
}

// violation returns why n's names break nc, or "" when they do not
// (RFC 5280 §4.2.1.10: each name of a constrained type must be within a
// permitted subtree, when there are any, and in no excluded subtree).
func (nc *nameConstraints) violation(n *Node) string {
	if c := nc.comparisons(n); c > maxConstraintComparisons {
		return fmt.Sprintf("checking its names against the name constraints above it takes %d comparisons, more than the %d iotcert (like Go's crypto/x509) allows", c, maxConstraintComparisons)
	}
	if len(nc.permittedDir)+len(nc.excludedDir) > 0 && n.subject != "" {
		subj, err := subjectAttrs(n.subject)
		if err == nil && len(subj) > 0 {
			if len(nc.permittedDir) > 0 && !anyDir(nc.permittedDir, subj) {
				return fmt.Sprintf("subject %q is outside the permitted directoryName subtrees", n.display)
			}
			if anyDir(nc.excludedDir, subj) {
				return fmt.Sprintf("subject %q is inside an excluded directoryName subtree", n.display)
			}
		}
	}
	for _, tag := range nc.other {
		if slices.Contains(n.otherForms, tag) {
			return fmt.Sprintf("its subjectAltName holds an %s, a name form constrained above that iotcert does not process (RFC 5280 §4.2.1.10: process the constraint or reject)", nameFormName(tag))
		}
	}
	if n.names == nil {
		return ""
	}
	if why := checkNames("dNSName", n.names.dns, nc.permittedDNS, nc.excludedDNS, dnsWithin); why != "" {
		return why
	}
	if why := checkNames("rfc822Name", n.names.email, nc.permittedEmail, nc.excludedEmail, emailWithin); why != "" {
		return why
	}
	if why := checkNames("URI", n.names.uri, nc.permittedURI, nc.excludedURI, uriWithin); why != "" {
		return why
	}
	for _, ip := range n.names.ip {
		if len(nc.permittedIP) > 0 && !anyIP(nc.permittedIP, ip) {
			return fmt.Sprintf("iPAddress %s is outside the permitted subtrees", ip)
		}
		if anyIP(nc.excludedIP, ip) {
			return fmt.Sprintf("iPAddress %s is inside an excluded subtree", ip)
		}
	}
	return ""
}

// maxConstraintComparisons bounds the name comparisons of one
// certificate against one CA's name constraints, as Go's crypto/x509 does
// (x509-limbo pathological::nc-dos-*): a certificate beyond it is refused.
const maxConstraintComparisons = 250000

// comparisons returns how many name comparisons checking n against nc
// takes.
func (nc *nameConstraints) comparisons(n *Node) int {
	if n.names == nil {
		return 0
	}
	return len(n.names.dns)*(len(nc.permittedDNS)+len(nc.excludedDNS)) +
		len(n.names.email)*(len(nc.permittedEmail)+len(nc.excludedEmail)) +
		len(n.names.uri)*(len(nc.permittedURI)+len(nc.excludedURI)) +
		len(n.names.ip)*(len(nc.permittedIP)+len(nc.excludedIP))
}

func checkNames(kind string, names, permitted, excluded []string, within func(name, constraint string) bool) string {
	for _, name := range names {
		if len(permitted) > 0 && !anyWithin(name, permitted, within) {
			return fmt.Sprintf("%s %q is outside the permitted subtrees %q", kind, name, permitted)
		}
		for _, c := range excluded {
			if within(name, c) {
				return fmt.Sprintf("%s %q is inside the excluded subtree %q", kind, name, c)
			}
			if kind == "dNSName" && wildcardCovers(name, c) {
				return fmt.Sprintf("%s %q may stand for a name inside the excluded subtree %q", kind, name, c)
			}
		}
	}
	return ""
}

// wildcardCovers reports whether the wildcard DNS name ("*.example.com")
// stands for a name of the subtree c ("bar.example.com"): such a name is
// excluded defensively, as RFC 5280 does not say how name constraints
// meet wildcards (x509-limbo cve-2025-61727).
func wildcardCovers(name, c string) bool {
	base, ok := strings.CutPrefix(strings.ToLower(name), "*.")
	if !ok {
		return false
	}
	c = strings.TrimPrefix(strings.ToLower(c), ".")
	return strings.HasSuffix(c, "."+base) && !strings.Contains(strings.TrimSuffix(c, "."+base), ".")
}

func anyWithin(name string, constraints []string, within func(name, constraint string) bool) bool {
	for _, c := range constraints {
		if within(name, c) {
			return true
		}
	}
	return false
}

// dnsWithin reports whether DNS name is within the subtree c: c itself or
// any name below it ("example.com" holds "a.example.com"; ".example.com"
// holds only names below it).
func dnsWithin(name, c string) bool {
	name, c = strings.ToLower(strings.TrimSuffix(name, ".")), strings.ToLower(c)
	if c == "" {
		return true
	}
	if strings.HasPrefix(c, ".") {
		return strings.HasSuffix(name, c)
	}
	return name == c || strings.HasSuffix(name, "."+c)
}

// emailWithin applies RFC 5280 §4.2.1.10 to rfc822Name: a mailbox, a
// host ("example.com": mailboxes at that host) or a domain (".example.com").
func emailWithin(name, c string) bool {
	at := strings.LastIndexByte(name, '@')
	if strings.Contains(c, "@") {
		return strings.EqualFold(name, c)
	}
	host := strings.ToLower(name[at+1:])
	c = strings.ToLower(c)
	if strings.HasPrefix(c, ".") {
		return strings.HasSuffix(host, c)
	}
	return host == c
}

// uriWithin applies the DNS rules to the host of the URI.
func uriWithin(name, c string) bool {
	u, err := url.Parse(name)
	if err != nil || u.Hostname() == "" {
		return false
	}
	host, c := strings.ToLower(u.Hostname()), strings.ToLower(c)
	if strings.HasPrefix(c, ".") {
		return strings.HasSuffix(host, c)
	}
	return host == c
}

func anyIP(nets []net.IPNet, ip net.IP) bool {
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

func anyDir(subtrees [][]attr, subj []attr) bool {
	for _, t := range subtrees {
		if len(t) <= len(subj) && equalAttrs(t, subj[:len(t)]) {
			return true
		}
	}
	return false
}

func equalAttrs(a, b []attr) bool {
	for i := range a {
		if a[i].oid != b[i].oid || !strings.EqualFold(a[i].value, b[i].value) {
			return false
		}
	}
	return true
}
