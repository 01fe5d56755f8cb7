package certgen

import "crypto/sha1" //nolint:gosec // RFC 5280 key identifiers are SHA-1 by definition.

func sha1Sum(b []byte) []byte {
	s := sha1.Sum(b)
	return s[:]
}
