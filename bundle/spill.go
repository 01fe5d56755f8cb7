package bundle

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/iotcert/iotcert/profile"
)

// Spilling end entities (docs/bundle.md, "Concurrency and memory"): under
// Spool, the Node of an end entity is written to a temporary file (the
// node spool) as soon as it is linted, and only a record of hashes stays
// in memory until every certificate is in. The CAs, self-issued
// certificates and copies of trust anchors stay in memory as before.
//
// When the last certificate is in, promote reads back into memory the end
// entities that any check relates to another certificate: those whose
// SHA-256, issuer and serial, public key or device serial number hash
// like another certificate's, whose subject hashes like some issuer name
// or whose subjectKeyIdentifier like some authorityKeyIdentifier. Every
// other end entity relates to the certificates in memory alone (its
// issuers), so the chain checks are run on it, one at a time, as the
// results are replayed (Spooled.Results): its issuers found and its
// signature checked, its path judged, its findings added to its result.
// End entities that share a key hash among themselves alone stay on disk:
// keyReuse compares their keys as they are replayed. The findings are the
// same as with every Node in memory (TestSpoolMatchesRun).

// spill is the state of spilling of one bundle.
type spill struct {
	nodes  *nodeSpool
	seed   maphash.Seed
	recs   [][]certRec // by result index, in chunks
	anchor map[[32]byte]bool
	err    error // the first write error of the node spool

	// Set by promote.
	spilled   bitSet               // the result indices whose Node is in the spool
	issuers   []uint32             // sorted hashes of the issuer names of the spilled end entities
	crlCands  []int64              // offsets of spilled end entities that checkCRLSign needs
	keyGroups map[uint32]*keyGroup // spilled end entities sharing a key hash, by the hash
	nSpilled  int
	nPromoted int
}

// certRec is what stays in memory of a certificate while the bundle is
// read (one per result, in input order): hashes of what the checks that
// relate two certificates compare. The hashes have 32 bits:
// certificates whose hashes agree by chance are read back into memory for
// nothing, or, for keys, compared in full (keyReuse); nothing is decided
// on a hash alone.
type certRec struct {
	keys [numKeys]uint32
	pos  uint64 // the record's offset in the node spool << 8 | its flags
}

// Keys of certRec.
const (
	keySHA     = iota // the DER's SHA-256: duplicates
	keySerial         // issuer and serial: e_iot_all_serial_unique
	keySPKI           // public key: w_chain_key_reuse
	keySN             // device serial number of an IDevID or LDevID: n_devid_ldevid_subject_match
	keySKI            // subjectKeyIdentifier: the hint of e_chain_orphan
	keySubject        // subject: issuers
	keyIssuer         // issuer name
	keyAKI            // authorityKeyIdentifier
	numKeys
)

// Record flags: which keys are set, facts for checkCRLSign, and whether
// the Node is in memory.
const (
	rfSHA = 1 << iota
	rfSPKI
	rfSN
	rfSKI
	rfAKI
	rfCRLDP  // a distribution point without cRLIssuer (crlsign.go)
	rfCert   // the result is a certificate's
	rfMemory // the Node is in memory
)

func (r *certRec) flags() uint8 { return uint8(r.pos) }

// off returns the offset of the Node in the node spool, or -1 when it is
// in memory.
func (r *certRec) off() int64 {
	if r.flags()&rfMemory != 0 {
		return -1
	}
	return int64(r.pos >> 8)
}

const recChunk = 4096

func newSpill(nodes *nodeSpool) *spill {
	return &spill{nodes: nodes, seed: maphash.MakeSeed()}
}

func (sp *spill) hash(s string) uint32 { return uint32(maphash.String(sp.seed, s)) }

// record returns the record of n.
func (sp *spill) record(n *Node) certRec {
	var flags uint8 = rfCert | rfMemory
	r := certRec{}
	if n.sha256 != ([32]byte{}) {
		flags |= rfSHA
		r.keys[keySHA] = binary.LittleEndian.Uint32(n.sha256[:])
	}
	r.keys[keySerial] = sp.hash(n.issuer + "\x00" + n.serial)
	if len(n.spki) > 0 {
		flags |= rfSPKI
		r.keys[keySPKI] = sp.hash(string(n.spki))
	}
	if k := devKind(n); k != 0 && n.subjectSN != "" {
		flags |= rfSN
		r.keys[keySN] = sp.hash(n.subjectSN)
	}
	if len(n.ski) > 0 {
		flags |= rfSKI
		r.keys[keySKI] = sp.hash(string(n.ski))
	}
	if len(n.aki) > 0 {
		flags |= rfAKI
		r.keys[keyAKI] = sp.hash(string(n.aki))
	}
	r.keys[keySubject] = sp.hash(n.subject)
	r.keys[keyIssuer] = sp.hash(n.issuer)
	if n.crl&crlDPByIssuer != 0 {
		flags |= rfCRLDP
	}
	r.pos = uint64(flags)
	return r
}

// add records n, the node of the next result, and writes it to the node
// spool when it is an end entity that can wait there. It reports whether
// it did.
func (sp *spill) add(b *Bundle, n *Node) bool {
	if sp.anchor == nil {
		sp.anchor = map[[32]byte]bool{}
		for _, a := range b.anchors {
			sp.anchor[a.sha256] = true
		}
	}
	r := sp.record(n)
	// A size budget keeps every certificate in memory: the size checks
	// measure whole chains when the graph is drawn.
	spill := sp.err == nil && b.opts.SizeBudget == nil && spillable(n) && !n.isCA && n.subject != n.issuer && !sp.anchor[n.sha256]
	if spill {
		off, err := sp.nodes.write(n)
		if err != nil {
			sp.err = err
			spill = false
		} else {
			r.pos = uint64(off)<<8 | uint64(r.flags()&^rfMemory)
		}
	}
	sp.append(r)
	return spill
}

// append appends the record of the next result.
func (sp *spill) append(r certRec) {
	switch {
	case len(sp.recs) == 0:
		// The first chunk grows with the input, so that a run over a
		// few certificates does not allocate a whole chunk.
		sp.recs = append(sp.recs, nil)
	case len(sp.recs[len(sp.recs)-1]) == recChunk:
		sp.recs = append(sp.recs, make([]certRec, 0, recChunk))
	}
	last := &sp.recs[len(sp.recs)-1]
	*last = append(*last, r)
}

// isSpilled reports whether the Node of result i is in the spool.
func (sp *spill) isSpilled(i int) bool {
	return sp != nil && sp.spilled.has(i)
}

// isIssuer reports whether subject may be the issuer name of a spilled
// end entity.
func (sp *spill) isIssuer(subject string) bool {
	if sp == nil || len(sp.issuers) == 0 {
		return false
	}
	_, ok := slices.BinarySearch(sp.issuers, sp.hash(subject))
	return ok
}

// keyed is a hash and the record it belongs to.
type keyed struct {
	h, rec uint32
}

// bitSet is a set of small integers.
type bitSet []uint64

func (s bitSet) has(i int) bool { return i/64 < len(s) && s[i/64]&(1<<(i%64)) != 0 }
func (s bitSet) set(i int)      { s[i/64] |= 1 << (i % 64) }

// promote reads back into b the Nodes of the spilled end entities that a
// check relates to another certificate (see the top of this file), and
// keeps what the replay needs.
func (sp *spill) promote(b *Bundle) {
	// The records are numbered by result index, then the trust anchors.
	nRecs := b.count
	anchorRecs := make([]certRec, len(b.anchors))
	for i, a := range b.anchors {
		anchorRecs[i] = sp.record(a)
	}
	rec := func(i int) *certRec {
		if i >= nRecs {
			return &anchorRecs[i-nRecs]
		}
		return &sp.recs[i/recChunk][i%recChunk]
	}
	total := nRecs + len(anchorRecs)
	promote := make(bitSet, (total+63)/64)
	var keyGroups [][]keyed // key hashes shared by spilled end entities alone
	// Hashes shared by two certificates.
	for _, k := range []struct {
		key  int
		flag uint8
	}{{keySHA, rfSHA}, {keySerial, rfCert}, {keySPKI, rfSPKI}, {keySN, rfSN}} {
		var ks []keyed
		for i := range total {
			if r := rec(i); r.flags()&k.flag != 0 {
				ks = append(ks, keyed{r.keys[k.key], uint32(i)})
			}
		}
		slices.SortFunc(ks, func(a, b keyed) int {
			switch {
			case a.h < b.h:
				return -1
			case a.h > b.h:
				return 1
			}
			return 0
		})
		for i := 0; i < len(ks); {
			j := i + 1
			for j < len(ks) && ks[j].h == ks[i].h {
				j++
			}
			if j-i > 1 {
				if k.key == keySPKI && !slices.ContainsFunc(ks[i:j], func(e keyed) bool { return rec(int(e.rec)).off() < 0 }) {
					// Key reuse among spilled end entities alone is
					// judged as they are replayed (keyReuse).
					keyGroups = append(keyGroups, ks[i:j])
				} else {
					for _, e := range ks[i:j] {
						promote.set(int(e.rec))
					}
				}
			}
			i = j
		}
	}
	// A key shared with a certificate read back for another reason is
	// judged in memory with all who share it.
	for _, g := range keyGroups {
		if slices.ContainsFunc(g, func(e keyed) bool { return promote.has(int(e.rec)) }) {
			for _, e := range g {
				promote.set(int(e.rec))
			}
			continue
		}
		if sp.keyGroups == nil {
			sp.keyGroups = map[uint32]*keyGroup{}
		}
		sp.keyGroups[g[0].h] = &keyGroup{remaining: len(g)}
	}
	keyGroups = nil
	// A subject that is some certificate's issuer name, a
	// subjectKeyIdentifier that is some authorityKeyIdentifier.
	var issuers, akis []uint32
	for i := range total {
		r := rec(i)
		if r.flags()&rfCert == 0 {
			continue
		}
		issuers = append(issuers, r.keys[keyIssuer])
		if r.flags()&rfAKI != 0 {
			akis = append(akis, r.keys[keyAKI])
		}
	}
	slices.Sort(issuers)
	issuers = slices.Compact(issuers)
	slices.Sort(akis)
	akis = slices.Compact(akis)
	for i := range nRecs {
		r := rec(i)
		if r.off() < 0 {
			continue
		}
		if _, ok := slices.BinarySearch(issuers, r.keys[keySubject]); ok {
			promote.set(i)
		}
		if _, ok := slices.BinarySearch(akis, r.keys[keySKI]); ok && r.flags()&rfSKI != 0 {
			promote.set(i)
		}
	}
	// Read the promoted Nodes back; keep the others' indices and issuer
	// names.
	sp.spilled = make(bitSet, (nRecs+63)/64)
	var spilledIssuers []uint32
	for i := range nRecs {
		r := rec(i)
		if r.off() < 0 {
			continue
		}
		if promote.has(i) && sp.err == nil {
			n, err := sp.nodes.readAt(r.off())
			if err != nil {
				sp.err = err
			} else {
				n.issuer = b.intern(n.issuer)
				b.nodes = append(b.nodes, n)
				sp.nPromoted++
				continue
			}
		}
		sp.spilled.set(i)
		sp.nSpilled++
		spilledIssuers = append(spilledIssuers, r.keys[keyIssuer])
	}
	if sp.nPromoted > 0 {
		slices.SortStableFunc(b.nodes, func(x, y *Node) int { return x.index - y.index })
	}
	slices.Sort(spilledIssuers)
	sp.issuers = slices.Compact(spilledIssuers)
	// The spilled end entities checkCRLSign may name: a distribution
	// point without cRLIssuer, under a CA whose keyUsage lacks cRLSign.
	if appliesToProfiles(crlSignProfiles, b.opts.Profiles) {
		noCRLSign := map[uint32]bool{}
		for _, n := range b.nodes {
			if n != nil && n.isCA && n.crl&crlKUPresent != 0 && n.crl&crlKUCRLSign == 0 {
				noCRLSign[sp.hash(n.subject)] = true
			}
		}
		for i := range nRecs {
			if r := rec(i); sp.spilled.has(i) && r.flags()&rfCRLDP != 0 && noCRLSign[r.keys[keyIssuer]] {
				sp.crlCands = append(sp.crlCands, r.off())
			}
		}
	}
	sp.recs = nil
}

// withCRLCandidates returns live with the spilled end entities that
// checkCRLSign may name, placed under their issuers, in input order.
func (sp *spill) withCRLCandidates(f *finisher, live []*state) []*state {
	if sp == nil || len(sp.crlCands) == 0 {
		return live
	}
	var extra []*state
	for _, off := range sp.crlCands {
		n, err := sp.nodes.readAt(off)
		if err != nil {
			sp.err = err
			return live
		}
		s := &state{n: n, role: n.role.String()}
		f.linkState(s)
		f.place(s)
		extra = append(extra, s)
	}
	out := make([]*state, 0, len(live)+len(extra))
	out = append(out, live...)
	out = append(out, extra...)
	// Input order; the trust anchors (index -1) stay last.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].n.index, out[j].n.index
		if a < 0 || b < 0 {
			return a >= 0 && b < 0
		}
		return a < b
	})
	return out
}

// place orders the issuers of the end entity s, linked by linkState, as
// assignRoles and judgePaths order those of the certificates in memory.
func (f *finisher) place(s *state) {
	sort.SliceStable(s.parents, func(i, j int) bool { return betterParent(s, s.parents[i], s.parents[j]) })
	if !f.hasAnchor {
		return
	}
	v := f.pathOf(s)
	if v.valid && v.path != nil {
		chosen := v.path.s
		if i := slices.Index(s.parents, chosen); i > 0 {
			copy(s.parents[1:i+1], s.parents[:i])
			s.parents[0] = chosen
		}
	}
}

// judgeSpilled runs the chain checks on the spilled end entity s, linked
// by linkState, and returns its findings and its node of the graph.
func (f *finisher) judgeSpilled(s *state) ([]profile.Finding, GraphNode) {
	f.place(s)
	saved := f.findings
	f.findings = nil
	f.checkOne(s)
	f.checkPath(s)
	f.b.spill.keyReuse(f, s)
	if appliesToProfiles(bacnetProfiles, f.b.opts.Profiles) {
		f.checkBACnetOne(s)
	}
	var out []profile.Finding
	for _, cf := range f.findings {
		out = append(out, cf.Finding)
	}
	f.findings = saved
	return out, f.graphNode(s)
}

// keyGroup is the spilled end entities whose keys share one hash, while
// they are replayed: the first certificate of each key among them.
type keyGroup struct {
	remaining int // members not replayed yet
	firsts    []keyFirst
}

// keyFirst is the first certificate of a key, as checkKeyReuse compares
// and names it.
type keyFirst struct {
	spki, subject, describe string
	isCA                    bool
}

// keyReuse is checkKeyReuse on the spilled end entity s, replayed in
// input order: the first certificate of its key was replayed before it.
func (sp *spill) keyReuse(f *finisher, s *state) {
	if len(s.n.spki) == 0 || sp.keyGroups == nil {
		return
	}
	h := sp.hash(string(s.n.spki))
	g := sp.keyGroups[h]
	if g == nil {
		return
	}
	i := slices.IndexFunc(g.firsts, func(k keyFirst) bool { return k.spki == string(s.n.spki) })
	if i < 0 {
		g.firsts = append(g.firsts, keyFirst{spki: string(s.n.spki), subject: s.n.subject, describe: describe(s), isCA: s.n.isCA})
	} else if o := g.firsts[i]; o.subject != s.n.subject || o.isCA != s.n.isCA {
		f.add(s, KeyReuse, "same public key as %s", o.describe)
	}
	if g.remaining--; g.remaining == 0 {
		delete(sp.keyGroups, h)
	}
}

// nodeSpool holds the Nodes of spilled end entities: in a temporary file,
// or in memory when file is nil (tests). Each record is its length (4
// bytes, little-endian) and appendNode's encoding.
type nodeSpool struct {
	file *os.File
	w    *bufio.Writer
	mem  []byte
	size int64
	buf  []byte
}

// readBufferSize is the size of the buffer to read a spool file of size
// bytes through: 64 KiB, or the file's size when it is smaller (a run over
// a few certificates then allocates a few kilobytes, not 64).
func readBufferSize(size int64) int {
	return int(max(16, min(size, 1<<16)))
}

// newNodeSpool returns a node spool in a new temporary file in dir
// (os.TempDir when empty).
func newNodeSpool(dir string) (*nodeSpool, error) {
	f, err := createTemp(dir, "iotcert-nodes-*.bin")
	if err != nil {
		return nil, fmt.Errorf("spooling end entities: %w", err)
	}
	return &nodeSpool{file: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (s *nodeSpool) write(n *Node) (int64, error) {
	s.buf = appendNode(append(s.buf[:0], 0, 0, 0, 0), n)
	binary.LittleEndian.PutUint32(s.buf, uint32(len(s.buf)-4))
	off := s.size
	if s.file == nil {
		s.mem = append(s.mem, s.buf...)
	} else if _, err := s.w.Write(s.buf); err != nil {
		return 0, fmt.Errorf("spooling end entities to %s: %w", s.file.Name(), err)
	}
	s.size += int64(len(s.buf))
	return off, nil
}

// reader returns the spool's bytes, once written.
func (s *nodeSpool) reader() (io.ReaderAt, error) {
	if s.file == nil {
		return readerAtBytes(s.mem), nil
	}
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("spooling end entities to %s: %w", s.file.Name(), err)
	}
	return s.file, nil
}

func (s *nodeSpool) readAt(off int64) (*Node, error) {
	r, err := s.reader()
	if err != nil {
		return nil, err
	}
	var l [4]byte
	if _, err := r.ReadAt(l[:], off); err != nil {
		return nil, fmt.Errorf("reading the node spool: %w", err)
	}
	b := make([]byte, binary.LittleEndian.Uint32(l[:]))
	if _, err := r.ReadAt(b, off+4); err != nil {
		return nil, fmt.Errorf("reading the node spool: %w", err)
	}
	return decodeNode(b)
}

// scan returns a function that reads the records in order, and io.EOF
// after the last.
func (s *nodeSpool) scan() func() (*Node, error) {
	r, err := s.reader()
	if err != nil {
		return func() (*Node, error) { return nil, err }
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, s.size), readBufferSize(s.size))
	var b []byte
	return func() (*Node, error) {
		var l [4]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("reading the node spool: %w", err)
		}
		b = slices.Grow(b[:0], int(binary.LittleEndian.Uint32(l[:])))[:binary.LittleEndian.Uint32(l[:])]
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, fmt.Errorf("reading the node spool: %w", err)
		}
		return decodeNode(b)
	}
}

// close removes the spool.
func (s *nodeSpool) close() error {
	if s == nil || s.file == nil {
		return nil
	}
	err := closeTemp(s.file)
	s.file = nil
	return err
}

type readerAtBytes []byte

func (b readerAtBytes) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// tempFiles are the names of the temporary files that could not be
// removed when they were created (systems that do not remove open files).
var tempFiles sync.Map // *os.File → name

// createTemp creates a temporary file (mode 0600) in dir and removes its
// name at once where the system allows it, so that nothing is left
// behind when the process is interrupted or killed.
func createTemp(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	if os.Remove(f.Name()) != nil {
		tempFiles.Store(f, f.Name())
	}
	return f, nil
}

// closeTemp closes a file of createTemp and removes it if it still has a
// name.
func closeTemp(f *os.File) error {
	err := f.Close()
	if name, ok := tempFiles.LoadAndDelete(f); ok {
		if rmErr := os.Remove(name.(string)); err == nil {
			err = rmErr
		}
	}
	return err
}
