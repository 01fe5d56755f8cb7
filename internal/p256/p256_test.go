package p256

import (
	"bytes"
	"crypto/ecdh"
	"crypto/elliptic"
	"crypto/rand"
	"math/big"
	mrand "math/rand/v2"
	"testing"
)

// toBig returns the number an element's limbs spell (not leaving
// Montgomery form).
func toBig(e element) *big.Int {
	n := new(big.Int)
	for i := 3; i >= 0; i-- {
		n.Lsh(n, 64)
		n.Or(n, new(big.Int).SetUint64(e[i]))
	}
	return n
}

// TestConstants derives every constant from the curve's parameters in
// crypto/elliptic with math/big.
func TestConstants(t *testing.T) {
	params := elliptic.P256().Params()
	r := new(big.Int).Lsh(big.NewInt(1), 256)
	want := map[string]*big.Int{
		"p":      params.P,
		"rr":     new(big.Int).Mod(new(big.Int).Mul(r, r), params.P),
		"curveB": new(big.Int).Mod(new(big.Int).Mul(params.B, r), params.P),
		"one":    new(big.Int).Mod(r, params.P),
	}
	got := map[string]element{"p": p, "rr": rr, "curveB": curveB, "one": one}
	for name, w := range want {
		if g := toBig(got[name]); g.Cmp(w) != 0 {
			t.Errorf("%s = %x, want %x", name, g, w)
		}
	}
}

// TestMulAgainstBig checks Montgomery multiplication, addition and
// subtraction against math/big, and squaring against multiplication, on
// random and edge-case operands below p.
func TestMulAgainstBig(t *testing.T) {
	P := elliptic.P256().Params().P
	rInv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), 256), P)
	pm1 := new(big.Int).Sub(P, big.NewInt(1))
	edges := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), pm1, new(big.Int).Sub(P, big.NewInt(2)), new(big.Int).Lsh(big.NewInt(1), 255)}
	rng := mrand.New(mrand.NewPCG(1, 2))
	var operands []*big.Int
	operands = append(operands, edges...)
	for range 2000 {
		var e element
		for i := range e {
			e[i] = rng.Uint64()
		}
		operands = append(operands, new(big.Int).Mod(toBig(e), P))
	}
	fromBig := func(n *big.Int) element {
		var e element
		b := n.FillBytes(make([]byte, 32))
		for i := range 4 {
			for j := range 8 {
				e[i] |= uint64(b[31-8*i-j]) << (8 * j)
			}
		}
		return e
	}
	for i, a := range operands {
		b := operands[(i*7+3)%len(operands)]
		x, y := fromBig(a), fromBig(b)
		var z, s, d element
		mul(&z, &x, &y)
		want := new(big.Int).Mul(a, b)
		want.Mul(want, rInv).Mod(want, P)
		if toBig(z).Cmp(want) != 0 {
			t.Fatalf("mul(%x, %x) = %x, want %x", a, b, toBig(z), want)
		}
		var sq, sq2 element
		sqr(&sq, &x, 1)
		mul(&sq2, &x, &x)
		if sq != sq2 {
			t.Fatalf("sqr(%x) = %x, mul gives %x", a, toBig(sq), toBig(sq2))
		}
		sqr(&sq, &x, 3)
		mul(&sq2, &sq2, &sq2)
		mul(&sq2, &sq2, &sq2)
		if sq != sq2 {
			t.Fatalf("sqr(%x, 3) = %x, mul gives %x", a, toBig(sq), toBig(sq2))
		}
		add(&s, &x, &y)
		if w := new(big.Int).Mod(new(big.Int).Add(a, b), P); toBig(s).Cmp(w) != 0 {
			t.Fatalf("add(%x, %x) = %x, want %x", a, b, toBig(s), w)
		}
		sub(&d, &x, &y)
		if w := new(big.Int).Mod(new(big.Int).Sub(a, b), P); toBig(d).Cmp(w) != 0 {
			t.Fatalf("sub(%x, %x) = %x, want %x", a, b, toBig(d), w)
		}
	}
}

// TestDecompressYAgainstStdlib compares DecompressY with
// crypto/elliptic.UnmarshalCompressed on real keys (both parities) and on
// random x coordinates, about half of which are on no point.
func TestDecompressYAgainstStdlib(t *testing.T) {
	curve := elliptic.P256()
	check := func(x []byte, odd bool) {
		t.Helper()
		sameAsStdlib(t, x, odd)
	}
	points := 0
	for range 500 {
		k, err := ecdh.P256().GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub := k.PublicKey().Bytes()
		check(pub[1:33], false)
		check(pub[1:33], true)
		y := make([]byte, 32)
		if !DecompressY(y, pub[1:33], pub[64]&1 == 1) || !bytes.Equal(y, pub[33:]) {
			t.Fatalf("key %x: y %x", pub, y)
		}
		points++
	}
	rng := mrand.New(mrand.NewPCG(3, 4))
	for range 500 {
		x := make([]byte, 32)
		for i := range x {
			x[i] = byte(rng.Uint32())
		}
		check(x, rng.IntN(2) == 1)
	}
	// Not below p: p itself, p + 1 and all ones.
	P := curve.Params().P
	for _, n := range []*big.Int{P, new(big.Int).Add(P, big.NewInt(1)), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))} {
		check(n.FillBytes(make([]byte, 32)), false)
	}
	// x = 0 is on the curve (b is a square), the generator's x too.
	check(make([]byte, 32), false)
	check(curve.Params().Gx.FillBytes(make([]byte, 32)), true)
	if points == 0 {
		t.Fatal("no points checked")
	}
}

// sameAsStdlib fails t unless DecompressY and
// crypto/elliptic.UnmarshalCompressed agree on x (32 bytes) and odd: both
// refuse it, or both give the same y.
func sameAsStdlib(t *testing.T, x []byte, odd bool) {
	t.Helper()
	in := append([]byte{2}, x...)
	if odd {
		in[0] = 3
	}
	wx, wy := elliptic.UnmarshalCompressed(elliptic.P256(), in)
	y := make([]byte, 32)
	ok := DecompressY(y, x, odd)
	if ok != (wx != nil) {
		t.Fatalf("x %x odd %v: DecompressY says %v, crypto/elliptic %v", x, odd, ok, wx != nil)
	}
	if ok && !bytes.Equal(y, wy.FillBytes(make([]byte, 32))) {
		t.Fatalf("x %x odd %v: y %x, want %x", x, odd, y, wy)
	}
}

// TestDecompressYLengths refuses inputs of the wrong length.
func TestDecompressYLengths(t *testing.T) {
	if DecompressY(make([]byte, 32), make([]byte, 31), false) || DecompressY(make([]byte, 31), make([]byte, 32), false) {
		t.Fatal("a wrong length was accepted")
	}
}

func BenchmarkDecompressY(b *testing.B) {
	k, _ := ecdh.P256().GenerateKey(rand.Reader)
	pub := k.PublicKey().Bytes()
	y := make([]byte, 32)
	for b.Loop() {
		DecompressY(y, pub[1:33], pub[64]&1 == 1)
	}
}

func BenchmarkUnmarshalCompressed(b *testing.B) {
	k, _ := ecdh.P256().GenerateKey(rand.Reader)
	pub := k.PublicKey().Bytes()
	in := append([]byte{2 + pub[64]&1}, pub[1:33]...)
	for b.Loop() {
		elliptic.UnmarshalCompressed(elliptic.P256(), in)
	}
}
