package certio

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
)

// This file reads JSON lines: the devices.jsonl of "iotcert gen devices
// --layout jsonl", one record a line, each with the device's certificate
// as PEM in its "cert" field (and its private key, never decoded nor
// printed, in "key"), and the issuance journal (journal.jsonl), whose
// lines record issuance and hold no certificate: it is skipped and
// counted in Stats.Journals.

// isJSONLines reports whether data, the start of an input, starts with a
// JSON object (after white space): JSON lines, never PEM, DER or base64.
func isJSONLines(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// jsonRecord is what is read of a JSON line: a devices.jsonl record has
// a certificate, a journal line a status. Other fields (the private key)
// are not decoded.
type jsonRecord struct {
	ID     *string `json:"id"`
	Cert   *string `json:"cert"`
	Status *string `json:"status"`
	Key    present `json:"key"`
	KeyRef present `json:"key_ref"`
}

// present records that a field is there without decoding its value.
type present bool

// UnmarshalJSON sets p without looking at data.
func (p *present) UnmarshalJSON([]byte) error {
	*p = true
	return nil
}

// decodeJSONL yields the certificate of each devices.jsonl record of the
// input in w, located at its line (Origin.Line, Offset) and device id
// (Origin.ID). A line that is not a JSON object, or a record whose
// certificate does not decode, is an error at its line (the line's text
// is never printed: it may hold a key); a line longer than MaxBlockSize
// is refused. An input whose first line is neither a record nor a journal
// line is one error; journal lines are skipped, and an input of journal
// lines alone is counted in Stats.Journals.
func decodeJSONL(name string, w *window, yield func(Item) bool) bool {
	index, line, journal := 0, 0, false
	pos := w.base
	for {
		w.discardTo(pos)
		at, _ := w.first(pos, pos+MaxBlockSize, []byte{'\n'}, []byte{'\n'})
		line++
		switch {
		case at == tooFar:
			err := fmt.Errorf("%w: JSON line longer than %d bytes, not read", ErrBlockTooLarge, MaxBlockSize)
			if !yield(errorItem(Origin{File: name, Index: index, Offset: pos, Line: line}, err.Error(), err)) {
				return false
			}
			index++
			if pos = w.seek(pos+MaxBlockSize, []byte{'\n'}); pos < 0 {
				return true
			}
			pos++
			continue
		case at < 0 && w.err != nil:
			return yield(errorItem(Origin{File: name, Index: index, Offset: w.end()}, "reading: "+describe(w.err), w.err))
		case at < 0:
			at = w.end()
		}
		text := bytes.TrimSpace(w.buf()[pos-w.base : at-w.base])
		origin := Origin{File: name, Index: index, Offset: pos, Line: line}
		if len(text) > 0 {
			it, kind := decodeJSONLine(origin, text, w.stats)
			switch {
			case kind == jsonJournal:
				journal = true
			case index == 0 && !journal && kind == jsonOther:
				// Not JSON lines iotcert writes: one error for the input.
				return yield(errorItem(Origin{File: name}, "not a certificate: JSON, but neither devices.jsonl records (with a \"cert\" field) nor a journal", nil))
			default:
				index++
				if !yield(it) {
					return false
				}
			}
		}
		if at >= w.end() {
			break
		}
		pos = at + 1
	}
	switch {
	case index > 0:
	case journal:
		if w.stats != nil {
			w.stats.Journals++
		}
	default:
		return yield(errorItem(Origin{File: name}, "empty input: no certificate found", ErrNoCertificate))
	}
	return true
}

// Kinds of JSON line.
const (
	jsonRecordLine = iota // a devices.jsonl record, or a malformed line
	jsonJournal           // a journal line
	jsonOther             // a JSON object that is neither
)

// decodeJSONLine decodes one JSON line at origin: the certificate of a
// devices.jsonl record, or an error. Its private key is counted in st.
func decodeJSONLine(origin Origin, text []byte, st *Stats) (Item, int) {
	var rec jsonRecord
	if err := json.Unmarshal(text, &rec); err != nil {
		// The message of a syntax or type error is not printed: it can
		// quote the line.
		var se *json.SyntaxError
		at := ""
		if errors.As(err, &se) {
			at = fmt.Sprintf(" (at byte %d of the line)", se.Offset)
		}
		return errorItem(origin, fmt.Sprintf("line %d: not a JSON object%s", origin.Line, at), nil), jsonRecordLine
	}
	if rec.Key || rec.KeyRef {
		if st != nil {
			st.PrivateKeys++
		}
	}
	switch {
	case rec.Cert == nil && rec.Status != nil:
		return Item{}, jsonJournal
	case rec.Cert == nil:
		return errorItem(origin, fmt.Sprintf("line %d: no \"cert\" field", origin.Line), nil), jsonOther
	}
	where := fmt.Sprintf("line %d", origin.Line)
	if rec.ID != nil {
		origin.ID = *rec.ID
		where += fmt.Sprintf(" (id %q)", *rec.ID)
	}
	block, rest := pem.Decode([]byte(*rec.Cert))
	switch {
	case block == nil || !certificateBlock(block.Type):
		return errorItem(origin, where+": \"cert\" is not a PEM CERTIFICATE block", nil), jsonRecordLine
	case len(block.Bytes) == 0:
		return errorItem(origin, where+": empty CERTIFICATE PEM block", nil), jsonRecordLine
	case len(bytes.TrimSpace(rest)) > 0:
		return errorItem(origin, where+": \"cert\" holds more than one PEM block", nil), jsonRecordLine
	}
	return Item{Origin: origin, DER: block.Bytes}, jsonRecordLine
}
