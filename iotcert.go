// Package iotcert is the root of the iotcert module. It embeds the default
// rules file; everything else lives in the sub-packages: lints (the
// certificate lints), profile (rules.yaml and the linting engine), certio
// (reading certificates), report (output formats) and role (certificate
// roles). The command is cmd/iotcert.
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
