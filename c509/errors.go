package c509

import "fmt"

// UnsupportedError reports a well-formed certificate that C509 cannot
// represent, or that this package does not implement.
type UnsupportedError struct {
	Field  string // the certificate field, e.g. "subject" or "extension 2.5.29.30"
	Reason string // why it cannot be represented
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("c509: cannot represent %s: %s", e.Field, e.Reason)
}

// SyntaxError reports input that is not a well-formed certificate: DER that
// does not parse, or CBOR that is not a C509Certificate.
type SyntaxError struct {
	Field  string // the field being read
	Offset int    // byte offset of the field in the input, -1 when unknown
	Msg    string
}

func (e *SyntaxError) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("c509: malformed %s at byte %d: %s", e.Field, e.Offset, e.Msg)
	}
	return fmt.Sprintf("c509: malformed %s: %s", e.Field, e.Msg)
}

func unsupported(field, format string, args ...any) error {
	return &UnsupportedError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

func malformed(field, format string, args ...any) error {
	return &SyntaxError{Field: field, Offset: -1, Msg: fmt.Sprintf(format, args...)}
}
