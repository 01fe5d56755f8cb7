package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"path/filepath"

	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

const signSynopsis = `sign SPEC --ca NAME --csr FILE --id ID [--set NAME=VALUE ...] [--ignore-csr-names] [--reissue REASON] [--dir DIR] [--device PROFILE] [--profile P] [--out FILE] [--chain] [--passphrase-file [CA=]FILE | --passphrase-env [CA=]NAME] [--kms URI [--kms-pin-env NAME]] [--db FILE]

Signs a certificate request made by a device (its key never leaves it) for
the device ID: the subject and subjectAltName are rendered from the device
profile's templates for ID and the --set fields, exactly as "gen device"
does; the CSR contributes its key and the proof that the device holds it.
The CSR's signature and key curve are checked, and the names it asks for
must be the rendered ones (--ignore-csr-names takes the rendered names
whatever the CSR asks for). Only the issuing CA's key is opened: the CAs
above it need only their certificates. The certificate is linted before
it is signed, and journaled in DIR/journal.jsonl: an id is signed once
per device profile unless --reissue gives a reason. With --db it is
also recorded in the inventory database (see iotcert inventory). A refused CSR exits 1 with the reasons; an unreadable spec,
CSR or CA exits 2.`

func runSign(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("sign", signSynopsis, stderr)
	caName := fs.String("ca", "", "issuing CA `NAME`")
	csrFile := fs.String("csr", "", "certificate request `FILE` (PEM or DER; - for standard input)")
	id := fs.String("id", "", "device `ID` the certificate is for ({{.id}} in the templates; {{.serial}} too unless --set serial=...)")
	fields := setFlag{}
	fs.Var(fields, "set", "template field `NAME=VALUE` (repeatable), as a CSV column would give it")
	reissue := fs.String("reissue", "", "sign for an id issued before, for `REASON` (journaled with the serial it replaces)")
	ignoreNames := fs.Bool("ignore-csr-names", false, "take the rendered names and ignore those the CSR asks for (default: a CSR asking for other names is refused)")
	dir := fs.String("dir", ".", "the `DIR` of \"gen hierarchy\" holding DIR/<ca>/cert.pem and key.pem")
	device := fs.String("device", "", "device profile `NAME` of the spec (default: the one device profile of --ca)")
	lintProfile := fs.String("profile", "", "lint with profile `P` instead of the device profile's")
	out := fs.String("out", "", "write the certificate to `FILE` (default: standard output)")
	withChain := fs.Bool("chain", false, "write the CA certificates up to the root after the certificate")
	var kf keyFlags
	kf.register(fs, false)
	var dbf dbFlag
	dbf.register(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 || *caName == "" || *csrFile == "" || *id == "" {
		fmt.Fprintln(stderr, "iotcert sign: want one SPEC, --ca NAME, --csr FILE and --id ID (the device the certificate is for)")
		return exitUsage
	}
	if emptyReissue(fs) {
		fmt.Fprintln(stderr, "iotcert sign: "+reissueReasonMsg)
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "iotcert sign: %v\n", err)
		return exitUsage
	}
	csr, err := readCSR(*csrFile, stdin)
	if err != nil {
		return fail(err)
	}
	caKeys, _, err := kf.backends()
	if err != nil {
		return fail(err)
	}
	defer kf.kms.close()
	spec, err := ldevid.ReadSpec(pos[0])
	if err != nil {
		return fail(err)
	}
	if err := kf.checkCAs(spec); err != nil {
		return fail(err)
	}
	d, err := pickDevice(spec, *caName, *device)
	if err != nil {
		return fail(err)
	}
	if *lintProfile != "" {
		d.Profile = *lintProfile
	}
	h, err := ldevid.New(spec, ldevid.WithKeys(caKeys))
	if err != nil {
		return fail(err)
	}
	if err := h.LoadCAs(*dir, *caName, nil); err != nil {
		return fail(err)
	}
	jl, err := store.OpenJournal(*dir)
	if err != nil {
		return fail(err)
	}
	defer jl.Close()
	prev, _, err := checkReissue(jl, d.Name, *id, *reissue)
	if err != nil {
		return fail(err)
	}
	inv, err := dbf.open()
	if err != nil {
		return fail(err)
	}
	if inv != nil {
		defer inv.Close()
		if err := checkFree(inv, d.Name, *id, prev, *reissue != ""); err != nil {
			return fail(err)
		}
	}
	dev, err := h.SignCSR(ldevid.Request{Device: d.Name, ID: *id, Fields: fields}, csr, ldevid.CSROptions{IgnoreNames: *ignoreNames})
	if err != nil {
		return refusalExit("sign", err, stderr)
	}
	for _, f := range dev.Result.Findings {
		fmt.Fprintf(stderr, "iotcert sign: %s %s: %s\n", f.Level, f.Lint, f.Details)
	}
	data := store.CertPEM(dev.Cert)
	if *withChain {
		data = dev.ChainPEM()
	}
	if *out == "" {
		stdout.Write(data)
	} else if err := writeOutFile(*out, data); err != nil {
		return fail(err)
	}
	// Journaled once written: a line never names a certificate that was
	// not handed out.
	e := journalEntry(h, d.Name, dev, fields, prev, *reissue, "sign", args)
	if err := jl.Append(e); err != nil {
		return fail(err)
	}
	if inv != nil {
		if err := recordEntry(inv, e); err != nil {
			return fail(err)
		}
	}
	return exitOK
}

// writeOutFile writes data to the file path, mode 0644, atomically
// (replacing a regular file of the user's, never writing through a
// symbolic link: safefile).
func writeOutFile(path string, data []byte) error {
	dir, err := safefile.OpenRoot(filepath.Dir(path), false)
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Write(filepath.Base(path), data, 0o644, false)
}

// maxCSRSize bounds a --csr input: a CSR of a P-384 key with a few
// names is well under 2 KiB as PEM.
const maxCSRSize = 64 << 10

// readCSR reads a PEM or DER certificate request, at most maxCSRSize
// bytes of it.
func readCSR(path string, stdin io.Reader) (*x509.CertificateRequest, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = boundedread.Read(stdin, path, maxCSRSize)
	} else {
		data, err = boundedread.ReadFile(path, maxCSRSize)
	}
	if err != nil {
		return nil, fmt.Errorf("CSR: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("CSR %s: empty: want a certificate request (PEM or DER)", path)
	}
	der := data
	if b, _ := pem.Decode(data); b != nil {
		if b.Type != "CERTIFICATE REQUEST" && b.Type != "NEW CERTIFICATE REQUEST" {
			return nil, fmt.Errorf("CSR %s: PEM block %q, want CERTIFICATE REQUEST", path, b.Type)
		}
		der = b.Bytes
	} else if bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN")) {
		return nil, fmt.Errorf("CSR %s: malformed PEM", path)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, fmt.Errorf("CSR %s: %w", path, err)
	}
	return csr, nil
}
