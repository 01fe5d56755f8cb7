package bundle

import (
	"encoding/binary"
	"errors"
	"net"

	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/matter"
	"github.com/iotcert/iotcert/role"
)

// The node spool (spill.go) keeps the Nodes of end entities on disk
// between linting and chain building. appendNode and decodeNode are its
// record format: the fields of a Node, lengths as uvarints, in a fixed
// order. A spooled Node has no name constraints (it is not a CA), is not a
// trust anchor, and has no result in another Matter role (such nodes stay
// in memory); its public key is decoded again when needed.

// Node flags, one bit each in the record.
const (
	nfNoExpiry = 1 << iota
	nfIsCA
	nfCA
	nfHasKU
	nfKUCertSign
	nfTLSEKU
	nfNames
	nfMatter
)

// Matter ID flags.
const (
	mfHasVID = 1 << iota
	mfHasPID
	mfFromCN
)

// spillable reports whether n can be written to the node spool.
func spillable(n *Node) bool {
	return n.nc == nil && !n.trusted && n.malformed == "" && n.matterAlt == nil
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendString(b []byte, v string) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendStrings(b []byte, v []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	for _, s := range v {
		b = appendString(b, s)
	}
	return b
}

// appendNode appends the record of n (spillable) to b.
func appendNode(b []byte, n *Node) []byte {
	var flags byte
	for i, set := range []bool{n.noExpiry, n.isCA, n.cA, n.hasKU, n.kuCertSign, n.tlsEKU, n.names != nil, n.matter != nil} {
		if set {
			flags |= 1 << i
		}
	}
	b = append(b, flags, byte(n.role), byte(n.crl))
	b = appendString(b, n.subject)
	b = appendString(b, n.issuer)
	b = appendBytes(b, n.ski)
	b = appendBytes(b, n.aki)
	b = appendBytes(b, n.spki)
	b = appendString(b, n.keyKind)
	b = binary.AppendVarint(b, int64(n.sigAlg))
	b = appendBytes(b, n.digest)
	b = appendBytes(b, n.sig)
	b = binary.AppendVarint(b, n.notBefore)
	b = binary.AppendVarint(b, n.notAfter)
	b = binary.AppendVarint(b, int64(n.maxPathLen))
	b = appendStrings(b, n.unknownCritical)
	b = binary.AppendUvarint(b, uint64(len(n.otherForms)))
	for _, t := range n.otherForms {
		b = binary.AppendVarint(b, int64(t))
	}
	if n.names != nil {
		b = appendStrings(b, n.names.dns)
		b = appendStrings(b, n.names.email)
		b = appendStrings(b, n.names.uri)
		b = binary.AppendUvarint(b, uint64(len(n.names.ip)))
		for _, ip := range n.names.ip {
			b = appendBytes(b, ip)
		}
	}
	b = appendString(b, n.serial)
	b = appendString(b, n.subjectSN)
	b = appendString(b, n.display)
	b = append(b, n.sha256[:]...)
	b = appendOrigin(b, n.origin)
	b = binary.AppendVarint(b, int64(n.index))
	if n.matter != nil {
		var mf byte
		for i, set := range []bool{n.matter.HasVID, n.matter.HasPID, n.matter.FromCN} {
			if set {
				mf |= 1 << i
			}
		}
		b = append(b, mf)
		b = appendString(b, n.matter.VID)
		b = appendString(b, n.matter.PID)
	}
	return b
}

// errNodeRecord is returned for a record of the node spool that does not
// decode: the spool file was changed while iotcert ran.
var errNodeRecord = errors.New("malformed record in the node spool")

// nodeReader decodes one record of the node spool or of the result spool
// (resultcodec.go).
type nodeReader struct {
	b   []byte
	err error
}

func (r *nodeReader) byte() byte {
	if len(r.b) == 0 {
		r.err = errNodeRecord
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *nodeReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errNodeRecord
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *nodeReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errNodeRecord
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// raw returns the next length-prefixed field, sharing r's buffer.
func (r *nodeReader) raw() []byte {
	l := r.uvarint()
	if l > uint64(len(r.b)) {
		r.err = errNodeRecord
		r.b = nil
		return nil
	}
	v := r.b[:l:l]
	r.b = r.b[l:]
	return v
}

func (r *nodeReader) bytes() []byte { return clone(r.raw()) }

func (r *nodeReader) string() string { return string(r.raw()) }

func (r *nodeReader) strings() []string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errNodeRecord
		return nil
	}
	var out []string
	for range n {
		out = append(out, r.string())
	}
	return out
}

// decodeNode decodes a record of appendNode.
func decodeNode(b []byte) (*Node, error) {
	r := &nodeReader{b: b}
	flags := r.byte()
	n := &Node{
		role: role.Role(r.byte()),
		crl:  crlFacts(r.byte()),
	}
	n.noExpiry, n.isCA, n.cA = flags&nfNoExpiry != 0, flags&nfIsCA != 0, flags&nfCA != 0
	n.hasKU, n.kuCertSign, n.tlsEKU = flags&nfHasKU != 0, flags&nfKUCertSign != 0, flags&nfTLSEKU != 0
	n.subject = r.string()
	n.issuer = r.string()
	n.ski = r.bytes()
	n.aki = r.bytes()
	n.spki = r.bytes()
	n.keyKind = internKind(r.string())
	n.sigAlg = x509.SignatureAlgorithm(r.varint())
	n.digest = r.bytes()
	n.sig = r.bytes()
	n.notBefore = r.varint()
	n.notAfter = r.varint()
	n.maxPathLen = int(r.varint())
	n.unknownCritical = r.strings()
	if k := r.uvarint(); k > 0 && k <= uint64(len(r.b)) {
		for range k {
			n.otherForms = append(n.otherForms, int(r.varint()))
		}
	}
	if flags&nfNames != 0 {
		n.names = &sanNames{dns: r.strings(), email: r.strings(), uri: r.strings()}
		if k := r.uvarint(); k > 0 && k <= uint64(len(r.b)) {
			for range k {
				n.names.ip = append(n.names.ip, net.IP(r.bytes()))
			}
		}
	}
	n.serial = r.string()
	n.subjectSN = r.string()
	n.display = r.string()
	if len(r.b) < len(n.sha256) {
		return nil, errNodeRecord
	}
	copy(n.sha256[:], r.b)
	r.b = r.b[len(n.sha256):]
	n.origin = r.origin()
	n.index = int(r.varint())
	if flags&nfMatter != 0 {
		mf := r.byte()
		n.matter = &matter.IDs{HasVID: mf&mfHasVID != 0, HasPID: mf&mfHasPID != 0, FromCN: mf&mfFromCN != 0}
		n.matter.VID = r.string()
		n.matter.PID = r.string()
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errNodeRecord
	}
	return n, nil
}

// internKind returns the shared copy of a key kind that keyKind returns
// for the common kinds.
func internKind(k string) string {
	switch k {
	case kindP256:
		return kindP256
	case kindP384:
		return kindP384
	case kindP521:
		return kindP521
	case kindEd25519:
		return kindEd25519
	}
	return k
}
