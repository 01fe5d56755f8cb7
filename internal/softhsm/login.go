//go:build cgo

package softhsm

import (
	"errors"
	"fmt"
	"testing"

	"github.com/miekg/pkcs11"
)

// Logout logs the application out of the token, as a token that is
// removed or whose login is lost does to every session a backend of the
// test has open: the module keeps one login state per token for the
// whole process (PKCS#11 v2.40 §5.6), so each pooled session then fails
// its next operation on a private key. Call it while a backend of the
// test has the token open: it shares the backend's initialised module.
func (t *Token) Logout(tb testing.TB) {
	tb.Helper()
	if err := t.withSession(func(p *pkcs11.Ctx, sh pkcs11.SessionHandle) error { return p.Logout(sh) }); err != nil {
		tb.Fatalf("logging out of token %s: %v", t.Label, err)
	}
}

// Login logs the application in to the token again after Logout: the
// sessions a backend of the test has open can use the token's keys again.
func (t *Token) Login(tb testing.TB) {
	tb.Helper()
	if err := t.withSession(func(p *pkcs11.Ctx, sh pkcs11.SessionHandle) error { return p.Login(sh, pkcs11.CKU_USER, t.PIN) }); err != nil {
		tb.Fatalf("logging in to token %s: %v", t.Label, err)
	}
}

// withSession runs f with a new session of the token in the module that
// a backend of the test has initialised, and closes the session.
func (t *Token) withSession(f func(*pkcs11.Ctx, pkcs11.SessionHandle) error) error {
	p := pkcs11.New(t.Module)
	if p == nil {
		return fmt.Errorf("cannot load %s", t.Module)
	}
	defer p.Destroy()
	if err := p.Initialize(); err == nil {
		p.Finalize()
		return errors.New("no backend of the test has the module open")
	} else if !errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
		return err
	}
	slots, err := p.GetSlotList(true)
	if err != nil {
		return err
	}
	for _, slot := range slots {
		info, err := p.GetTokenInfo(slot)
		if err != nil {
			return err
		}
		if info.Label != t.Label {
			continue
		}
		sh, err := p.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
		if err != nil {
			return err
		}
		defer p.CloseSession(sh)
		return f(p, sh)
	}
	return fmt.Errorf("no token labelled %s", t.Label)
}
