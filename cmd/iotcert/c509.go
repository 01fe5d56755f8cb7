package main

import (
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/iotcert/iotcert/c509"
	"github.com/iotcert/iotcert/certio"
)

const c509Synopsis = `c509 encode FILE [--out F]
       iotcert c509 decode FILE [--der] [--out F]

encode re-encodes the one X.509 certificate of FILE (PEM, DER, PKCS#7 or
PKCS#12; - for standard input) as a C509 certificate of type 3 (CBOR
re-encoded X.509, draft-ietf-cose-cbor-encoded-cert) and writes the CBOR
array C509Certificate, in binary. decode reads a C509Certificate (or the
unwrapped CBOR sequence ~C509Certificate) and writes the X.509 certificate
it re-encodes, byte for byte, as PEM (or DER with --der).

Exit status: 0 done, 1 C509 cannot represent the certificate (the reason is
printed), 2 usage error or input that is not a certificate.`

func runC509(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "encode" && args[0] != "decode") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprintf(stdout, "Usage: iotcert %s\n", c509Synopsis)
			return exitOK
		}
		fmt.Fprintf(stderr, "Usage: iotcert %s\n", c509Synopsis)
		return exitUsage
	}
	verb := args[0]
	fs := newFlagSet("c509 "+verb, c509Synopsis, stderr)
	out := fs.String("out", "", "write to `FILE` instead of standard output")
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
	var certs []certio.Item
	for it := range certio.Read([]string{path}, stdin) {
		if it.Err != nil {
			fmt.Fprintf(stderr, "iotcert c509 encode: %v\n", it.Err)
			return nil, exitUsage
		}
		certs = append(certs, it)
	}
	if len(certs) != 1 {
		fmt.Fprintf(stderr, "iotcert c509 encode: %s holds %d certificates: encode takes exactly one\n", path, len(certs))
		return nil, exitUsage
	}
	out, err := c509.Encode(certs[0].DER)
	return out, c509Status("encode", path, err, stderr)
}

// c509Decode reads a C509 certificate and returns its X.509 certificate.
func c509Decode(path string, stdin io.Reader, asDER bool, stderr io.Writer) ([]byte, int) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(stderr, "iotcert c509 decode: %v\n", err)
			return nil, exitUsage
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, c509.MaxSize+1))
	if err != nil {
		fmt.Fprintf(stderr, "iotcert c509 decode: %s: %v\n", path, err)
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
