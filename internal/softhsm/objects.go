//go:build cgo

package softhsm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/miekg/pkcs11"
)

// Objects returns the objects of the token, one "CLASS LABEL" string each
// ("private-key root", "public-key root"), sorted: for a test that checks
// that a command left no key behind. It opens a session of its own; call
// it when no backend of the test has the token open, or with one open (it
// then leaves the module initialised and logged in).
func (t *Token) Objects(tb testing.TB) []string {
	tb.Helper()
	objs, err := t.objects()
	if err != nil {
		tb.Fatalf("listing the objects of token %s: %v", t.Label, err)
	}
	return objs
}

var classNames = map[uint]string{
	pkcs11.CKO_PRIVATE_KEY: "private-key",
	pkcs11.CKO_PUBLIC_KEY:  "public-key",
	pkcs11.CKO_SECRET_KEY:  "secret-key",
	pkcs11.CKO_CERTIFICATE: "certificate",
	pkcs11.CKO_DATA:        "data",
}

func (t *Token) objects() ([]string, error) {
	p := pkcs11.New(t.Module)
	if p == nil {
		return nil, fmt.Errorf("cannot load %s", t.Module)
	}
	defer p.Destroy()
	shared := false
	if err := p.Initialize(); err != nil {
		if !errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
			return nil, err
		}
		shared = true // another user in this process: leave the module as it is
	}
	if !shared {
		defer p.Finalize()
	}
	slots, err := p.GetSlotList(true)
	if err != nil {
		return nil, err
	}
	for _, slot := range slots {
		info, err := p.GetTokenInfo(slot)
		if err != nil {
			return nil, err
		}
		if info.Label != t.Label {
			continue
		}
		sh, err := p.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
		if err != nil {
			return nil, err
		}
		defer p.CloseSession(sh)
		if err := p.Login(sh, pkcs11.CKU_USER, t.PIN); err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_USER_ALREADY_LOGGED_IN)) {
			return nil, err
		} else if err == nil && !shared {
			defer p.Logout(sh)
		}
		if err := p.FindObjectsInit(sh, nil); err != nil {
			return nil, err
		}
		var handles []pkcs11.ObjectHandle
		for {
			hs, _, err := p.FindObjects(sh, 64)
			if err != nil {
				p.FindObjectsFinal(sh)
				return nil, err
			}
			if len(hs) == 0 {
				break
			}
			handles = append(handles, hs...)
		}
		if err := p.FindObjectsFinal(sh); err != nil {
			return nil, err
		}
		out := []string{}
		for _, h := range handles {
			attrs, err := p.GetAttributeValue(sh, h, []*pkcs11.Attribute{
				pkcs11.NewAttribute(pkcs11.CKA_CLASS, nil),
				pkcs11.NewAttribute(pkcs11.CKA_LABEL, nil),
			})
			if err != nil {
				return nil, err
			}
			class := "class?"
			var c uint64 // CK_ULONG, in the host's byte order
			switch v := attrs[0].Value; len(v) {
			case 8:
				c = binary.NativeEndian.Uint64(v)
			case 4:
				c = uint64(binary.NativeEndian.Uint32(v))
			}
			if n, ok := classNames[uint(c)]; ok {
				class = n
			}
			out = append(out, class+" "+string(attrs[1].Value))
		}
		sort.Strings(out)
		return out, nil
	}
	return nil, fmt.Errorf("no token labelled %s", t.Label)
}
