package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestConfigFileNeverShowsASecret gives a private key and a passphrase
// file where a YAML spec or rules file is expected: each command stops
// with exit 2 and a message that names the file and gives the value's
// size, never the value (it would reach a terminal or a CI log).
func TestConfigFileNeverShowsASecret(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	key := writeFile(t, "key.pem", keyPEM)
	pass := writeFile(t, "ca.pass", []byte("correct horse battery staple\n"))
	chain := filepath.Join(certs, "tls13-iot", "chain.pem")
	const shown = "expected a mapping, found a single value of %d bytes (not shown: it may be a key or a password)\n"
	keySize := len(strings.Join(strings.Fields(string(keyPEM)), " "))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"gen", "hierarchy", key, "--out", filepath.Join(t.TempDir(), "pki")}, "iotcert gen hierarchy: " + key + ": line 1: " + shown},
		{[]string{"gen", "device", key, "--out", t.TempDir(), "--ca", "sub", "--id", "1"}, "iotcert gen device: " + key + ": line 1: " + shown},
		{[]string{"lint", "--rules", key, chain}, "iotcert lint: " + key + ": line 1: " + shown},
		{[]string{"rules", "--rules", key}, "iotcert rules: " + key + ": line 1: " + shown},
		{[]string{"lint", "--spec", pass, chain}, "iotcert lint: --spec: " + pass + ": line 1: " + shown},
	} {
		size := keySize
		if strings.Contains(tc.want, pass) {
			size = len("correct horse battery staple")
		}
		want := strings.Replace(tc.want, "%d", strconv.Itoa(size), 1)
		code, out, errOut := iotcert(t, "", tc.args...)
		if code != exitUsage || out != "" || errOut != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", tc.args, code, out, errOut, exitUsage, want)
		}
		if strings.Contains(errOut, "MIG") || strings.Contains(errOut, "horse") {
			t.Errorf("%v: stderr shows the secret: %s", tc.args, errOut)
		}
	}
}
