package bundle

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"math/big"
	"slices"

	"github.com/iotcert/iotcert/internal/ecdsasig"
)

// manyCandidates is the number of certificates sharing an issuer name
// above which the issuers of a certificate are narrowed down before
// signatures are checked, so that chain building stays linear when many
// CAs share a name (see narrow).
const manyCandidates = 8

// narrow returns the candidates worth a signature check when there are
// many (more than manyCandidates) certificates named as s's issuer:
//
//   - when s has an authorityKeyIdentifier, the candidates whose
//     subjectKeyIdentifier equals it or that have none;
//   - when s is signed with ECDSA, the candidates whose key is one of the
//     keys the signature can have been made with (SEC 1 §4.1.6 public key
//     recovery), found through an index by key instead of a signature
//     check each.
//
// Other candidates (an RSA or Ed25519 signature without an
// authorityKeyIdentifier) are all checked.
func (ix *issuerIndex) narrow(s *state, candidates []*state) []*state {
	if len(candidates) <= manyCandidates {
		return candidates
	}
	if len(s.n.aki) > 0 {
		var out []*state
		for _, c := range candidates {
			if len(c.n.ski) == 0 || bytes.Equal(c.n.ski, s.n.aki) {
				out = append(out, c)
			}
		}
		candidates = out
		if len(candidates) <= manyCandidates {
			return candidates
		}
	}
	if !isECDSA(s.n.sigAlg) || s.n.digest == nil {
		return candidates
	}
	byKey := ix.byKey[s.n.issuer]
	if byKey == nil {
		return candidates
	}
	var out []*state
	for _, k := range recoverECDSA(ix.curves[s.n.issuer], s.n.digest, s.n.sig) {
		for _, c := range byKey[k] {
			if slices.Index(out, c) < 0 && slices.Index(candidates, c) >= 0 {
				out = append(out, c)
			}
		}
	}
	// Candidates whose key is not ECDSA cannot have made the signature;
	// those this package could not decode are kept.
	for _, c := range candidates {
		if c.n.pubKey == nil {
			out = append(out, c)
		}
	}
	return out
}

// issuerIndex indexes, for each issuer name shared by many certificates,
// those certificates by their ECDSA public key.
type issuerIndex struct {
	byKey  map[string]map[string][]*state // subject → key (ecKeyID) → certificates
	curves map[string][]elliptic.Curve    // subject → the curves of those keys
}

// newIssuerIndex builds the index over the subjects with more than
// manyCandidates certificates. Keys must be parsed.
func newIssuerIndex(bySubject map[string][]*state) *issuerIndex {
	ix := &issuerIndex{byKey: map[string]map[string][]*state{}, curves: map[string][]elliptic.Curve{}}
	for subj, group := range bySubject {
		if len(group) <= manyCandidates {
			continue
		}
		m := map[string][]*state{}
		for _, c := range group {
			if k, ok := c.n.pubKey.(*ecdsa.PublicKey); ok {
				b, err := k.Bytes() // 0x04 || X || Y
				if err != nil {
					continue
				}
				id := ecKeyID(k.Curve, b[1:1+(len(b)-1)/2])
				m[id] = append(m[id], c)
				if !slices.Contains(ix.curves[subj], k.Curve) {
					ix.curves[subj] = append(ix.curves[subj], k.Curve)
				}
			}
		}
		ix.byKey[subj] = m
	}
	return ix
}

// ecKeyID identifies an ECDSA public key by its curve and x coordinate,
// big-endian in the curve's field size (the two keys that share them are
// told apart by the signature check).
func ecKeyID(c elliptic.Curve, x []byte) string {
	return c.Params().Name + ":" + string(x)
}

// recoverECDSA returns the identities (ecKeyID) of the public keys, on
// the given curves (P-256, P-384 and P-521), that can have made the ASN.1
// ECDSA signature sig over digest (SEC 1 §4.1.6).
func recoverECDSA(curves []elliptic.Curve, digest, sig []byte) (ids []string) {
	r, s, ok := ecdsasig.Parse(sig)
	if !ok {
		return nil
	}
	for _, curve := range curves {
		ids = append(ids, recoverOn(curve, digest, r, s)...)
	}
	return ids
}

// Recovery needs arithmetic on arbitrary curve points, which in the
// standard library only crypto/elliptic's deprecated low-level methods
// offer; they are used on public values only.
func recoverOn(curve elliptic.Curve, digest []byte, r, s *big.Int) (ids []string) {
	defer func() {
		if recover() != nil {
			ids = nil // a point the curve code refuses: no key
		}
	}()
	params := curve.Params()
	n, p := params.N, params.P
	if r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(n) >= 0 || s.Cmp(n) >= 0 {
		return nil
	}
	e := ecdsasig.HashToInt(digest, n)
	rInv := new(big.Int).ModInverse(r, n)
	if rInv == nil {
		return nil
	}
	u1 := new(big.Int).Mul(s, rInv)
	u1.Mod(u1, n)
	u2 := new(big.Int).Mul(e, rInv)
	u2.Neg(u2).Mod(u2, n)
	gx, gy := curve.ScalarBaseMult(scalar(u2, n)) //lint:ignore SA1019 see above
	for j := int64(0); j < 2; j++ {
		x := new(big.Int).Add(r, new(big.Int).Mul(big.NewInt(j), n))
		if x.Cmp(p) >= 0 {
			break
		}
		// y² = x³ − 3x + b
		y2 := new(big.Int).Exp(x, big.NewInt(3), p)
		y2.Sub(y2, new(big.Int).Mul(big.NewInt(3), x))
		y2.Add(y2, params.B).Mod(y2, p)
		y := new(big.Int).ModSqrt(y2, p)
		if y == nil {
			continue
		}
		for _, yy := range []*big.Int{y, new(big.Int).Sub(p, y)} {
			//lint:ignore SA1019 see above
			if !curve.IsOnCurve(x, yy) {
				continue
			}
			qx, qy := curve.ScalarMult(x, yy, scalar(u1, n)) //lint:ignore SA1019 see above
			qx, qy = curve.Add(qx, qy, gx, gy)               //lint:ignore SA1019 see above
			if qx.Sign() == 0 && qy.Sign() == 0 {
				continue
			}
			ids = append(ids, ecKeyID(curve, qx.FillBytes(make([]byte, (params.BitSize+7)/8))))
		}
	}
	return ids
}

// scalar encodes k in the byte length of the curve order n.
func scalar(k, n *big.Int) []byte {
	return k.FillBytes(make([]byte, (n.BitLen()+7)/8))
}
