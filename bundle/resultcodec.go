package bundle

import (
	"encoding/binary"
	"errors"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// The result spool (spool.go) keeps the results of a run on disk until
// they are replayed. appendResult and decodeResult are its record format:
// the fields of a profile.Result, lengths as uvarints, in a fixed order,
// as appendNode writes Nodes. It replaced encoding/gob, whose package
// initialisation and per-stream type compilation cost a process that
// lints one certificate about 0.7 ms. TestResultRecordAllFields fails
// when a field is added to Result and not to the record.

// Result record flags.
const (
	rfFindings = 1 << iota // Findings is not nil (it may be empty)
	rfPath                 // Path is not nil
)

// errResultRecord is returned for a record of the result spool that does
// not decode: the spool file was changed while iotcert ran.
var errResultRecord = errors.New("malformed record in the result spool")

func appendOrigin(b []byte, o certio.Origin) []byte {
	b = appendString(b, o.File)
	b = binary.AppendVarint(b, int64(o.Index))
	b = binary.AppendVarint(b, o.Offset)
	b = binary.AppendVarint(b, int64(o.Line))
	return appendString(b, o.ID)
}

func (r *nodeReader) origin() certio.Origin {
	return certio.Origin{File: r.string(), Index: int(r.varint()), Offset: r.varint(), Line: int(r.varint()), ID: r.string()}
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// appendResult appends the record of res to b.
func appendResult(b []byte, res *profile.Result) []byte {
	var flags byte
	if res.Findings != nil {
		flags |= rfFindings
	}
	if res.Path != nil {
		flags |= rfPath
	}
	b = append(b, flags)
	b = appendOrigin(b, res.Origin)
	b = appendString(b, res.Subject)
	b = appendString(b, res.Serial)
	b = appendString(b, res.SHA256)
	b = appendString(b, res.Role)
	b = binary.AppendUvarint(b, uint64(len(res.Findings)))
	for _, f := range res.Findings {
		b = appendString(b, f.Lint)
		b = append(b, byte(f.Level))
		b = appendString(b, f.Details)
		b = appendString(b, f.Citation)
		b = appendString(b, f.Source)
	}
	if p := res.Path; p != nil {
		b = appendBool(b, p.Valid)
		b = appendString(b, p.Anchors)
		b = appendString(b, p.At)
		b = binary.AppendUvarint(b, uint64(len(p.Chain)))
		for _, c := range p.Chain {
			b = appendString(b, c.Subject)
			b = appendOrigin(b, c.Origin)
			b = appendString(b, c.SHA256)
			b = appendBool(b, c.Anchor)
		}
		b = binary.AppendVarint(b, int64(p.Omitted))
		b = appendString(b, p.Reason)
	}
	return b
}

// decodeResult decodes a record of appendResult.
func decodeResult(b []byte) (profile.Result, error) {
	r := &nodeReader{b: b}
	flags := r.byte()
	res := profile.Result{Origin: r.origin(), Subject: r.string(), Serial: r.string(), SHA256: r.string(), Role: r.string()}
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return profile.Result{}, errResultRecord
	}
	if flags&rfFindings != 0 {
		res.Findings = make([]profile.Finding, 0, n)
	}
	for range n {
		res.Findings = append(res.Findings, profile.Finding{Lint: r.string(), Level: profile.Level(r.byte()), Details: r.string(), Citation: r.string(), Source: r.string()})
	}
	if flags&rfPath != 0 {
		p := &profile.Path{Valid: r.byte() != 0, Anchors: r.string(), At: r.string()}
		n := r.uvarint()
		if n > uint64(len(r.b)) {
			return profile.Result{}, errResultRecord
		}
		for range n {
			p.Chain = append(p.Chain, profile.PathCert{Subject: r.string(), Origin: r.origin(), SHA256: r.string(), Anchor: r.byte() != 0})
		}
		p.Omitted = int(r.varint())
		p.Reason = r.string()
		res.Path = p
	}
	if r.err != nil || len(r.b) != 0 {
		return profile.Result{}, errResultRecord
	}
	return res, nil
}
