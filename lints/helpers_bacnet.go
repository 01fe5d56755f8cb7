package lints

// Helpers of the BACnet/SC lints (ASHRAE 135 Annex AB).

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zmap/zcrypto/x509"
)

// bacnetMaxInstance is the largest BACnet device instance (2^22 - 2;
// 4194303 is the wildcard instance).
const bacnetMaxInstance = 4194302

// isBACnetURI reports whether the URI s has the bacnet scheme (schemes are
// case-insensitive, RFC 3986 §3.1).
func isBACnetURI(s string) bool {
	return len(s) >= len("bacnet:") && strings.EqualFold(s[:len("bacnet:")], "bacnet:")
}

// parseBACnetURI parses a bacnet://<device-instance> URI: the authority is
// the decimal device instance 0..4194302, without leading zeros, and
// nothing follows it.
func parseBACnetURI(s string) (int, error) {
	rest := s[len("bacnet:"):]
	if !strings.HasPrefix(rest, "//") {
		return 0, fmt.Errorf("%q has no \"//\" authority", s)
	}
	inst := rest[2:]
	if inst == "" {
		return 0, fmt.Errorf("%q has no device instance", s)
	}
	for _, r := range inst {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q: device instance %q is not a decimal number", s, inst)
		}
	}
	if len(inst) > 1 && inst[0] == '0' {
		return 0, fmt.Errorf("%q: device instance %q has a leading zero", s, inst)
	}
	n, err := strconv.Atoi(inst)
	if err != nil || n > bacnetMaxInstance {
		return 0, fmt.Errorf("%q: device instance %s is out of range 0..%d", s, inst, bacnetMaxInstance)
	}
	return n, nil
}

// bacnetURIs returns the bacnet: URIs of the subjectAltName of c.
func bacnetURIs(c *x509.Certificate) ([]string, error) {
	names, err := subjectAltNames(c)
	if err != nil {
		return nil, err
	}
	var uris []string
	for _, n := range names {
		if n.Tag == tagURI && isBACnetURI(string(n.Bytes)) {
			uris = append(uris, string(n.Bytes))
		}
	}
	return uris, nil
}
