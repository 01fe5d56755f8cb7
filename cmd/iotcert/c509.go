package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"

	"github.com/iotcert/iotcert/c509"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/boundedread"
)

const c509Synopsis = `c509 encode FILE [--out F]
       iotcert c509 decode FILE [--der] [--out F]
       iotcert c509 verify FILE --issuer CA [--x509 CERT]

encode re-encodes the one X.509 certificate of FILE (PEM, DER, PKCS#7 or
PKCS#12; - for standard input) as a C509 certificate of type 3 (CBOR
re-encoded X.509, draft-ietf-cose-cbor-encoded-cert) and writes the CBOR
array C509Certificate, in binary. decode reads a C509Certificate (or the
unwrapped CBOR sequence ~C509Certificate) and writes the X.509 certificate
it re-encodes, byte for byte, as PEM (or DER with --der). verify checks
the issuer's signature on a C509 certificate of type 2 (natively signed,
the cert.c509 of "iotcert gen") or 3 with the public key of the CA
certificate in CA, and with --x509 that it says what the X.509 certificate
CERT says (for type 2: the TBSCertificate "iotcert gen" signs for CERT;
for type 3: CERT byte for byte).

Exit status: 0 done (verify: verified), 1 C509 cannot represent the
certificate or verify failed (the reason is printed), 2 usage error or
input that is not a certificate.`

func runC509(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "encode" && args[0] != "decode" && args[0] != "verify") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprintf(stdout, "Usage: iotcert %s\n", c509Synopsis)
			return exitOK
		}
		fmt.Fprintf(stderr, "Usage: iotcert %s\n", c509Synopsis)
		return exitUsage
	}
	verb := args[0]
	fs := newFlagSet("c509 "+verb, c509Synopsis, stderr)
	var out, issuer, twin *string
	if verb == "verify" {
		issuer = fs.String("issuer", "", "the issuing CA's certificate `CA` (PEM, DER, PKCS#7 or PKCS#12 holding one certificate)")
		twin = fs.String("x509", "", "also check that FILE says what the X.509 certificate `CERT` says")
	} else {
		out = fs.String("out", "", "write to `FILE` instead of standard output")
	}
	asDER := false
	if verb == "decode" {
		fs.BoolVar(&asDER, "der", false, "write DER instead of PEM")
	}
	paths, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return flagExit(err)
	}
	if len(paths) != 1 {
		fmt.Fprintf(stderr, "iotcert c509 %s: want one FILE (or - for standard input), got %d\n", verb, len(paths))
		return exitUsage
	}
	if verb == "verify" {
		if *issuer == "" {
			fmt.Fprintln(stderr, "iotcert c509 verify: --issuer CA is required: the certificate of the CA that signed FILE")
			return exitUsage
		}
		return c509Verify(paths[0], *issuer, *twin, stdin, stdout, stderr)
	}
	var result []byte
	var status int
	if verb == "encode" {
		result, status = c509Encode(paths[0], stdin, stderr)
	} else {
		result, status = c509Decode(paths[0], stdin, asDER, stderr)
	}
	if status != exitOK {
		return status
	}
	if *out == "" {
		_, err = stdout.Write(result)
	} else {
		err = writeOutFile(*out, result)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iotcert c509 %s: %v\n", verb, err)
		return exitUsage
	}
	return exitOK
}

// c509Encode reads the one certificate of path and returns its C509
// encoding.
func c509Encode(path string, stdin io.Reader, stderr io.Writer) ([]byte, int) {
	der, err := readOneCert(path, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert c509 encode: %v\n", err)
		return nil, exitUsage
	}
	out, err := c509.Encode(der)
	return out, c509Status("encode", path, err, stderr)
}

// readOneCert returns the DER of the one certificate of path (- for
// stdin); a file with another number of certificates is an error.
func readOneCert(path string, stdin io.Reader) ([]byte, error) {
	var certs []certio.Item
	for it := range certio.Read([]string{path}, stdin) {
		if it.Err != nil {
			return nil, it.Err
		}
		certs = append(certs, it)
	}
	if len(certs) != 1 {
		return nil, fmt.Errorf("%s holds %d certificates: want exactly one", path, len(certs))
	}
	return certs[0].DER, nil
}

// readC509 reads the C509 certificate of path (- for stdin), refusing
// one larger than c509.MaxSize.
func readC509(path string, stdin io.Reader) ([]byte, error) {
	if path == "-" {
		return boundedread.Read(stdin, "standard input", c509.MaxSize)
	}
	return boundedread.ReadFile(path, c509.MaxSize)
}

// c509Verify checks the issuer's signature on the C509 certificate of
// path with the certificate of the CA in issuerPath and, when twinPath is
// given, that it says what that X.509 certificate says.
func c509Verify(path, issuerPath, twinPath string, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(status int, format string, a ...any) int {
		fmt.Fprintf(stderr, "iotcert c509 verify: "+format+"\n", a...)
		return status
	}
	data, err := readC509(path, stdin)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	issuerDER, err := readOneCert(issuerPath, nil)
	if err != nil {
		return fail(exitUsage, "--issuer: %v", err)
	}
	ca, err := x509.ParseCertificate(issuerDER)
	if err != nil {
		return fail(exitUsage, "--issuer: %s: %v", issuerPath, err)
	}
	var twin []byte
	if twinPath != "" {
		if twin, err = readOneCert(twinPath, nil); err != nil {
			return fail(exitUsage, "--x509: %v", err)
		}
	}
	typ, err := c509.Type(data)
	if err != nil {
		return fail(exitUsage, "%s: %v", path, err)
	}
	var cert []byte // the X.509 certificate whose issuer names the CA
	switch typ {
	case c509.TypeNative:
		if err := c509.VerifyNative(data, ca.PublicKey); err != nil {
			return fail(exitFindings, "%s: the signature does not verify with the key of %s (%s): %v", path, issuerPath, ca.Subject, err)
		}
		if twin != nil {
			if err := c509.MatchesX509(data, twin); err != nil {
				return fail(exitFindings, "%s: not the content of %s: %v", path, twinPath, err)
			}
			cert = twin
		}
	default:
		der, err := c509.Decode(data)
		if status := c509Status("verify", path, err, stderr); status != exitOK {
			return status
		}
		if twin != nil && !bytes.Equal(der, twin) {
			return fail(exitFindings, "%s: not the content of %s: it decodes to another certificate", path, twinPath)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fail(exitUsage, "%s: the certificate it decodes to: %v", path, err)
		}
		if err := c.CheckSignatureFrom(ca); err != nil {
			return fail(exitFindings, "%s: the signature does not verify with %s (%s): %v", path, issuerPath, ca.Subject, err)
		}
		cert = der
	}
	if cert != nil {
		c, err := x509.ParseCertificate(cert)
		if err != nil {
			return fail(exitUsage, "--x509: %s: %v", twinPath, err)
		}
		if !bytes.Equal(c.RawIssuer, ca.RawSubject) {
			return fail(exitFindings, "%s: its issuer (%s) is not the subject of %s (%s)", path, c.Issuer, issuerPath, ca.Subject)
		}
		if typ == c509.TypeNative {
			if err := c.CheckSignatureFrom(ca); err != nil {
				return fail(exitFindings, "--x509: %s: the signature does not verify with %s (%s): %v", twinPath, issuerPath, ca.Subject, err)
			}
		}
	}
	what := "type 3 (re-encoded X.509)"
	if typ == c509.TypeNative {
		what = "type 2 (natively signed)"
	}
	fmt.Fprintf(stdout, "%s: C509 certificate of %s: signed by %s", path, what, ca.Subject)
	if twin != nil {
		fmt.Fprintf(stdout, "; says what %s says", twinPath)
	}
	fmt.Fprintln(stdout)
	return exitOK
}

// c509Decode reads a C509 certificate and returns its X.509 certificate.
func c509Decode(path string, stdin io.Reader, asDER bool, stderr io.Writer) ([]byte, int) {
	data, err := readC509(path, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert c509 decode: %v\n", err)
		return nil, exitUsage
	}
	der, err := c509.Decode(data)
	if status := c509Status("decode", path, err, stderr); status != exitOK {
		return nil, status
	}
	if asDER {
		return der, exitOK
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), exitOK
}

// c509Status reports err, located at path: 1 for a certificate C509
// cannot represent, 2 for anything else.
func c509Status(verb, path string, err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "iotcert c509 %s: %s: %v\n", verb, path, err)
	var ue *c509.UnsupportedError
	if errors.As(err, &ue) {
		return exitFindings
	}
	return exitUsage
}
