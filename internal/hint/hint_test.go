package hint

import (
	"errors"
	"fmt"
	"testing"

	"github.com/iotcert/iotcert/certio"
)

func TestInput(t *testing.T) {
	ie := &certio.InputError{Origin: certio.Origin{File: "store.p12"}, Msg: "PKCS#12: wrong password", Err: certio.ErrPKCS12Password}
	it := Input(certio.Item{Origin: ie.Origin, Err: fmt.Errorf("wrapped: %w", ie)}, certio.ErrPKCS12Password, "give it with --pw")
	if got, want := it.Err.Error(), "store.p12 (certificate 0, byte 0): PKCS#12: wrong password (give it with --pw)"; got != want {
		t.Errorf("hinted: %q, want %q", got, want)
	}
	if !errors.Is(it.Err, certio.ErrPKCS12Password) {
		t.Error("the hinted error no longer wraps the target")
	}
	if ie.Msg != "PKCS#12: wrong password" {
		t.Errorf("the original error was changed: %q", ie.Msg)
	}
	other := certio.Item{Err: &certio.InputError{Msg: "truncated", Err: certio.ErrBlockTooLarge}}
	if got := Input(other, certio.ErrPKCS12Password, "give it with --pw"); got.Err.Error() != other.Err.Error() {
		t.Errorf("an unrelated error got a hint: %v", got.Err)
	}
	if got := Input(certio.Item{DER: []byte{1}}, certio.ErrPKCS12Password, "x"); got.Err != nil {
		t.Errorf("an item without error got one: %v", got.Err)
	}
}
