package ldevid

import (
	"fmt"

	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

// Entry returns the journal line of dev, issued under the device profile
// called device with the template fields fields: its serial, hash,
// issuing CA, profile, fields and findings, at the hierarchy's time.
func (h *Hierarchy) Entry(device string, dev *Issued, fields map[string]string) store.JournalEntry {
	serial, digest := dev.identity()
	e := store.JournalEntry{Time: h.now().UTC(), ID: dev.ID, Status: store.StatusIssued, Serial: serial, SHA256: digest,
		Profile: device, Fields: fieldsOf(fields), Findings: findingStrings(dev.Result), NotAfter: dev.Cert.NotAfter.UTC()}
	if d := h.spec.Device(device); d != nil {
		e.CA = d.CA
	}
	return e
}

// fieldsOf copies fields for the journal (nil when empty).
func fieldsOf(fields map[string]string) map[string]string {
	if len(fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[k] = v
	}
	return out
}

// findingStrings are the journal's findings of r: warnings and notices.
func findingStrings(r profile.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, fmt.Sprintf("%s %s: %s", f.Level, f.Lint, f.Details))
	}
	return out
}
