// Command iotcert lints the certificates of IoT device PKIs against the
// TLS/DTLS 1.3 IoT certificate profile, RFC 7925 and IEEE 802.1AR.
//
//	iotcert lint [flags] PATH...     lint files, directories or - (stdin)
//	iotcert graph [flags] PATH...    draw the certificate hierarchy (Mermaid or DOT)
//	iotcert rules [flags]            list the lints of a profile
//	iotcert profiles [flags]         list the profiles
//	iotcert gen example|hierarchy|device|devices ...   generate IDevID/LDevID hierarchies
//	iotcert sign SPEC --ca NAME --csr FILE     sign a device's CSR
//	iotcert roll plan|execute|verify ...       root CA key rollover
//	iotcert serve [flags]                      REST lint API, web page and metrics
//	iotcert c509 encode|decode FILE             X.509 <-> C509
//	iotcert size [flags] PATH...                chain sizes against a budget
//	iotcert est --spec SPEC --dir DIR ...       EST enrollment server (RFC 7030)
//	iotcert inventory list|show|export|import|revoke   the inventory of issued certificates
//	iotcert version                             version, VCS revision, zlint and Go versions
//	iotcert completion bash|zsh|fish            shell completion script
//
// "iotcert help COMMAND" and "iotcert COMMAND --help" show a command's help
// and examples on standard output. The command tree is in cli.go.
//
// Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 on a
// usage error, a rules file error or an input that is not a certificate,
// 130 when interrupted.
package main

import (
	"os"

	"github.com/iotcert/iotcert/internal/startgc"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

func main() {
	startgc.Done()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
