package certder_test

import (
	"bytes"
	"crypto/rand"
	"math/big"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/internal/certder"
)

func TestRandomSerial(t *testing.T) {
	seen := map[string]bool{}
	var or big.Int
	for range 1000 {
		n, err := certder.RandomSerial(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if err := idevid.CheckCertificateSerial(n); err != nil || n.BitLen() > 127 {
			t.Fatalf("serial %x: %v", n, err)
		}
		if seen[n.String()] {
			t.Fatalf("serial %x drawn twice", n)
		}
		seen[n.String()] = true
		or.Or(&or, n)
	}
	// Every one of the 127 bits is used.
	if or.BitLen() != 127 || new(big.Int).Add(&or, big.NewInt(1)).BitLen() != 128 {
		t.Errorf("bits used: %x", &or)
	}
	ones := bytes.NewReader(bytes.Repeat([]byte{0xff}, 16))
	if n, err := certder.RandomSerial(ones); err != nil || n.Text(16) != "7"+strings.Repeat("f", 31) {
		t.Errorf("all ones: %x, %v", n, err)
	}
	if _, err := certder.RandomSerial(bytes.NewReader(make([]byte, 64))); err == nil || err.Error() != "serial number: the random source gives only zeros" {
		t.Errorf("zeros: %v", err)
	}
	if _, err := certder.RandomSerial(bytes.NewReader(nil)); err == nil || err.Error() != "serial number: EOF" {
		t.Errorf("empty source: %v", err)
	}
}
