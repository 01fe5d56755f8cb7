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
//
// Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 on a
// usage error, a rules file error or an input that is not a certificate.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

const usage = `iotcert: keeps IoT device PKIs honest.

Usage:
  iotcert lint [flags] PATH...   lint certificates and their chains (PEM, DER, PKCS#7, PKCS#12, directories, - for stdin)
  iotcert graph [flags] PATH...  draw the hierarchy as Mermaid or DOT, coloured by worst finding
  iotcert rules [flags]          list lints with level, roles, source and citation
  iotcert profiles [flags]       list the profiles of the rules
  iotcert gen example            print a commented example hierarchy spec
  iotcert gen hierarchy SPEC --out DIR          create the CAs of a spec
  iotcert gen device SPEC --out DIR --ca NAME --id ID [--set NAME=VALUE ...]
                                 issue one device certificate and key
  iotcert gen devices SPEC --out DIR --from devices.csv [--ca NAME] [--workers N] [--layout dirs|jsonl]
                                 issue a batch of devices (resumable, journaled)
  iotcert sign SPEC --ca NAME --csr FILE [--out FILE]   sign a device's CSR
  iotcert roll plan|execute|verify --old DIR/<root> ...  root CA key rollover
  iotcert serve [--listen 127.0.0.1:8080] [--trust NAME=FILE ...] [--tls-cert FILE --tls-key FILE]
                                 REST lint API, web page and metrics for stations and CA software
  iotcert c509 encode|decode FILE [--der] [--out F]     X.509 <-> C509 (CBOR-encoded X.509)
  iotcert size [--budget BYTES|NAME] [--format text|json] PATH...  chain sizes: DER, C509, RFC 8879 compression
  iotcert est --spec SPEC --dir DIR --listen ADDR --tls-cert F --tls-key F --idevid-trust F --db F
                                 EST server (RFC 7030): IDevID-authenticated LDevID enrollment
  iotcert inventory list|show|export|import|revoke --db FILE   the issued certificates
  iotcert help [COMMAND]         show help

Run "iotcert help COMMAND" for a command's flags.
Exit status: 0 ok, 1 findings at or above --fail-on (gen, sign: refused to
sign, roll: refused), 2 usage, rules, spec or input error.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "lint":
		return runLint(rest, stdin, stdout, stderr)
	case "graph":
		return runGraph(rest, stdin, stdout, stderr)
	case "rules":
		return runRules(rest, stdout, stderr)
	case "profiles":
		return runProfiles(rest, stdout, stderr)
	case "gen":
		return runGen(rest, stdout, stderr)
	case "sign":
		return runSign(rest, stdin, stdout, stderr)
	case "roll":
		return runRoll(rest, stdout, stderr)
	case "serve":
		return runServe(rest, stdout, stderr)
	case "c509":
		return runC509(rest, stdin, stdout, stderr)
	case "size":
		return runSize(rest, stdin, stdout, stderr)
	case "inventory":
		return runInventory(rest, stdin, stdout, stderr)
	case "est":
		return runEst(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		return runHelp(rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "iotcert: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	switch args[0] {
	case "lint":
		return runLint([]string{"-h"}, nil, stdout, stdout)
	case "graph":
		return runGraph([]string{"-h"}, nil, stdout, stdout)
	case "rules":
		return runRules([]string{"-h"}, stdout, stdout)
	case "profiles":
		return runProfiles([]string{"-h"}, stdout, stdout)
	case "gen":
		return runGen([]string{"-h"}, stdout, stdout)
	case "sign":
		return runSign([]string{"-h"}, nil, stdout, stdout)
	case "roll":
		return runRoll([]string{"-h"}, stdout, stdout)
	case "serve":
		return runServe([]string{"-h"}, stdout, stdout)
	case "c509":
		return runC509([]string{"-h"}, nil, stdout, stdout)
	case "size":
		return runSize([]string{"-h"}, nil, stdout, stdout)
	case "inventory":
		return runInventory([]string{"-h"}, nil, stdout, stdout)
	case "est":
		return runEst([]string{"-h"}, stdout, stdout)
	}
	fmt.Fprintf(stderr, "iotcert: no help for %q\n", args[0])
	return exitUsage
}
