package c509

import (
	"crypto/x509"
	"runtime"
	"testing"
	"time"

	"github.com/iotcert/iotcert/certio"
)

// benchCerts returns the certificates of testdata/certs that C509 can
// represent and crypto/x509 parses (the peer of the benchmarks), as DER
// and as C509.
func benchCerts(b *testing.B) (ders, c509s [][]byte) {
	for it := range certio.Read([]string{"../testdata/certs"}, nil) {
		if it.Err != nil {
			continue
		}
		if _, err := x509.ParseCertificate(it.DER); err != nil {
			continue
		}
		if c, err := Encode(it.DER); err == nil {
			ders, c509s = append(ders, it.DER), append(c509s, c)
		}
	}
	if len(ders) == 0 {
		b.Fatal("no certificates")
	}
	return ders, c509s
}

// benchAgainstPeer runs op over the certificates, one per iteration, in
// rounds of all of them, and after each round runs the peer,
// crypto/x509.ParseCertificate, over the same certificates' DER, so that
// both share the machine's load. It reports op's certificates/s and the
// ratio of op's speed to the peer's ("x-parse": 0.5 is half as fast as
// parsing the DER with crypto/x509). The machine the benchmarks run on may
// be shared: the ratio is the figure to compare, not certs/s. Where the
// thread's CPU time can be read (Linux), it also reports both figures on
// CPU time ("cpu-certs/s", "cpu-x-parse"), which a busy machine disturbs
// less than wall-clock time; the benchmark stays on one thread for them.
func benchAgainstPeer(b *testing.B, inputs, ders [][]byte, op func([]byte) error) {
	b.ReportAllocs()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var mine, peer time.Duration
	var mineCPU, peerCPU int64
	cpuOK := true
	n := 0
	b.ResetTimer()
	for b.Loop() {
		c0, ok0 := threadCPU()
		start := time.Now()
		for _, in := range inputs {
			if err := op(in); err != nil {
				b.Fatal(err)
			}
		}
		mid := time.Now()
		c1, ok1 := threadCPU()
		for _, der := range ders {
			if _, err := x509.ParseCertificate(der); err != nil {
				b.Fatal(err)
			}
		}
		end := time.Now()
		c2, ok2 := threadCPU()
		mine, peer, n = mine+mid.Sub(start), peer+end.Sub(mid), n+len(inputs)
		mineCPU, peerCPU, cpuOK = mineCPU+c1-c0, peerCPU+c2-c1, cpuOK && ok0 && ok1 && ok2
	}
	b.ReportMetric(float64(n)/mine.Seconds(), "certs/s")
	b.ReportMetric(float64(n)/peer.Seconds(), "x509-parse-certs/s")
	b.ReportMetric(peer.Seconds()/mine.Seconds(), "x-parse")
	if cpuOK && mineCPU > 0 && peerCPU > 0 {
		b.ReportMetric(float64(n)*1e9/float64(mineCPU), "cpu-certs/s")
		b.ReportMetric(float64(peerCPU)/float64(mineCPU), "cpu-x-parse")
	}
}

// BenchmarkEncode re-encodes the generated certificates, including the
// check that the result decodes back, against crypto/x509.ParseCertificate
// of the same certificates. An iteration is one round of all of them.
func BenchmarkEncode(b *testing.B) {
	ders, _ := benchCerts(b)
	benchAgainstPeer(b, ders, ders, func(der []byte) error {
		_, err := Encode(der)
		return err
	})
}

// BenchmarkDecode decodes their C509 encodings back to DER, against
// crypto/x509.ParseCertificate of the DER.
func BenchmarkDecode(b *testing.B) {
	ders, c509s := benchCerts(b)
	benchAgainstPeer(b, c509s, ders, func(c []byte) error {
		_, err := Decode(c)
		return err
	})
}
