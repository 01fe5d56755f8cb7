package certio

// The whole-input PEM and DER decoders that certio used before it read
// inputs as streams, kept as the reference the streaming decoders must
// match: same items, origins (index, offset, line), DER and errors.

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"strings"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// refDecodePEM yields every CERTIFICATE block. A block that is not closed
// before the next BEGIN line or the end of input, or whose body does not
// decode, is an error at its offset; reading goes on with the next block.
func refDecodePEM(name string, data []byte, yield func(Item) bool) bool {
	index, keys := 0, 0
	var other []string
	pos := 0
	line, counted := 1, 0 // line is the line of byte counted
	for {
		rel := bytes.Index(data[pos:], pemBegin)
		if rel < 0 {
			break
		}
		start := pos + rel
		line += bytes.Count(data[counted:start], []byte{'\n'})
		counted = start
		origin := Origin{File: name, Index: index, Offset: int64(start), Line: line}
		next := bytes.Index(data[start+1:], pemBegin)
		if next >= 0 {
			next += start + 1
		} else {
			next = len(data)
		}
		end := bytes.Index(data[start:next], []byte("-----END "))
		if end < 0 {
			index++
			if !yield(errorItem(origin, "truncated PEM block: no END line before "+refEndOf(next, len(data)), nil)) {
				return false
			}
			pos = next
			continue
		}
		// Include the END line itself.
		stop := start + end + len("-----END ")
		if nl := bytes.IndexByte(data[stop:next], '\n'); nl >= 0 {
			stop += nl + 1
		} else {
			stop = next
		}
		block, _ := pem.Decode(data[start:stop])
		pos = stop
		switch {
		case block == nil:
			index++
			if !yield(errorItem(origin, "malformed PEM block: bad BEGIN/END lines or base64 body", nil)) {
				return false
			}
		case block.Type == "PKCS7" || block.Type == "CMS":
			n := index
			// Certificates inside the block are located at its BEGIN line.
			if !decodePKCS7(name, block.Bytes, start, index, func(it Item) bool {
				n++
				it.Origin.Offset, it.Origin.Line = int64(start), line
				if ie, ok := it.Err.(*InputError); ok {
					ie.Origin.Offset, ie.Origin.Line = int64(start), line
				}
				return yield(it)
			}) {
				return false
			}
			index = n
		case block.Type == "CERTIFICATE" || block.Type == "X509 CERTIFICATE":
			index++
			if len(block.Bytes) == 0 {
				if !yield(errorItem(origin, "empty CERTIFICATE PEM block", nil)) {
					return false
				}
				continue
			}
			if !yield(Item{Origin: origin, DER: block.Bytes}) {
				return false
			}
		case strings.HasSuffix(block.Type, "PRIVATE KEY"):
			keys++ // skipped, counted
		case block.Type == "EC PARAMETERS":
		default:
			// Keys, CSRs and CRLs travel with certificates; they are not
			// certificates and are skipped (their contents never printed).
			other = append(other, block.Type)
		}
	}
	if index == 0 && (len(other) > 0 || keys == 0) {
		msg := "no CERTIFICATE PEM block found"
		if len(other) > 0 {
			msg += " (only: " + strings.Join(other, ", ") + ")"
		}
		return yield(errorItem(Origin{File: name}, msg, nil))
	}
	return true
}

func refEndOf(next, n int) string {
	if next == n {
		return "end of input"
	}
	return fmt.Sprintf("the next BEGIN line at byte %d", next)
}

// refDecodeDER yields each top-level DER SEQUENCE in data. Reading stops at the
// first element that is not a complete SEQUENCE, since DER has no way to
// find the start of the next one.
func refDecodeDER(name string, data []byte, yield func(Item) bool) bool {
	s := cryptobyte.String(data)
	index := 0
	for len(s) > 0 {
		offset := int64(len(data) - len(s))
		origin := Origin{File: name, Index: index, Offset: offset}
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !s.ReadAnyASN1Element(&elem, &tag) {
			msg := "not a certificate: neither PEM nor a complete DER element"
			if len(s) > 0 && s[0] == 0x30 {
				msg = "truncated or malformed DER: the SEQUENCE length runs past the end of input"
			}
			return yield(errorItem(origin, msg, nil))
		}
		index++
		if tag != cbasn1.SEQUENCE {
			return yield(errorItem(origin, fmt.Sprintf("not a certificate: DER element has tag 0x%02x, want SEQUENCE", uint8(tag)), nil))
		}
		if !yield(Item{Origin: origin, DER: []byte(elem)}) {
			return false
		}
		// Trailing newlines after a DER file are harmless.
		if len(bytes.TrimSpace(s)) == 0 {
			break
		}
	}
	return true
}

// refDecodeWith yields the certificates in data, read from the input named
// name. PEM is recognised by its BEGIN line, bare base64 by its alphabet,
// PKCS#7 and PKCS#12 by their ASN.1 structure; anything else is taken as
// concatenated DER. PKCS#12 stores are opened with opts.PKCS12Password.
// It returns false when yield asked to stop.
func refDecodeWith(name string, data []byte, opts Options, yield func(Item) bool) bool {
	if len(bytes.TrimSpace(data)) == 0 {
		return yield(errorItem(Origin{File: name}, "empty input: no certificate found", nil))
	}
	if bytes.Contains(data, pemBegin) {
		return refDecodePEM(name, data, yield)
	}
	if raw, ok := decodeBase64(data); ok && (isPKCS7(raw) || looksLikeDER(raw)) {
		// Unarmoured base64, as EST /cacerts serves (RFC 7030 §4.1.3).
		return refDecodeBinary(name, raw, opts, yield)
	}
	return refDecodeBinary(name, data, opts, yield)
}

// refDecodeBinary yields the certificates of a PKCS#7 certs-only message, a
// PKCS#12 store or concatenated DER certificates.
func refDecodeBinary(name string, data []byte, opts Options, yield func(Item) bool) bool {
	switch {
	case isPKCS7(data):
		return decodePKCS7(name, data, 0, 0, yield)
	case isPKCS12(data):
		return decodePKCS12(name, data, opts, yield)
	}
	return refDecodeDER(name, data, yield)
}
