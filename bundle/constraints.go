package bundle

import (
	"fmt"
	"net"
	"net/url"
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
	if len(nc.permittedDNS)+len(nc.excludedDNS)+len(nc.permittedEmail)+len(nc.excludedEmail)+
		len(nc.permittedURI)+len(nc.excludedURI)+len(nc.permittedDir)+len(nc.excludedDir)+
		len(nc.permittedIP)+len(nc.excludedIP) == 0 {
		return nil
	}
	return nc
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

func checkNames(kind string, names, permitted, excluded []string, within func(name, constraint string) bool) string {
	for _, name := range names {
		if len(permitted) > 0 && !anyWithin(name, permitted, within) {
			return fmt.Sprintf("%s %q is outside the permitted subtrees %q", kind, name, permitted)
		}
		for _, c := range excluded {
			if within(name, c) {
				return fmt.Sprintf("%s %q is inside the excluded subtree %q", kind, name, c)
			}
		}
	}
	return ""
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
