package c509

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// vector is one example of the draft's Appendix A.
type vector struct {
	name string // the "## Example: ..." heading
	der  []byte // the X.509 certificate
	// c509 is the ~C509Certificate (the unwrapped CBOR sequence): from the
	// hex the draft gives, or from its diagnostic notation.
	c509     []byte
	fromDiag bool
	size     int // the size the draft states for the C509 encoding, 0 if none
	// native is the natively signed ~C509Certificate the draft derives
	// from the example, and keys the code block with its issuer's keys
	// (the RFC 7925 example only).
	native []byte
	keys   string
}

// readVectors extracts the examples of testdata/draft-appendix-a.md (a
// copy of the draft's Appendix A): under each "## Example" heading the first
// code block of hex is the DER certificate; under its "### Example: C509
// Certificate Encoding" subsection the hex block, or else the diagnostic
// notation block, is the C509 encoding of type 3.
func readVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/draft-appendix-a.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vector
	var cur *vector
	var section string
	var block []string
	inBlock := false
	sizeRE := regexp.MustCompile(`size (?:of the CBOR encoding \(CBOR sequence\) )?is (\d+) bytes`)
	var prose string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "~~~"):
			if !inBlock {
				inBlock, block = true, nil
				continue
			}
			inBlock = false
			if cur == nil {
				continue
			}
			text := strings.Join(block, "\n")
			switch {
			case isHex(text) && cur.der == nil:
				cur.der = mustHex(t, text)
			case section == "### Example: Natively Signed C509 Certificate" && isHex(text) && cur.native == nil:
				cur.native = mustHex(t, text)
			case section == "### Example: Additional Keys for the Example Certificates" && strings.Contains(text, "issuerPrivateKey"):
				cur.keys = text
			case section == "### Example: C509 Certificate Encoding" && isHex(text) && cur.c509 == nil:
				cur.c509 = mustHex(t, text)
			case section == "### Example: C509 Certificate Encoding" && strings.Contains(text, "This defines a CBOR Sequence") && cur.c509 == nil:
				b, err := diagToCBOR(text)
				if err != nil {
					t.Fatalf("%s: diagnostic notation: %v", cur.name, err)
				}
				cur.c509, cur.fromDiag = b, true
			}
		case inBlock:
			block = append(block, line)
		case strings.HasPrefix(line, "## Example"):
			out = append(out, vector{name: strings.TrimPrefix(line, "## Example: ")})
			cur, section = &out[len(out)-1], ""
		case strings.HasPrefix(line, "### "):
			section = strings.TrimSpace(strings.SplitN(line, "{", 2)[0])
		default:
			prose = line
			if m := sizeRE.FindStringSubmatch(prose); m != nil && cur != nil && section == "### Example: C509 Certificate Encoding" && cur.size == 0 {
				cur.size, _ = strconv.Atoi(m[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var hexRE = regexp.MustCompile(`^[0-9A-Fa-f\s]+$`)

func isHex(s string) bool { return strings.TrimSpace(s) != "" && hexRE.MatchString(s) }

func mustHex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// diagToCBOR encodes a CBOR sequence written in the diagnostic notation the
// draft uses (RFC 8949 §8: integers, h” byte strings, "" text strings,
// null, arrays, tags, /comments/) as Deterministically Encoded CBOR.
func diagToCBOR(s string) ([]byte, error) {
	p := &diagParser{s: s}
	var out []byte
	for {
		p.skip()
		if p.i >= len(p.s) {
			return out, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		b, err := encMode.Marshal(v)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}

type diagParser struct {
	s string
	i int
}

func (p *diagParser) skip() {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			p.i++
		case c == '/':
			end := strings.IndexByte(p.s[p.i+1:], '/')
			if end < 0 {
				p.i = len(p.s)
				return
			}
			p.i += end + 2
		default:
			return
		}
	}
}

func (p *diagParser) value() (any, error) {
	p.skip()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '[':
		p.i++
		arr := []any{}
		for {
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return arr, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
			}
		}
	case c == 'h' && strings.HasPrefix(p.s[p.i:], "h'"):
		end := strings.IndexByte(p.s[p.i+2:], '\'')
		if end < 0 {
			return nil, fmt.Errorf("unterminated h''")
		}
		b, err := hex.DecodeString(strings.Join(strings.Fields(p.s[p.i+2:p.i+2+end]), ""))
		p.i += end + 3
		return b, err
	case c == '"':
		end := strings.IndexByte(p.s[p.i+1:], '"')
		if end < 0 {
			return nil, fmt.Errorf("unterminated text")
		}
		v := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		return v, nil
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return nil, nil
	case c == '-' || (c >= '0' && c <= '9'):
		j := p.i + 1
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		n, err := strconv.ParseInt(p.s[p.i:j], 10, 64)
		if err != nil {
			return nil, err
		}
		p.i = j
		if p.i < len(p.s) && p.s[p.i] == '(' { // a tag
			p.i++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			p.skip()
			if p.i >= len(p.s) || p.s[p.i] != ')' {
				return nil, fmt.Errorf("unterminated tag")
			}
			p.i++
			return cbor.Tag{Number: uint64(n), Content: v}, nil
		}
		return n, nil
	}
	return nil, fmt.Errorf("unexpected %q at %d", p.s[p.i], p.i)
}

// TestDraftVectors checks every example of the draft's Appendix A: Encode
// gives the draft's C509 encoding byte for byte (the array C509Certificate,
// that is 0x8b and the sequence), and Decode gives back the example's DER.
func TestDraftVectors(t *testing.T) {
	vs := readVectors(t)
	want := []string{
		"RFC 7925 profiled X.509 Certificate {#rfc7925-prof}",
		"IEEE 802.1AR profiled X.509 Certificate",
		"CAB Baseline ECDSA HTTPS X.509 Certificate",
		"CAB Baseline RSA HTTPS X.509 Certificate",
		"Certificate with Extensions IPAddrBlocks and IPAddrBlocksV2",
	}
	if len(vs) != len(want) {
		t.Fatalf("read %d examples, want %d", len(vs), len(want))
	}
	for i, v := range vs {
		if v.name != want[i] {
			t.Fatalf("example %d is %q, want %q", i, v.name, want[i])
		}
		if v.der == nil || v.c509 == nil {
			t.Fatalf("%s: DER or C509 missing", v.name)
		}
	}
	sizes := []int{140, 275, 835, 1295, 0} // as the draft states them (none for the last)
	for i, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			if v.size != sizes[i] || (sizes[i] != 0 && len(v.c509) != sizes[i]) {
				t.Errorf("draft states %d bytes, its encoding has %d, want %d", v.size, len(v.c509), sizes[i])
			}
			got, err := Encode(v.der)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			wantC509 := append([]byte{0x8b}, v.c509...)
			if !bytes.Equal(got, wantC509) {
				gd, _ := cbor.Diagnose(got)
				wd, _ := cbor.Diagnose(wantC509)
				t.Fatalf("Encode differs from the draft (from diagnostic notation: %v) at byte %d\n got %s\nwant %s", v.fromDiag, firstDiff(got, wantC509), gd, wd)
			}
			for _, in := range [][]byte{wantC509, v.c509} { // the array and the unwrapped sequence
				der, err := Decode(in)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if !bytes.Equal(der, v.der) {
					t.Fatalf("Decode differs from the draft's DER at byte %d", firstDiff(der, v.der))
				}
			}
		})
	}
}
