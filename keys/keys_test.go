package keys

import "testing"

// TestPassphraseFromEnv: the passphrase in a variable; an unset and an
// empty variable are errors that say which.
func TestPassphraseFromEnv(t *testing.T) {
	t.Setenv("IOTCERT_TEST_PASS", "s3cret")
	t.Setenv("IOTCERT_TEST_EMPTY", "")
	if p, err := PassphraseFromEnv("IOTCERT_TEST_PASS"); err != nil || string(p) != "s3cret" {
		t.Errorf("set: %q, %v", p, err)
	}
	for name, want := range map[string]string{
		"IOTCERT_TEST_EMPTY":   "passphrase: environment variable IOTCERT_TEST_EMPTY is empty",
		"IOTCERT_TEST_NOT_SET": "passphrase: environment variable IOTCERT_TEST_NOT_SET is not set",
	} {
		if _, err := PassphraseFromEnv(name); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
}
