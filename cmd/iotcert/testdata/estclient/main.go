// Command estclient is an EST device made with the client of
// github.com/globalsign/est, an independent implementation of RFC 7030,
// for the end-to-end tests of "iotcert est" (cmd/iotcert
// TestESTGlobalSignClient).
//
// It is a module of its own: globalsign/est v1.0.6 compiles against
// github.com/google/go-tpm v0.3.2 only, and iotcert's module needs go-tpm
// v0.9 (through go.step.sm/crypto), whose tpm2 package no longer has the
// DecodePublic that globalsign/est calls.
//
// Usage:
//
//	estclient -host HOST:PORT -anchor FILE [-label L] [-cert FILE -key FILE] cacerts|csrattrs
//	estclient -host HOST:PORT -anchor FILE [-label L] [-cert FILE -key FILE] -csr FILE enroll|reenroll
//
// -anchor is the PEM certificate the server's TLS certificate must chain to
// (the client's explicit trust anchor, RFC 7030 §3.6.1); -cert is a PEM
// chain, the client certificate first, and -key its PKCS#8 PEM key; -csr is
// a PKCS#10 request, DER or PEM. It prints one JSON object: on success
// {"op", "status": 200, "certs": [base64 DER...]} for cacerts, enroll and
// reenroll, or {"op", "status": 200, "oids": [...], "attributes": [{"type",
// "values"}]} for csrattrs (values that are object identifiers in dotted
// form); on a refusal {"op", "status", "error"} with the HTTP status and the
// body the client read, status 0 when there was no HTTP answer. It exits 0
// on success, 1 on a refusal or failure, 2 on a usage error.
package main

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/globalsign/est"
)

// result is what estclient prints.
type result struct {
	Op         string      `json:"op"`
	Status     int         `json:"status"`
	Error      string      `json:"error,omitempty"`
	Certs      [][]byte    `json:"certs,omitempty"`
	OIDs       []string    `json:"oids,omitempty"`
	Attributes []attribute `json:"attributes,omitempty"`
}

// attribute is a CSR attribute of a csrattrs answer.
type attribute struct {
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("estclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "", "the EST server, HOST:PORT")
	anchor := fs.String("anchor", "", "PEM `file`: the trust anchor of the server's TLS certificate")
	label := fs.String("label", "", "the additional path segment (RFC 7030 §3.2.2)")
	certFile := fs.String("cert", "", "PEM `file`: the client certificate, then its CA certificates")
	keyFile := fs.String("key", "", "PKCS#8 PEM `file`: the client certificate's key")
	csrFile := fs.String("csr", "", "PKCS#10 `file`, DER or PEM: the request of enroll and reenroll")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "estclient: %s\n", msg)
		fs.Usage()
		return 2
	}
	if fs.NArg() != 1 {
		return usage("want one operation: cacerts, csrattrs, enroll or reenroll")
	}
	op := fs.Arg(0)
	if *host == "" || *anchor == "" {
		return usage("-host and -anchor are required")
	}
	if (*certFile == "") != (*keyFile == "") {
		return usage("-cert and -key go together")
	}
	enroll := op == "enroll" || op == "reenroll"
	if enroll && *csrFile == "" {
		return usage(op + " needs -csr")
	}

	c, err := newClient(*host, *anchor, *label, *certFile, *keyFile)
	if err != nil {
		fmt.Fprintf(stderr, "estclient: %v\n", err)
		return 2
	}
	var csr *x509.CertificateRequest
	if enroll {
		if csr, err = readCSR(*csrFile); err != nil {
			fmt.Fprintf(stderr, "estclient: %v\n", err)
			return 2
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := result{Op: op, Status: 200}
	switch op {
	case "cacerts":
		var certs []*x509.Certificate
		if certs, err = c.CACerts(ctx); err == nil {
			for _, cert := range certs {
				res.Certs = append(res.Certs, cert.Raw)
			}
		}
	case "csrattrs":
		var attrs est.CSRAttrs
		if attrs, err = c.CSRAttrs(ctx); err == nil {
			for _, oid := range attrs.OIDs {
				res.OIDs = append(res.OIDs, oid.String())
			}
			for _, a := range attrs.Attributes {
				at := attribute{Type: a.Type.String()}
				for _, v := range a.Values {
					if oid, ok := v.(asn1.ObjectIdentifier); ok {
						at.Values = append(at.Values, oid.String())
					} else {
						at.Values = append(at.Values, fmt.Sprint(v))
					}
				}
				res.Attributes = append(res.Attributes, at)
			}
		}
	case "enroll", "reenroll":
		var cert *x509.Certificate
		if op == "enroll" {
			cert, err = c.Enroll(ctx, csr)
		} else {
			cert, err = c.Reenroll(ctx, csr)
		}
		if err == nil {
			res.Certs = [][]byte{cert.Raw}
		}
	default:
		return usage(fmt.Sprintf("unknown operation %q", op))
	}
	code := 0
	if err != nil {
		res = result{Op: op, Error: err.Error()}
		var estErr est.Error
		if errors.As(err, &estErr) {
			res.Status = estErr.StatusCode()
		}
		code = 1
	}
	out, _ := json.Marshal(res)
	fmt.Fprintf(stdout, "%s\n", out)
	return code
}

// newClient makes the globalsign/est client.
func newClient(host, anchorFile, label, certFile, keyFile string) (*est.Client, error) {
	anchors, err := readCerts(anchorFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	for _, a := range anchors {
		pool.AddCert(a)
	}
	c := &est.Client{Host: host, AdditionalPathSegment: label, ExplicitAnchor: pool}
	if certFile != "" {
		if c.Certificates, err = readCerts(certFile); err != nil {
			return nil, err
		}
		if c.PrivateKey, err = readKey(keyFile); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// readCerts reads the PEM certificates of a file.
func readCerts(file string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	for b, rest := pem.Decode(data); b != nil; b, rest = pem.Decode(rest) {
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s: no PEM certificate", file)
	}
	return certs, nil
}

// readKey reads a PKCS#8 PEM private key.
func readKey(file string) (any, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, fmt.Errorf("%s: no PEM block", file)
	}
	key, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return key, nil
}

// readCSR reads a PKCS#10 request, PEM or DER.
func readCSR(file string) (*x509.CertificateRequest, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if b, _ := pem.Decode(data); b != nil {
		data = b.Bytes
	}
	csr, err := x509.ParseCertificateRequest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return csr, nil
}
