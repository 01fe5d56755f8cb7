package certio

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"fmt"
	"hash"
	"unicode/utf16"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// A PKCS#12 store (RFC 7292) is read in two ways. iotcert's own reader
// walks the store with cryptobyte, checks the MAC, decrypts PBES2 (AES-CBC)
// safes, and returns each certificate bag's bytes without parsing them, so
// that a certificate Go's parsers refuse is still judged and a store
// without keys and without Java's trust attribute (what
// "openssl pkcs12 -export -nokeys" writes) is read. It never decrypts a key
// bag. Stores that use algorithms it does not implement (legacy RC2 and
// 3DES PBE, PBMAC1) are handed to go-pkcs12: DecodeTrustStore for trust
// stores, DecodeChain for a key with its certificates, whose key is
// dropped unread.

// Object identifiers of RFC 7292, RFC 5652 and RFC 8018.
var (
	oidData              = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01}
	oidEncryptedData     = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06}
	oidCertBag           = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03}
	oidSafeContentsBag   = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x06}
	oidX509Certificate   = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01}
	oidPBES2             = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d}
	oidPBMAC1            = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0e}
	oidShroudedKeyBag    = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02}
	oidPBKDF2            = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c}
	oidHMACWithSHA1      = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07}
	oidHMACWithSHA256    = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09}
	oidHMACWithSHA384    = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a}
	oidHMACWithSHA512    = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b}
	oidAES128CBC         = []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02}
	oidAES192CBC         = []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16}
	oidAES256CBC         = []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a}
	oidSHA1              = []byte{0x2b, 0x0e, 0x03, 0x02, 0x1a}
	oidSHA256            = []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}
	oidSHA384            = []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02}
	oidSHA512            = []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03}
	oidPKCS12PBEPrefix   = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01}
	errPKCS12Unsupported = errors.New("PKCS#12: algorithm not implemented by iotcert's reader")
)

// maxPKCS12Rounds bounds the key-derivation work one store may ask for,
// summed over its MAC, its encrypted safes and the keys go-pkcs12 would
// decrypt, so that a crafted store cannot stall a run (a million rounds of
// PBKDF2-HMAC-SHA256 take about a third of a second). Real stores ask for
// 2,048 (OpenSSL) to 600,000 rounds a step.
const maxPKCS12Rounds = 2_000_000

// maxSafeDepth bounds the nesting of safeContents bags.
const maxSafeDepth = 4

// isPKCS12 reports whether der starts like a PFX (RFC 7292 §4): a SEQUENCE
// of INTEGER version 3 and a ContentInfo.
func isPKCS12(der []byte) bool {
	s := cryptobyte.String(der)
	var pfx, ci, oid cryptobyte.String
	var version int64
	return s.ReadASN1(&pfx, cbasn1.SEQUENCE) &&
		pfx.ReadASN1Integer(&version) && version == 3 &&
		pfx.ReadASN1(&ci, cbasn1.SEQUENCE) &&
		ci.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) &&
		(string(oid) == string(oidData) || string(oid) == string(oidSignedData))
}

// pkcs12Store is what iotcert's reader found in a store.
type pkcs12Store struct {
	certs []pkcs7Cert // offset: of the bag, or of its encrypted safe
	// skipped counts bags that are not X.509 certificates (keys, CRLs,
	// secrets, other certificate types).
	skipped int
	// rounds counts the key-derivation rounds asked for so far, up to
	// limit.
	rounds, limit int64
}

// spend counts n key-derivation rounds of step what against the store's
// budget.
func (st *pkcs12Store) spend(what string, n int64) error {
	if n < 1 {
		return fmt.Errorf("PKCS#12: %s iteration count %d is not positive", what, n)
	}
	st.rounds += n
	if n > st.limit || st.rounds > st.limit {
		return fmt.Errorf("PKCS#12: %s iteration count %d takes the store over iotcert's limit of %d key-derivation rounds", what, n, st.limit)
	}
	return nil
}

// spendAlgorithm spends the iteration count of a password-based
// algorithm (PKCS#12 PBE, PBES2 or PBMAC1 with PBKDF2), whose
// AlgorithmIdentifier contents are alg. Other algorithms cost nothing
// here: go-pkcs12 does not implement them either.
func (st *pkcs12Store) spendAlgorithm(what string, alg cryptobyte.String) error {
	var oid, params cryptobyte.String
	if !alg.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) {
		return fmt.Errorf("PKCS#12: malformed %s algorithm", what)
	}
	isPBE := len(oid) == len(oidPKCS12PBEPrefix)+1 && string(oid[:len(oidPKCS12PBEPrefix)]) == string(oidPKCS12PBEPrefix)
	isPBKDF2 := string(oid) == string(oidPBES2) || string(oid) == string(oidPBMAC1)
	if !isPBE && !isPBKDF2 {
		return nil
	}
	if !alg.ReadASN1(&params, cbasn1.SEQUENCE) {
		return fmt.Errorf("PKCS#12: malformed %s parameters", what)
	}
	var iterations int64
	switch {
	case isPBKDF2:
		var kdf, kdfOID, kdfParams, salt cryptobyte.String
		if !params.ReadASN1(&kdf, cbasn1.SEQUENCE) || !kdf.ReadASN1(&kdfOID, cbasn1.OBJECT_IDENTIFIER) {
			return fmt.Errorf("PKCS#12: malformed %s parameters", what)
		}
		if string(kdfOID) != string(oidPBKDF2) {
			return nil
		}
		if !kdf.ReadASN1(&kdfParams, cbasn1.SEQUENCE) || !kdfParams.ReadASN1(&salt, cbasn1.OCTET_STRING) ||
			!kdfParams.ReadASN1Int64WithTag(&iterations, cbasn1.INTEGER) {
			return fmt.Errorf("PKCS#12: malformed %s PBKDF2 parameters", what)
		}
	default:
		var salt cryptobyte.String
		if !params.ReadASN1(&salt, cbasn1.OCTET_STRING) || !params.ReadASN1Int64WithTag(&iterations, cbasn1.INTEGER) {
			return fmt.Errorf("PKCS#12: malformed %s PBE parameters", what)
		}
	}
	return st.spend(what, iterations)
}

// pkcs12Certificates returns the certificates of the PFX at the start of
// der, and the length of the PFX. The store may ask for at most limit
// key-derivation rounds.
func pkcs12Certificates(der []byte, password string, limit int64) ([]pkcs7Cert, int, error) {
	s := cryptobyte.String(der)
	var whole cryptobyte.String
	if !s.ReadASN1Element(&whole, cbasn1.SEQUENCE) {
		return nil, 0, errors.New("PKCS#12: truncated or malformed PFX")
	}
	n := len(whole)
	store, err := readPFX(der[:n], password, limit)
	if errors.Is(err, errPKCS12Unsupported) {
		certs, lerr := pkcs12ViaLibrary(der[:n], password)
		if lerr != nil {
			return nil, n, lerr
		}
		return certs, n, nil
	}
	if err != nil {
		return nil, n, err
	}
	if len(store.certs) == 0 {
		msg := "PKCS#12: the store holds no certificates"
		if store.skipped > 0 {
			msg += fmt.Sprintf(" (only %d other bag(s), such as keys)", store.skipped)
		}
		return nil, n, errors.New(msg)
	}
	return store.certs, n, nil
}

// pkcs12ViaLibrary reads a store with go-pkcs12, for the algorithms
// iotcert's reader does not implement. The certificates are returned in
// their original encoding; a private key is dropped unread. Offsets are 0:
// the certificates sit in encrypted bags.
func pkcs12ViaLibrary(der []byte, password string) ([]pkcs7Cert, error) {
	certs, err := pkcs12.DecodeTrustStore(der, password)
	if wrongPassword(err) {
		return nil, ErrPKCS12Password
	}
	if err != nil {
		_, leaf, cas, chainErr := pkcs12.DecodeChain(der, password)
		if wrongPassword(chainErr) {
			return nil, ErrPKCS12Password
		}
		if chainErr != nil {
			return nil, fmt.Errorf("PKCS#12: cannot read this store, which uses legacy algorithms (RC2/3DES): as a trust store: %s; as a key with its certificates: %s; re-export it without -legacy, or convert it with \"openssl pkcs12 -legacy -nokeys\" and lint the PEM", trimPKCS12(err), trimPKCS12(chainErr))
		}
		certs = append([]*x509.Certificate{leaf}, cas...)
	}
	out := make([]pkcs7Cert, 0, len(certs))
	for _, c := range certs {
		out = append(out, pkcs7Cert{der: c.Raw})
	}
	return out, nil
}

func wrongPassword(err error) bool {
	return errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption)
}

func trimPKCS12(err error) string {
	msg := err.Error()
	const prefix = "pkcs12: "
	if len(msg) > len(prefix) && msg[:len(prefix)] == prefix {
		return msg[len(prefix):]
	}
	return msg
}

// readPFX walks a PFX: it verifies the MAC with password, then reads every
// safe of the authenticated safe.
func readPFX(der []byte, password string, limit int64) (*pkcs12Store, error) {
	s := cryptobyte.String(der)
	var pfx, authSafe, oid, explicit, content cryptobyte.String
	var version int64
	if !s.ReadASN1(&pfx, cbasn1.SEQUENCE) || !pfx.ReadASN1Integer(&version) || !pfx.ReadASN1(&authSafe, cbasn1.SEQUENCE) {
		return nil, errors.New("PKCS#12: malformed PFX header")
	}
	if version != 3 {
		return nil, fmt.Errorf("PKCS#12: version %d, want 3", version)
	}
	if !authSafe.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) {
		return nil, errors.New("PKCS#12: malformed authSafe content type")
	}
	if string(oid) != string(oidData) {
		return nil, errors.New("PKCS#12: stores protected by a public-key signature are not supported, only password-protected ones")
	}
	if !authSafe.ReadASN1(&explicit, cbasn1.Tag(0).Constructed().ContextSpecific()) || !explicit.ReadASN1(&content, cbasn1.OCTET_STRING) {
		return nil, errors.New("PKCS#12: authSafe content missing or not a DER OCTET STRING")
	}
	var macData cryptobyte.String
	var hasMAC bool
	if !pfx.ReadOptionalASN1(&macData, &hasMAC, cbasn1.SEQUENCE) || !pfx.Empty() {
		return nil, errors.New("PKCS#12: malformed macData")
	}
	store := &pkcs12Store{limit: limit}
	// The password of the key derivation functions of RFC 7292 is a
	// zero-terminated BMPString; PBES2 takes its UTF-8 bytes.
	bmp := bmpPassword(password)
	unsupported := false
	if hasMAC {
		ok, err := store.verifyMAC(macData, content, bmp)
		if errors.Is(err, errPKCS12Unsupported) {
			// go-pkcs12 checks the MAC; the safes are still walked to
			// bound the work it will do.
			unsupported, ok, err = true, true, nil
		}
		if err != nil {
			return nil, err
		}
		if !ok && password == "" {
			// Some writers key an empty password as no bytes at all.
			bmp = nil
			ok, err = store.verifyMAC(macData, content, bmp)
			if err != nil {
				return nil, err
			}
		}
		if !ok {
			return nil, ErrPKCS12Password
		}
	} else if password != "" {
		return nil, errors.New("PKCS#12: the store has no MAC but a password was given; refusing to trust unauthenticated content")
	}
	var safes cryptobyte.String
	if !content.ReadASN1(&safes, cbasn1.SEQUENCE) || !content.Empty() {
		return nil, errors.New("PKCS#12: malformed AuthenticatedSafe")
	}
	for !safes.Empty() {
		safeOffset := offsetIn(der, safes)
		var ci, ctype, body cryptobyte.String
		if !safes.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1(&ctype, cbasn1.OBJECT_IDENTIFIER) ||
			!ci.ReadASN1(&body, cbasn1.Tag(0).Constructed().ContextSpecific()) {
			return nil, fmt.Errorf("PKCS#12: malformed safe at byte %d", safeOffset)
		}
		switch string(ctype) {
		case string(oidData):
			var plain cryptobyte.String
			if !body.ReadASN1(&plain, cbasn1.OCTET_STRING) {
				return nil, fmt.Errorf("PKCS#12: malformed data safe at byte %d", safeOffset)
			}
			if err := store.readSafeContents(der, plain, -1, 0); err != nil {
				return nil, err
			}
		case string(oidEncryptedData):
			if unsupported {
				if err := store.spendEncrypted(body); !errors.Is(err, errPKCS12Unsupported) {
					return nil, fmt.Errorf("%w (safe at byte %d)", err, safeOffset)
				}
				continue
			}
			plain, err := store.decryptSafe(body, password)
			if errors.Is(err, errPKCS12Unsupported) {
				unsupported = true
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("%w (safe at byte %d)", err, safeOffset)
			}
			if err := store.readSafeContents(plain, plain, safeOffset, 0); err != nil {
				return nil, err
			}
		default:
			unsupported = true
		}
	}
	if unsupported {
		return nil, errPKCS12Unsupported
	}
	return store, nil
}

// readSafeContents reads the bags of a SafeContents held in whole. Each
// certificate's offset is its bag's offset in whole, or fixed when fixed is
// not -1 (bags decrypted out of the file are located at their safe).
func (st *pkcs12Store) readSafeContents(whole []byte, sc cryptobyte.String, fixed, depth int) error {
	var bags cryptobyte.String
	if !sc.ReadASN1(&bags, cbasn1.SEQUENCE) || !sc.Empty() {
		if fixed >= 0 {
			// Garbage after decryption: the usual sign of a wrong key.
			return ErrPKCS12Password
		}
		return errors.New("PKCS#12: malformed SafeContents")
	}
	for !bags.Empty() {
		offset := offsetIn(whole, bags)
		if fixed >= 0 {
			offset = fixed
		}
		var bag, id, value cryptobyte.String
		if !bags.ReadASN1(&bag, cbasn1.SEQUENCE) || !bag.ReadASN1(&id, cbasn1.OBJECT_IDENTIFIER) ||
			!bag.ReadASN1(&value, cbasn1.Tag(0).Constructed().ContextSpecific()) {
			return fmt.Errorf("PKCS#12: malformed safe bag at byte %d", offset)
		}
		switch string(id) {
		case string(oidCertBag):
			var cb, certType, certExplicit, cert cryptobyte.String
			if !value.ReadASN1(&cb, cbasn1.SEQUENCE) || !cb.ReadASN1(&certType, cbasn1.OBJECT_IDENTIFIER) ||
				!cb.ReadASN1(&certExplicit, cbasn1.Tag(0).Constructed().ContextSpecific()) {
				return fmt.Errorf("PKCS#12: malformed certificate bag at byte %d", offset)
			}
			if string(certType) != string(oidX509Certificate) {
				st.skipped++
				continue
			}
			if !certExplicit.ReadASN1(&cert, cbasn1.OCTET_STRING) || len(cert) == 0 {
				return fmt.Errorf("PKCS#12: certificate bag at byte %d does not hold a certificate in an OCTET STRING", offset)
			}
			st.certs = append(st.certs, pkcs7Cert{der: []byte(cert), offset: offset})
		case string(oidSafeContentsBag):
			if depth >= maxSafeDepth {
				return fmt.Errorf("PKCS#12: safe contents nested deeper than %d at byte %d", maxSafeDepth, offset)
			}
			if err := st.readSafeContents(whole, value, fixed, depth+1); err != nil {
				return err
			}
		case string(oidShroudedKeyBag):
			// Never decrypted here; go-pkcs12 may, so its cost counts.
			var epki, alg cryptobyte.String
			if !value.ReadASN1(&epki, cbasn1.SEQUENCE) || !epki.ReadASN1(&alg, cbasn1.SEQUENCE) {
				return fmt.Errorf("PKCS#12: malformed key bag at byte %d", offset)
			}
			if err := st.spendAlgorithm("key", alg); err != nil {
				return err
			}
			st.skipped++
		default:
			// Plain keys, CRLs and secrets.
			st.skipped++
		}
	}
	return nil
}

// bmpPassword encodes password as a zero-terminated BMPString (RFC 7292
// Appendix B.1).
func bmpPassword(password string) []byte {
	units := utf16.Encode([]rune(password))
	out := make([]byte, 0, 2*len(units)+2)
	for _, u := range units {
		out = append(out, byte(u>>8), byte(u))
	}
	return append(out, 0, 0)
}

// verifyPKCS12MAC checks the MacData of a PFX (RFC 7292 §5.1) over
// content. It returns errPKCS12Unsupported for MAC algorithms it does not
// implement.
func (st *pkcs12Store) verifyMAC(macData, content cryptobyte.String, bmp []byte) (bool, error) {
	var digestInfo, alg, algOID, digest, salt cryptobyte.String
	iterations := int64(1)
	if !macData.ReadASN1(&digestInfo, cbasn1.SEQUENCE) || !digestInfo.ReadASN1(&alg, cbasn1.SEQUENCE) ||
		!digestInfo.ReadASN1(&digest, cbasn1.OCTET_STRING) || !macData.ReadASN1(&salt, cbasn1.OCTET_STRING) {
		return false, errors.New("PKCS#12: malformed macData")
	}
	if !macData.Empty() && !macData.ReadASN1Int64WithTag(&iterations, cbasn1.INTEGER) {
		return false, errors.New("PKCS#12: malformed MAC iteration count")
	}
	if err := st.spendAlgorithm("MAC", alg); err != nil {
		return false, err
	}
	if !alg.ReadASN1(&algOID, cbasn1.OBJECT_IDENTIFIER) {
		return false, errors.New("PKCS#12: malformed MAC algorithm")
	}
	if string(algOID) == string(oidPBMAC1) {
		return false, errPKCS12Unsupported
	}
	if err := st.spend("MAC", iterations); err != nil {
		return false, err
	}
	var h func() hash.Hash
	var u, v int
	switch string(algOID) {
	case string(oidSHA1):
		h, u, v = sha1.New, 20, 64
	case string(oidSHA256):
		h, u, v = sha256.New, 32, 64
	case string(oidSHA384):
		h, u, v = sha512.New384, 48, 128
	case string(oidSHA512):
		h, u, v = sha512.New, 64, 128
	default:
		return false, errPKCS12Unsupported
	}
	key := pkcs12KDF(h, u, v, salt, bmp, int(iterations), 3, u)
	mac := hmac.New(h, key)
	mac.Write(content)
	return subtle.ConstantTimeCompare(mac.Sum(nil), digest) == 1, nil
}

// pkcs12KDF is the key derivation function of RFC 7292 Appendix B.2 for a
// hash of output size u and block size v bytes, for purpose id (1 key,
// 2 IV, 3 MAC key).
func pkcs12KDF(h func() hash.Hash, u, v int, salt, password []byte, iterations int, id byte, size int) []byte {
	d := make([]byte, v)
	for i := range d {
		d[i] = id
	}
	i := append(fillBlocks(salt, v), fillBlocks(password, v)...)
	out := make([]byte, 0, size+u)
	b := make([]byte, v)
	for len(out) < size {
		hh := h()
		hh.Write(d)
		hh.Write(i)
		a := hh.Sum(nil)
		for r := 1; r < iterations; r++ {
			hh.Reset()
			hh.Write(a)
			a = hh.Sum(a[:0])
		}
		out = append(out, a...)
		if len(out) >= size {
			break
		}
		for k := range b {
			b[k] = a[k%u]
		}
		// Each v-byte block of I becomes (I_j + B + 1) mod 2^v.
		for j := 0; j < len(i); j += v {
			carry := 1
			for k := v - 1; k >= 0; k-- {
				sum := int(i[j+k]) + int(b[k]) + carry
				i[j+k] = byte(sum)
				carry = sum >> 8
			}
		}
	}
	return out[:size]
}

// fillBlocks repeats x to the next multiple of v bytes; empty x stays empty.
func fillBlocks(x []byte, v int) []byte {
	if len(x) == 0 {
		return nil
	}
	n := v * ((len(x) + v - 1) / v)
	out := make([]byte, n)
	for k := range out {
		out[k] = x[k%len(x)]
	}
	return out
}

// decryptSafe decrypts the content of an EncryptedData safe (RFC 5652 §8)
// protected with PBES2 (RFC 8018), PBKDF2 and AES-CBC.
func (st *pkcs12Store) decryptSafe(body cryptobyte.String, password string) ([]byte, error) {
	whole := body
	var ed, eci, ctype, alg, algOID, params, encrypted cryptobyte.String
	var version int64
	if !body.ReadASN1(&ed, cbasn1.SEQUENCE) || !ed.ReadASN1Integer(&version) ||
		!ed.ReadASN1(&eci, cbasn1.SEQUENCE) || !eci.ReadASN1(&ctype, cbasn1.OBJECT_IDENTIFIER) ||
		!eci.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1(&algOID, cbasn1.OBJECT_IDENTIFIER) {
		return nil, errors.New("PKCS#12: malformed encrypted safe")
	}
	if !eci.ReadASN1(&encrypted, cbasn1.Tag(0).ContextSpecific()) {
		return nil, errors.New("PKCS#12: encrypted safe without (primitive) encrypted content")
	}
	if string(algOID) != string(oidPBES2) {
		return nil, st.spendEncrypted(whole)
	}
	var kdf, kdfOID, kdfParams, salt, enc, encOID, iv cryptobyte.String
	var iterations int64
	if !alg.ReadASN1(&params, cbasn1.SEQUENCE) || !params.ReadASN1(&kdf, cbasn1.SEQUENCE) ||
		!kdf.ReadASN1(&kdfOID, cbasn1.OBJECT_IDENTIFIER) || !params.ReadASN1(&enc, cbasn1.SEQUENCE) ||
		!enc.ReadASN1(&encOID, cbasn1.OBJECT_IDENTIFIER) {
		return nil, errors.New("PKCS#12: malformed PBES2 parameters")
	}
	if string(kdfOID) != string(oidPBKDF2) {
		return nil, errPKCS12Unsupported
	}
	if !kdf.ReadASN1(&kdfParams, cbasn1.SEQUENCE) || !kdfParams.ReadASN1(&salt, cbasn1.OCTET_STRING) ||
		!kdfParams.ReadASN1Int64WithTag(&iterations, cbasn1.INTEGER) {
		return nil, errors.New("PKCS#12: malformed PBKDF2 parameters")
	}
	if err := st.spend("safe", iterations); err != nil {
		return nil, err
	}
	var keyLen int64
	if kdfParams.PeekASN1Tag(cbasn1.INTEGER) && !kdfParams.ReadASN1Int64WithTag(&keyLen, cbasn1.INTEGER) {
		return nil, errors.New("PKCS#12: malformed PBKDF2 key length")
	}
	prf := sha1.New
	if !kdfParams.Empty() {
		var prfAlg, prfOID cryptobyte.String
		if !kdfParams.ReadASN1(&prfAlg, cbasn1.SEQUENCE) || !prfAlg.ReadASN1(&prfOID, cbasn1.OBJECT_IDENTIFIER) {
			return nil, errors.New("PKCS#12: malformed PBKDF2 PRF")
		}
		switch string(prfOID) {
		case string(oidHMACWithSHA1):
		case string(oidHMACWithSHA256):
			prf = sha256.New
		case string(oidHMACWithSHA384):
			prf = sha512.New384
		case string(oidHMACWithSHA512):
			prf = sha512.New
		default:
			return nil, errPKCS12Unsupported
		}
	}
	var size int
	switch string(encOID) {
	case string(oidAES128CBC):
		size = 16
	case string(oidAES192CBC):
		size = 24
	case string(oidAES256CBC):
		size = 32
	default:
		return nil, errPKCS12Unsupported
	}
	if keyLen != 0 && keyLen != int64(size) {
		return nil, fmt.Errorf("PKCS#12: PBKDF2 key length %d does not fit the cipher (%d)", keyLen, size)
	}
	if !enc.ReadASN1(&iv, cbasn1.OCTET_STRING) || len(iv) != aes.BlockSize {
		return nil, errors.New("PKCS#12: malformed AES-CBC IV")
	}
	key, err := pbkdf2.Key(prf, password, salt, int(iterations), size)
	if err != nil {
		return nil, fmt.Errorf("PKCS#12: %v", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("PKCS#12: %v", err)
	}
	if len(encrypted) == 0 || len(encrypted)%aes.BlockSize != 0 {
		return nil, errors.New("PKCS#12: encrypted content is not a whole number of AES blocks")
	}
	plain := make([]byte, len(encrypted))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, encrypted)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, ErrPKCS12Password
	}
	for _, p := range plain[len(plain)-pad:] {
		if int(p) != pad {
			return nil, ErrPKCS12Password
		}
	}
	return plain[:len(plain)-pad], nil
}

// spendEncrypted spends the iteration count of an EncryptedData safe that
// go-pkcs12 will decrypt. It returns errPKCS12Unsupported when the budget
// allows it.
func (st *pkcs12Store) spendEncrypted(body cryptobyte.String) error {
	var ed, eci, ctype, alg cryptobyte.String
	var version int64
	if !body.ReadASN1(&ed, cbasn1.SEQUENCE) || !ed.ReadASN1Integer(&version) ||
		!ed.ReadASN1(&eci, cbasn1.SEQUENCE) || !eci.ReadASN1(&ctype, cbasn1.OBJECT_IDENTIFIER) ||
		!eci.ReadASN1(&alg, cbasn1.SEQUENCE) {
		return errors.New("PKCS#12: malformed encrypted safe")
	}
	if err := st.spendAlgorithm("safe", alg); err != nil {
		return err
	}
	return errPKCS12Unsupported
}
