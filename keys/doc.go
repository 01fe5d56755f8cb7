// Package keys makes, keeps and opens the private keys of a certificate
// hierarchy: a Backend generates a key pair on a Curve and opens a kept
// key again. NewFileKeys keeps keys as PEM PKCS#8 files (encrypted with
// WithPassphrase), NewKMS works over any go.step.sm/crypto/kms key
// manager, and NewPKCS11 keeps them in a PKCS#11 token (RFC 7512 URIs)
// that they never leave.
//
// In a directory a key is kept as key.pem (File, mode 0600, written
// atomically and never through a symbolic link) or, for a key that is not
// a file, as key.ref (RefFile) holding its reference: Write publishes
// either, ReadRef and OpenIn read them back.
//
//	kb, _ := keys.NewFileKeys(keys.WithPassphrase(pass))
//	key, _ := kb.Generate("root", keys.P256)
//	_ = keys.Write("pki/root", key, true) // pki/root/key.pem, 0600
//	signer, ref, _ := keys.OpenIn("pki/root", kb)
//
// Package keys knows nothing of certificates beyond their public keys:
// ldevid issues with a Backend, and roll replaces a root key with one.
package keys
