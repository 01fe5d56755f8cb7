package profile

import (
	"fmt"

	"github.com/iotcert/iotcert/c509"
)

// SizeBudget is the size limit a profile sets on what a device receives
// over a constrained link (rules.yaml "size_budget"): the chain of every
// certificate that issued none of the others, as the TLS 1.3 / DTLS 1.3
// Certificate message carries it, and each certificate on its own. The
// bundle checks w_chain_size_budget and w_chain_cert_size_budget report
// what exceeds it.
type SizeBudget struct {
	// Chain limits the Certificate message of each chain (c509.Measure's
	// plain size); nil for no limit.
	Chain *c509.Budget
	// Certificate limits each certificate; nil for no limit.
	Certificate *c509.Budget
	// Encoding is the encoding that counts: "der" (X.509 as TLS carries
	// it) or "c509" (~C509Certificate, as TLS and COSE carry C509).
	Encoding string
	// TrustAnchor counts the trust anchor in the chain (a peer that sends
	// its root); by default the chain is counted without it, as a peer
	// that already holds the anchor is sent.
	TrustAnchor bool
}

// Encodings a SizeBudget can count.
const (
	EncodingDER  = "der"
	EncodingC509 = "c509"
)

// sizeBudgetSpec is "size_budget" in rules.yaml.
type sizeBudgetSpec struct {
	Chain       string `yaml:"chain"`
	Certificate string `yaml:"certificate"`
	Encoding    string `yaml:"encoding"`
	TrustAnchor bool   `yaml:"trust_anchor"`
}

// compile checks s and returns the budget it sets, or nil when it sets
// neither a chain nor a certificate limit.
func (s *sizeBudgetSpec) compile() (*SizeBudget, error) {
	b := &SizeBudget{Encoding: EncodingDER, TrustAnchor: s.TrustAnchor}
	switch s.Encoding {
	case "", EncodingDER:
	case EncodingC509:
		b.Encoding = EncodingC509
	default:
		return nil, fmt.Errorf("encoding %q: want der or c509", s.Encoding)
	}
	for _, l := range []struct {
		key, value string
		dst        **c509.Budget
	}{{"chain", s.Chain, &b.Chain}, {"certificate", s.Certificate, &b.Certificate}} {
		if l.value == "" {
			continue
		}
		bu, err := c509.ParseBudget(l.value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l.key, err)
		}
		*l.dst = &bu
	}
	if b.Chain == nil && b.Certificate == nil {
		return nil, nil
	}
	return b, nil
}
