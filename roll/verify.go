package roll

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/store"
)

// Set is what a rollover left: the two roots, the two link certificates
// and the CAs of both hierarchies.
type Set struct {
	OldWithOld, NewWithNew, NewWithOld, OldWithNew *x509.Certificate
	// OldCAs are the CAs of the old hierarchy below the old root.
	OldCAs []*x509.Certificate
	// NewCAs are the re-signed CAs of the new hierarchy.
	NewCAs []*x509.Certificate
}

// Set returns the certificates of ro.
func (ro *Rollover) Set() *Set {
	s := &Set{OldWithOld: ro.OldWithOld, NewWithNew: ro.NewWithNew, NewWithOld: ro.NewWithOld, OldWithNew: ro.OldWithNew}
	for _, r := range ro.Resigned {
		s.OldCAs = append(s.OldCAs, r.CA.Cert)
		s.NewCAs = append(s.NewCAs, r.Cert)
	}
	return s
}

// DevicesDirs returns the devices directories "iotcert roll verify" reads
// when none is named: DEVICES beside the old root's directory and in
// newDir (store.DevicesDir), those of them that are directories. The old
// root's directory may be "." or "..": beside it is beside the directory
// it names.
func DevicesDirs(oldRootDir, newDir string) ([]string, error) {
	parent, _, err := splitCADir(oldRootDir)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, d := range []string{filepath.Join(parent, store.DevicesDir), filepath.Join(newDir, store.DevicesDir)} {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			dirs = append(dirs, d)
		}
	}
	return dirs, nil
}

// LoadSet reads a rollover from disk: the old root's directory (as
// "iotcert gen hierarchy" wrote it; the other CA directories beside it
// are the old hierarchy's CAs) and the directory Write made. No
// certificate is read through a symbolic link: the old root's directory
// is opened as LoadCA opens it, each CA directory beside it, or in
// newDir, below the directory holding it, and each file with O_NOFOLLOW
// (a CA directory that is a link is skipped as it always was; one
// swapped for a link after it was listed is refused).
func LoadSet(oldRootDir, newDir string) (*Set, error) {
	s := &Set{}
	parent, _, err := splitCADir(oldRootDir)
	if err != nil {
		return nil, err
	}
	d, _, err := openCADir(oldRootDir)
	if err != nil {
		return nil, fmt.Errorf("old root: %w", err)
	}
	s.OldWithOld, err = store.ReadCertIn(d, store.CertFile)
	d.Close()
	if err != nil {
		return nil, fmt.Errorf("old root: %w", err)
	}
	for _, f := range []struct {
		name string
		dst  **x509.Certificate
	}{{NewWithNewFile, &s.NewWithNew}, {NewWithOldFile, &s.NewWithOld}, {OldWithNewFile, &s.OldWithNew}} {
		if *f.dst, err = store.ReadCertFile(filepath.Join(newDir, f.name)); err != nil {
			return nil, err
		}
	}
	if s.OldCAs, err = caDirs(parent); err != nil {
		return nil, err
	}
	if s.NewCAs, err = caDirs(newDir); err != nil {
		return nil, err
	}
	// The roots themselves are anchors, not CAs of a hierarchy.
	drop := func(cs []*x509.Certificate) []*x509.Certificate {
		var out []*x509.Certificate
		for _, c := range cs {
			if !isSelfSigned(c) {
				out = append(out, c)
			}
		}
		return out
	}
	s.OldCAs, s.NewCAs = drop(s.OldCAs), drop(s.NewCAs)
	return s, nil
}

func isSelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// caDirs reads DIR/*/cert.pem of every subdirectory that holds a CA
// certificate, each below DIR without following a link
// (store.ReadCertBelow).
func caDirs(dir string) ([]*x509.Certificate, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for _, e := range entries {
		if !e.IsDir() || e.Name() == store.DevicesDir || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		c, err := store.ReadCertBelow(dir, filepath.Join(e.Name(), store.CertFile))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if c.IsCA {
			out = append(out, c)
		}
	}
	return out, nil
}

// EndEntity is a certificate a device presents, with the CA certificates
// it sends along (its chain.pem).
type EndEntity struct {
	// Name says where it was read (a file name).
	Name string
	// Cert is the end-entity certificate.
	Cert *x509.Certificate
	// Chain are the CA certificates presented with it.
	Chain []*x509.Certificate
}

// LoadEndEntities reads every end-entity cert.pem under dir (as "iotcert
// gen device" writes them: devices/<id>/cert.pem with chain.pem beside).
// dir is taken as named; below it no symbolic link is followed (the walk
// does not descend into one, and each directory holding a cert.pem is
// opened again below dir with O_NOFOLLOW, its cert.pem and chain.pem
// relative to it): a cert.pem or chain.pem that is a link is refused with
// an error that names it. A device whose files cannot be read does not
// stop the others: LoadEndEntities returns the end entities it read with
// the errors of the others, joined (errors.Join), each "devices: ...".
func LoadEndEntities(dir string) ([]EndEntity, error) {
	var out []EndEntity
	var errs []error
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() != store.CertFile {
			return nil
		}
		ee, ok, err := loadEndEntity(dir, path)
		if err != nil {
			errs = append(errs, fmt.Errorf("devices: %w", err))
		} else if ok {
			out = append(out, ee)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	if len(out) == 0 && len(errs) == 0 {
		return nil, fmt.Errorf("devices: no end-entity cert.pem under %s", dir)
	}
	return out, errors.Join(errs...)
}

// loadEndEntity reads the device of the cert.pem at path, below dir (see
// LoadEndEntities); it reports false for a CA certificate.
func loadEndEntity(dir, path string) (EndEntity, bool, error) {
	rel, err := filepath.Rel(dir, filepath.Dir(path))
	if err != nil {
		return EndEntity{}, false, err
	}
	sub, err := safefile.OpenBelow(dir, rel)
	if err != nil {
		return EndEntity{}, false, err
	}
	defer sub.Close()
	c, err := store.ReadCertIn(sub, store.CertFile)
	if err != nil {
		return EndEntity{}, false, err
	}
	if c.IsCA {
		return EndEntity{}, false, nil
	}
	ee := EndEntity{Name: path, Cert: c}
	data, err := sub.ReadFile(store.ChainFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return EndEntity{}, false, err
	}
	if err == nil {
		for rest := data; ; {
			var b *pem.Block
			if b, rest = pem.Decode(rest); b == nil {
				break
			}
			if cc, err := x509.ParseCertificate(b.Bytes); err == nil && cc.IsCA {
				ee.Chain = append(ee.Chain, cc)
			}
		}
	}
	return ee, true, nil
}

// Trust is what a device generation trusts.
type Trust string

// The device generations.
const (
	TrustOld  Trust = "old-root"
	TrustNew  Trust = "new-root"
	TrustBoth Trust = "both"
)

// IssuingRoot says which root an end entity was issued under.
type IssuingRoot string

// The issuing roots.
const (
	IssuedOld     IssuingRoot = "old"
	IssuedNew     IssuingRoot = "new"
	IssuedUnknown IssuingRoot = "neither"
)

// Moment is a time paths are verified at; NoClock ignores validity
// periods, as a device without a reliable clock does.
type Moment struct {
	// Label names the moment: "now", "no clock", "2031-01-01", ...
	Label string `json:"label"`
	// Time is the verification time; zero for NoClock.
	Time time.Time `json:"time,omitzero"`
	// NoClock ignores validity periods.
	NoClock bool `json:"no_clock,omitempty"`
}

// MatrixRow is one combination of the verification matrix.
type MatrixRow struct {
	Moment Moment `json:"at"`
	// Device is the device generation.
	Device Trust `json:"device_trusts"`
	// EndEntity is the end entity's Name; Subject its subject.
	EndEntity string `json:"end_entity"`
	Subject   string `json:"subject"`
	// Issued is the hierarchy the end entity was issued under.
	Issued IssuingRoot `json:"issued_under"`
	// Expected is true when the rollover is meant to make this path
	// validate at this moment (every certificate of the designed path is
	// valid then).
	Expected bool `json:"expected"`
	// Valid is true when crypto/x509 validates a path.
	Valid bool `json:"valid"`
	// Path names the certificates of the path found, end entity first.
	Path []string `json:"path,omitempty"`
	// Error is crypto/x509's reason when no path validates.
	Error string `json:"error,omitempty"`
	// Finding is "error" when Expected and not Valid, "" otherwise.
	Finding string `json:"finding,omitempty"`
}

// Matrix is the outcome of Verify.
type Matrix struct {
	OldRoot string      `json:"old_root"`
	NewRoot string      `json:"new_root"`
	Rows    []MatrixRow `json:"results"`
	// Errors counts the rows with an error finding, and end entities
	// issued under neither hierarchy.
	Errors int `json:"errors"`
	// Unplaced are end entities issued under neither hierarchy.
	Unplaced []string `json:"unplaced,omitempty"`
}

// Verify builds and verifies, with crypto/x509, the path of every end
// entity for every device generation (trusting the old root, the new
// root, or both) at every moment, with the /cacerts
// certificates (both roots, both links) and the end entity's own chain
// as intermediates. A
// combination the rollover is meant to make validate that does not is an
// error finding. NoClock moments verify copies of the certificates whose
// validity is widened to all time: signatures, names, key usage and
// constraints are still checked.
func Verify(s *Set, ees []EndEntity, moments []Moment) *Matrix {
	m := &Matrix{OldRoot: s.OldWithOld.Subject.String(), NewRoot: s.NewWithNew.Subject.String()}
	labels := s.labels()
	for _, ee := range ees {
		issued, designed := s.place(ee)
		if issued == IssuedUnknown {
			m.Unplaced = append(m.Unplaced, ee.Name)
			m.Errors++
		}
		for _, mo := range moments {
			for _, tr := range []Trust{TrustOld, TrustNew, TrustBoth} {
				row := MatrixRow{Moment: mo, Device: tr, EndEntity: ee.Name, Subject: ee.Cert.Subject.String(), Issued: issued}
				row.Expected = expected(designed, tr, mo)
				chains, err := s.verify(ee, tr, mo)
				if err == nil && len(chains) > 0 {
					row.Valid = true
					for _, c := range chains[0] {
						row.Path = append(row.Path, labels.of(c, ee.Cert))
					}
				} else if err != nil {
					row.Error = err.Error()
				}
				if row.Expected && !row.Valid {
					row.Finding = "error"
					m.Errors++
				}
				m.Rows = append(m.Rows, row)
			}
		}
	}
	return m
}

// designedPaths are the paths the rollover provides for one end entity,
// by device generation (nil when there is none).
type designedPaths map[Trust][]*x509.Certificate

func expected(d designedPaths, tr Trust, mo Moment) bool {
	ok := func(path []*x509.Certificate) bool {
		if path == nil {
			return false
		}
		if mo.NoClock {
			return true
		}
		for _, c := range path {
			if mo.Time.Before(c.NotBefore) || mo.Time.After(c.NotAfter) {
				return false
			}
		}
		return true
	}
	if tr == TrustBoth {
		return ok(d[TrustOld]) || ok(d[TrustNew])
	}
	return ok(d[tr])
}

// place finds the hierarchy ee was issued under and the designed paths
// of each device generation. A re-signed CA keeps its key, so an end
// entity of either hierarchy can chain through the CA certificate of the
// other: the chain the end entity comes with decides (a path to the old
// root, or to the new root, through its chain.pem alone, validity
// ignored); without one, the CAs of each hierarchy are tried, the old
// first.
func (s *Set) place(ee EndEntity) (IssuingRoot, designedPaths) {
	try := func(root *x509.Certificate, cas []*x509.Certificate) []*x509.Certificate {
		inter := append(append([]*x509.Certificate(nil), ee.Chain...), cas...)
		chains, err := verifyWith(ee.Cert, []*x509.Certificate{root}, withoutRoots(inter, root), Moment{NoClock: true})
		if err != nil || len(chains) == 0 {
			return nil
		}
		return chains[0]
	}
	old := func(p []*x509.Certificate) (IssuingRoot, designedPaths) {
		below := p[:len(p)-1]
		return IssuedOld, designedPaths{
			TrustOld: p,
			TrustNew: append(append(append([]*x509.Certificate(nil), below...), s.OldWithNew), s.NewWithNew),
		}
	}
	nw := func(p []*x509.Certificate) (IssuingRoot, designedPaths) {
		below := p[:len(p)-1]
		return IssuedNew, designedPaths{
			TrustNew: p,
			TrustOld: append(append(append([]*x509.Certificate(nil), below...), s.NewWithOld), s.OldWithOld),
		}
	}
	if len(ee.Chain) > 0 {
		if p := try(s.OldWithOld, nil); p != nil {
			return old(p)
		}
		if p := try(s.NewWithNew, nil); p != nil {
			return nw(p)
		}
	}
	if p := try(s.OldWithOld, s.OldCAs); p != nil {
		return old(p)
	}
	if p := try(s.NewWithNew, s.NewCAs); p != nil {
		return nw(p)
	}
	return IssuedUnknown, designedPaths{}
}

// withoutRoots drops the certificates equal to root (a device's anchor is
// not also an intermediate).
func withoutRoots(cs []*x509.Certificate, roots ...*x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
next:
	for _, c := range cs {
		for _, r := range roots {
			if bytes.Equal(c.Raw, r.Raw) {
				continue next
			}
		}
		out = append(out, c)
	}
	return out
}

// verify validates ee for the device generation tr at mo: the device's
// roots as anchors; the /cacerts certificates (both roots and both links)
// and the chain ee comes with as intermediates. The re-signed CAs are not
// added, so that an old end entity reaches the new root through
// OldWithNew, not through the re-signed certificate of its CA's key.
func (s *Set) verify(ee EndEntity, tr Trust, mo Moment) ([][]*x509.Certificate, error) {
	var roots []*x509.Certificate
	switch tr {
	case TrustOld:
		roots = []*x509.Certificate{s.OldWithOld}
	case TrustNew:
		roots = []*x509.Certificate{s.NewWithNew}
	default:
		roots = []*x509.Certificate{s.OldWithOld, s.NewWithNew}
	}
	inter := []*x509.Certificate{s.NewWithOld, s.OldWithNew, s.OldWithOld, s.NewWithNew}
	inter = append(inter, ee.Chain...)
	return verifyWith(ee.Cert, roots, withoutRoots(inter, roots...), mo)
}

// farFuture is the notAfter of certificates verified without a clock.
var farFuture = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

func verifyWith(leaf *x509.Certificate, roots, inter []*x509.Certificate, mo Moment) ([][]*x509.Certificate, error) {
	orig := map[*x509.Certificate]*x509.Certificate{}
	widen := func(c *x509.Certificate) *x509.Certificate {
		if !mo.NoClock {
			return c
		}
		cp := *c
		cp.NotBefore, cp.NotAfter = time.Time{}, farFuture
		orig[&cp] = c
		return &cp
	}
	rp, ip := x509.NewCertPool(), x509.NewCertPool()
	for _, c := range roots {
		rp.AddCert(widen(c))
	}
	for _, c := range inter {
		ip.AddCert(widen(c))
	}
	at := mo.Time
	if mo.NoClock {
		at = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	chains, err := widen(leaf).Verify(x509.VerifyOptions{Roots: rp, Intermediates: ip, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return nil, err
	}
	// The original certificates, shortest path first.
	for _, ch := range chains {
		for i, c := range ch {
			if o, ok := orig[c]; ok {
				ch[i] = o
			}
		}
	}
	sort.SliceStable(chains, func(i, j int) bool { return len(chains[i]) < len(chains[j]) })
	return chains, nil
}

// certLabels names the certificates of a rollover in paths.
type certLabels map[string]string

func (s *Set) labels() certLabels {
	l := certLabels{
		string(s.OldWithOld.Raw): "OldWithOld",
		string(s.NewWithNew.Raw): "NewWithNew",
		string(s.NewWithOld.Raw): "NewWithOld",
		string(s.OldWithNew.Raw): "OldWithNew",
	}
	for _, c := range s.OldCAs {
		l[string(c.Raw)] = fmt.Sprintf("%s (old)", cnOf(c))
	}
	for _, c := range s.NewCAs {
		l[string(c.Raw)] = fmt.Sprintf("%s (new)", cnOf(c))
	}
	return l
}

func (l certLabels) of(c, leaf *x509.Certificate) string {
	if v, ok := l[string(c.Raw)]; ok {
		return v
	}
	if bytes.Equal(c.Raw, leaf.Raw) {
		return "end entity"
	}
	return cnOf(c)
}

func cnOf(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return c.Subject.String()
}

// ParseMoment parses a verification time: "now", "no-clock",
// "before-old-expiry" / "after-old-expiry" (a day before or after the old
// root's notAfter), an RFC 3339 time or a date (2006-01-02, midnight UTC).
func ParseMoment(s string, now time.Time, set *Set) (Moment, error) {
	switch s {
	case "now":
		return Moment{Label: "now", Time: now}, nil
	case "no-clock":
		return Moment{Label: "no clock", NoClock: true}, nil
	case "before-old-expiry":
		return Moment{Label: s, Time: set.OldWithOld.NotAfter.Add(-24 * time.Hour)}, nil
	case "after-old-expiry":
		return Moment{Label: s, Time: set.OldWithOld.NotAfter.Add(24 * time.Hour)}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return Moment{Label: s, Time: t}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return Moment{Label: s, Time: t}, nil
	}
	return Moment{}, fmt.Errorf("time %q: want now, no-clock, before-old-expiry, after-old-expiry, an RFC 3339 time or a date (2006-01-02)", s)
}
