// Package iotcert is the root of the iotcert module. It embeds the default
// rules file (rules.yaml, see DefaultRules); everything else lives in the
// sub-packages:
//
//   - certio reads certificates (PEM, DER, PKCS#7, PKCS#12; files,
//     directories and standard input), each with its origin;
//   - lints holds the IoT certificate lints, registered in zlint's registry,
//     and the rules catalogue they check;
//   - role names certificate roles (root, subordinate, link, end entity,
//     IDevID, LDevID);
//   - profile loads rules files and lints one certificate, or a
//     to-be-signed one, with a profile: the library entry point;
//   - bundle builds the chains of a set of certificates and runs the chain
//     checks;
//   - report writes text, JSON, SARIF and JUnit reports and chain diagrams;
//   - idevid encodes IEEE 802.1AR device identity fields;
//   - matter reads the vendor and product IDs a Matter certificate's DN
//     carries, for the lints and the chain checks alike;
//   - ldevid turns a hierarchy spec into certificates: CAs, devices and
//     CSR signing, each linted before it is signed;
//   - batch issues the devices of a CSV with an ldevid hierarchy on every
//     core, crash-safe and journaled;
//   - keys makes, keeps and opens private keys: PEM files (with a
//     passphrase), any go.step.sm/crypto/kms key manager, PKCS#11 tokens;
//   - store is the on-disk layout of an output directory: CA and device
//     directories, devices.jsonl, the journal, and the crash-safe
//     publication of a batch;
//   - roll replaces a root key (RFC 9810 §4.4) and proves which devices
//     validate what;
//   - c509 re-encodes certificates as C509 (CBOR-encoded X.509) and back,
//     and measures what a chain costs on the wire;
//   - serve is the REST lint service and web page of "iotcert serve";
//   - inventory records every issued certificate (a Store interface, kept
//     in SQLite);
//   - est is the EST enrollment server (RFC 7030) of "iotcert est": LDevIDs
//     for IDevID-authenticated devices.
//
// The command is cmd/iotcert.
package iotcert

import (
	_ "embed"
	"slices"
)

//go:generate go run ./internal/gencerts -out testdata/certs

//go:embed rules.yaml
var defaultRules []byte

// DefaultRules returns a copy of the embedded default rules.yaml.
func DefaultRules() []byte {
	return slices.Clone(defaultRules)
}

// DefaultRulesName is the name under which errors in the embedded default
// rules file are reported.
const DefaultRulesName = "rules.yaml (embedded default)"
