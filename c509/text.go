package c509

import (
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/fxamacker/cbor/v2"
)

// specialText encodes an attribute value string as the draft's SpecialText
// (section "issuer"): lowercase hex of even length as bytes, an EUI-64
// "HH-HH-HH-HH-HH-HH-HH-HH" as a tag 48 MAC address, anything else as text.
func specialText(s string) any {
	if len(s) >= 2 && len(s)%2 == 0 && isLowerHex(s) {
		b, _ := hex.DecodeString(s)
		return b
	}
	if mac, ok := eui64(s); ok {
		if mac[3] == 0xff && mac[4] == 0xfe {
			mac = append(mac[:3:3], mac[5:]...)
		}
		return cbor.Tag{Number: tagMAC, Content: mac}
	}
	return s
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func isUpperHexDigit(c byte) bool { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') }

func eui64(s string) ([]byte, bool) {
	if len(s) != 23 {
		return nil, false
	}
	for i := 0; i < 23; i++ {
		if i%3 == 2 {
			if s[i] != '-' {
				return nil, false
			}
		} else if !isUpperHexDigit(s[i]) {
			return nil, false
		}
	}
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	return b, err == nil
}

// fromSpecialText is the inverse of specialText.
func fromSpecialText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, utf8.ValidString(t)
	case []byte:
		return hex.EncodeToString(t), true
	case cbor.Tag:
		mac, ok := t.Content.([]byte)
		if t.Number != tagMAC || !ok {
			return "", false
		}
		switch len(mac) {
		case 6:
			mac = []byte{mac[0], mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5]}
		case 8:
		default:
			return "", false
		}
		var sb strings.Builder
		for i, c := range mac {
			if i > 0 {
				sb.WriteByte('-')
			}
			sb.WriteString(strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
		return sb.String(), true
	}
	return "", false
}
