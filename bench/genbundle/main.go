// Command genbundle writes a large PEM certificate bundle for the
// benchmarks of bench/lint.sh: one root, a few device CAs under it and
// device certificates of the tls13-iot profile spread over the device CAs,
// a few of them broken in known ways. Every signature is real.
//
//	go run ./bench/genbundle -n 100000 -out /tmp/bundle.pem
//
// Devices are made on all cores and written in order. One device in
// every -broken-every is broken, in turn: a subjectKeyIdentifier (which
// the IoT profile forbids on end entities), a P-224 key, a signature by a
// key that is not its issuer's, and a notAfter after its issuer's.
// -key-reuse K gives K consecutive devices the same key (reported as
// w_chain_key_reuse), for when key generation should not dominate; the
// default makes a key per device, as a real bundle has.
package main

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/iotcert/iotcert/internal/certgen"
)

func main() {
	n := flag.Int("n", 10000, "number of certificates in the bundle, CAs included")
	out := flag.String("out", "-", "output `FILE` (\"-\": standard output)")
	subs := flag.Int("subs", 4, "number of device CAs under the root")
	brokenEvery := flag.Int("broken-every", 200, "break one device certificate in every `K` (0: none)")
	keyReuse := flag.Int("key-reuse", 1, "give `K` consecutive devices the same key")
	flag.Parse()
	if *n < 1+*subs || *subs < 1 || *keyReuse < 1 || *brokenEvery < 0 {
		fmt.Fprintln(os.Stderr, "genbundle: need -subs >= 1, -n >= 1 + subs, -key-reuse >= 1, -broken-every >= 0")
		os.Exit(2)
	}
	if err := run(*n, *out, *subs, *brokenEvery, *keyReuse); err != nil {
		fmt.Fprintf(os.Stderr, "genbundle: %v\n", err)
		os.Exit(1)
	}
}

func run(n int, out string, subs, brokenEvery, keyReuse int) error {
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)

	root, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		return err
	}
	cas := make([]*certgen.Issued, subs)
	for i := range cas {
		t := certgen.SubTemplate(root)
		t.Subject = pkix.Name{CommonName: fmt.Sprintf("Example IoT Device CA %d", i+1), Organization: []string{"Example Devices Ltd"}, Country: []string{"DE"}}
		if cas[i], err = certgen.Issue(t); err != nil {
			return err
		}
	}
	// A key with the name of the first device CA, for broken signatures.
	impostor := certgen.StandIn(cas[0], "P-256")
	for _, c := range append([]*certgen.Issued{root}, cas...) {
		if err := pem.Encode(bw, &pem.Block{Type: "CERTIFICATE", Bytes: c.DER()}); err != nil {
			return err
		}
	}

	// Devices are made in chunks on all cores and written in chunk order.
	const chunk = 500
	devices := n - 1 - subs
	chunks := (devices + chunk - 1) / chunk
	results := make([]chan []byte, chunks)
	for i := range results {
		results[i] = make(chan []byte, 1)
	}
	next := make(chan int)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				buf, err := makeChunk(c*chunk, min(devices, (c+1)*chunk), cas, impostor, brokenEvery, keyReuse)
				if err != nil {
					errs <- err
					results[c] <- nil
					continue
				}
				results[c] <- buf
			}
		}()
	}
	// Workers stay at most a few chunks ahead of the writer.
	ahead := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	go func() {
		for c := range chunks {
			ahead <- struct{}{}
			next <- c
		}
		close(next)
	}()
	for c := range chunks {
		buf := <-results[c]
		if buf == nil {
			return <-errs
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		<-ahead
	}
	wg.Wait()
	return bw.Flush()
}

// makeChunk returns the PEM of devices [from, to).
func makeChunk(from, to int, cas []*certgen.Issued, impostor *certgen.Issued, brokenEvery, keyReuse int) ([]byte, error) {
	var buf bytes.Buffer
	var key crypto.Signer
	for i := from; i < to; i++ {
		ca := cas[i%len(cas)]
		t := certgen.EETemplate("tls13-iot", ca)
		if keyReuse > 1 {
			if key == nil || i%keyReuse == 0 {
				key = t.Key
			}
			t.Key = key
		}
		id := fmt.Sprintf("%07d", i)
		t.Subject.CommonName = "Example sensor " + id
		t.Subject.SerialNumber = "SN" + id
		t.SetSAN(false, certgen.DNSName("sensor-"+id+".devices.example.com"))
		if brokenEvery > 0 && i%brokenEvery == brokenEvery-1 {
			switch (i / brokenEvery) % 4 {
			case 0:
				t.SubjectKeyId = certgen.KeyID(t.Key.Public())
			case 1:
				t.Key = certgen.NewKey("P-224")
			case 2:
				t.Issuer = impostor
			case 3:
				t.NotAfter = ca.Cert.NotAfter.AddDate(1, 0, 0)
			}
		}
		c, err := certgen.Issue(t)
		if err != nil {
			return nil, fmt.Errorf("device %d: %w", i, err)
		}
		if err := pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: c.DER()}); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
