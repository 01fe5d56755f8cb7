package c509

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// Budget is a size limit a certificate chain is compared with.
type Budget struct {
	Name        string `json:"name"`
	Bytes       int    `json:"bytes"`
	Description string `json:"description"`
}

// String names the budget: "dtls13-record (1024 bytes)", or "600 bytes"
// for a budget given in bytes.
func (b Budget) String() string {
	if b.Name == strconv.Itoa(b.Bytes)+" bytes" {
		return b.Name
	}
	return fmt.Sprintf("%s (%d bytes)", b.Name, b.Bytes)
}

// Budgets are the named budgets ParseBudget knows.
var Budgets = []Budget{
	{"dtls13-record", 1024, "a DTLS 1.3 record of 1,024 bytes: the Certificate message fits one record and one datagram of a link with a 1,280-byte IPv6 MTU without handshake fragmentation"},
	{"coap-block-512", 512, "a CoAP block of 512 bytes (RFC 7959 block size SZX=5): the chain travels in one Block2/Block1 transfer step"},
	{"coap-block-1024", 1024, "a CoAP block of 1,024 bytes (RFC 7959, the largest block size, SZX=6)"},
}

// ParseBudget reads a budget given as a number of bytes or by name.
func ParseBudget(s string) (Budget, error) {
	for _, b := range Budgets {
		if b.Name == s {
			return b, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		names := make([]string, len(Budgets))
		for i, b := range Budgets {
			names[i] = b.Name
		}
		return Budget{}, fmt.Errorf("budget %q: want a number of bytes or one of %s", s, strings.Join(names, ", "))
	}
	return Budget{Name: s + " bytes", Bytes: n}, nil
}

// MessageSizes are the sizes of one chain as a TLS 1.3 / DTLS 1.3
// Certificate message (RFC 8446 §4.4.2, without the handshake header) and
// as an RFC 8879 CompressedCertificate message of that Certificate message
// with each compression algorithm.
type MessageSizes struct {
	Plain  int `json:"plain"`
	Zlib   int `json:"zlib"`
	Brotli int `json:"brotli"`
	Zstd   int `json:"zstd"`
}

// Max returns the largest size of m.
func (m MessageSizes) Max() int { return max(m.Plain, m.Zlib, m.Brotli, m.Zstd) }

// CertificateMessage returns the body of a TLS 1.3 Certificate message
// carrying certs (the end entity first) with an empty
// certificate_request_context and no extensions: each CertificateEntry is
// its 3-byte length, the certificate and a 2-byte empty extensions
// field. For C509 the entries are ~C509Certificate (the unwrapped CBOR
// sequence), as the draft's TLS certificate type defines c509_data.
func CertificateMessage(certs [][]byte) []byte {
	sizes := make([]int, len(certs))
	for i, c := range certs {
		sizes[i] = len(c)
	}
	n := MessageSize(sizes...)
	out := make([]byte, 0, n)
	out = append(out, 0) // certificate_request_context<0..255>: empty
	out = appendUint24(out, n-4)
	for _, c := range certs {
		out = appendUint24(out, len(c))
		out = append(out, c...)
		out = append(out, 0, 0) // extensions<0..2^16-1>: none
	}
	return out
}

// MessageSize returns the size of the Certificate message that
// CertificateMessage makes of certificates of the given sizes:
// 4 + Σ (5 + size) bytes.
func MessageSize(sizes ...int) int {
	n := 4
	for _, c := range sizes {
		n += 5 + c
	}
	return n
}

func appendUint24(b []byte, n int) []byte { return append(b, byte(n>>16), byte(n>>8), byte(n)) }

// compressedHeader is the size of the fixed fields of an RFC 8879
// CompressedCertificate: algorithm (2), uncompressed_length (3) and the
// length of compressed_certificate_message (3).
const compressedHeader = 8

// Measure returns the sizes of the Certificate message carrying certs.
// Brotli runs at quality 11 with a 22-bit window, as the draft's size
// comparison does; zlib and zstd at their best compression levels.
func Measure(certs [][]byte) (MessageSizes, error) {
	msg := CertificateMessage(certs)
	s := MessageSizes{Plain: len(msg)}
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		return s, err
	}
	if _, err := zw.Write(msg); err != nil {
		return s, err
	}
	if err := zw.Close(); err != nil {
		return s, err
	}
	s.Zlib = compressedHeader + buf.Len()
	buf.Reset()
	bw := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: 11, LGWin: 22})
	if _, err := bw.Write(msg); err != nil {
		return s, err
	}
	if err := bw.Close(); err != nil {
		return s, err
	}
	s.Brotli = compressedHeader + buf.Len()
	enc, err := zstdEncoder()
	if err != nil {
		return s, err
	}
	s.Zstd = compressedHeader + len(enc.EncodeAll(msg, nil))
	return s, nil
}

var zstdEncoder = sync.OnceValues(func() (*zstd.Encoder, error) {
	return zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
})

// Unwrapped returns ~C509Certificate, the CBOR sequence TLS and COSE carry,
// of a C509Certificate array as Encode makes it.
func Unwrapped(c509 []byte) []byte {
	if len(c509) > 0 && c509[0] == 0x8b {
		return c509[1:]
	}
	return c509
}
