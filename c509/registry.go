package c509

import (
	"encoding/asn1"
	"encoding/hex"
	"strings"
	"sync"
)

// The registries of draft-ietf-cose-cbor-encoded-cert (editor's copy,
// cose-wg/CBOR-certificates commit 10d1886, 2026-04-22), section "IANA
// Considerations". OIDs are kept as the DER contents octets (the "~oid" of
// the draft: an unwrapped RFC 9090 OID), algorithm identifiers as the DER
// AlgorithmIdentifier SEQUENCE. The registries are built when first used
// (sync.OnceValue), not at the start of every process that links the
// package, such as "iotcert lint".

// registry maps integers to DER byte strings and back. The byte strings
// value returns are shared: callers only read them.
type registry struct {
	byInt map[int64][]byte
	byDER map[string]int64
}

func newRegistry(entries map[int64]string) registry {
	r := registry{byInt: make(map[int64][]byte, len(entries)), byDER: make(map[string]int64, len(entries))}
	for v, h := range entries {
		b, err := hex.DecodeString(strings.ReplaceAll(h, " ", ""))
		if err != nil {
			panic("c509: bad registry entry: " + h)
		}
		r.byInt[v] = b
		r.byDER[string(b)] = v
	}
	return r
}

func (r registry) lookup(der []byte) (int64, bool) {
	v, ok := r.byDER[string(der)]
	return v, ok
}

func (r registry) value(v int64) ([]byte, bool) {
	b, ok := r.byInt[v]
	return b, ok
}

// sigAlgs is the C509 Signature Algorithms registry (full DER
// AlgorithmIdentifier). The registry's DER column gives 30 0B for the
// RSASSA-PKCS1-v1_5 entries; the OID and NULL parameters it lists encode as
// 30 0D, which is what certificates carry (and the draft's RSA example).
var sigAlgs = sync.OnceValue(func() registry {
	return newRegistry(map[int64]string{
		-256: "300d06092a864886f70d0101050500",
		-255: "300906072a8648ce3d0401",
		0:    "300a06082a8648ce3d040302",
		1:    "300a06082a8648ce3d040303",
		2:    "300a06082a8648ce3d040304",
		3:    "300a06082b06010505070620",
		4:    "300a06082b06010505070621",
		5:    "300a06082b06010505070624",
		8:    "300a06082a811ccf55018375",
		12:   "300506032b6570",
		13:   "300506032b6571",
		14:   "300a06082b0601050507061a",
		15:   "300a06082b0601050507061b",
		16:   "300a06082b0601050507061c",
		23:   "300d06092a864886f70d01010b0500",
		24:   "300d06092a864886f70d01010c0500",
		25:   "300d06092a864886f70d01010d0500",
		26:   "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120",
		27:   "304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130",
		28:   "304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a864886f70d010108300d06096086480165030402030500a203020140",
		29:   "300a06082b0601050507061e",
		30:   "300a06082b0601050507061f",
	})
})

// ecdsaSigAlgs are the signature algorithms whose value is an ECDSA (or
// SM2) signature, re-encoded as r || s ("Encoding of issuerSignatureValue").
var ecdsaSigAlgs = map[int64]bool{-255: true, 0: true, 1: true, 2: true, 3: true, 4: true, 8: true}

// pkAlgs is the C509 Public Key Algorithms registry.
var pkAlgs = sync.OnceValue(func() registry {
	return newRegistry(map[int64]string{
		0:  "300d06092a864886f70d0101010500",
		1:  "301306072a8648ce3d020106082a8648ce3d030107",
		2:  "301006072a8648ce3d020106052b81040022",
		3:  "301006072a8648ce3d020106052b81040023",
		6:  "301306072a8648ce3d020106082a811ccf5501822d",
		8:  "300506032b656e",
		9:  "300506032b656f",
		12: "300506032b6570",
		13: "300506032b6571",
		24: "301406072a8648ce3d020106092b2403030208010107",
		25: "301406072a8648ce3d020106092b240303020801010b",
		26: "301406072a8648ce3d020106092b240303020801010d",
		27: "301506072a8648ce3d0201060a2a817a01815f65820001",
	})
})

// ecKeySizes gives the field size in bytes of the Weierstrass curves of
// pkAlgs, and whether Go can decompress their points.
var ecKeySizes = map[int64]struct {
	size       int
	compressed bool
}{
	1: {32, true}, 2: {48, true}, 3: {66, true},
	6: {32, false}, 24: {32, false}, 25: {48, false}, 26: {64, false}, 27: {32, false},
}

// rdnAttr is an entry of the C509 RDN Attributes registry.
type rdnAttr struct {
	value int64
	ia5   bool // the attribute is always an IA5String
}

// rdnAttrs maps attribute type OIDs (contents octets) to the registry.
func rdnAttrs() map[string]rdnAttr { byOID, _ := rdnTables(); return byOID }

// rdnAttrOIDs maps the registry's integers to attribute type OIDs.
func rdnAttrOIDs() map[int64][]byte { _, byInt := rdnTables(); return byInt }

var rdnTables = sync.OnceValues(func() (map[string]rdnAttr, map[int64][]byte) {
	entries := []struct {
		v   int64
		oid string
		ia5 bool
	}{
		{0, "2a864886f70d010901", true}, {1, "550403", false}, {2, "550404", false}, {3, "550405", false},
		{4, "550406", false}, {5, "550407", false}, {6, "550408", false}, {7, "550409", false},
		{8, "55040a", false}, {9, "55040b", false}, {10, "55040c", false}, {11, "55040f", false},
		{12, "550411", false}, {13, "55042a", false}, {14, "55042b", false}, {15, "55042c", false},
		{16, "55042e", false}, {17, "550441", false}, {18, "550461", false},
		{19, "2b0601040182373c020101", false}, {20, "2b0601040182373c020102", false},
		{21, "2b0601040182373c020103", false}, {22, "0992268993f22c640119", true},
		{25, "550429", false}, {26, "550414", false}, {27, "550436", false},
		{28, "0992268993f22c640101", false}, {29, "2a864886f70d010902", false},
		{30, "2a864886f70d010908", false},
	}
	byOID := make(map[string]rdnAttr, len(entries))
	byInt := make(map[int64][]byte, len(entries))
	for _, e := range entries {
		b, _ := hex.DecodeString(e.oid)
		byOID[string(b)] = rdnAttr{value: e.v, ia5: e.ia5}
		byInt[e.v] = b
	}
	return byOID, byInt
})

// oidRegistry maps OIDs (contents octets) to integers and back; it is
// used for the extension, EKU, policy, policy qualifier, access method
// and general name registries.
func oidRegistry(entries map[int64]string) registry {
	m := make(map[int64]string, len(entries))
	for v, dotted := range entries {
		m[v] = hex.EncodeToString(oidBytes(dotted))
	}
	return newRegistry(m)
}

// oidBytes returns the DER contents octets of a dotted OID.
func oidBytes(dotted string) []byte {
	var oid asn1.ObjectIdentifier
	for _, p := range strings.Split(dotted, ".") {
		n := 0
		for _, c := range p {
			n = n*10 + int(c-'0')
		}
		oid = append(oid, n)
	}
	der, err := asn1.Marshal(oid)
	if err != nil {
		panic("c509: bad OID " + dotted)
	}
	return der[2:]
}

// extIDs is the C509 Extensions registry.
var extIDs = sync.OnceValue(func() registry {
	return oidRegistry(map[int64]string{
		1: "2.5.29.14", 2: "2.5.29.15", 3: "2.5.29.17", 4: "2.5.29.19", 5: "2.5.29.31",
		6: "2.5.29.32", 7: "2.5.29.35", 8: "2.5.29.37", 9: "1.3.6.1.5.5.7.1.1",
		24: "2.5.29.9", 25: "2.5.29.18", 26: "2.5.29.30", 27: "2.5.29.33", 28: "2.5.29.36",
		29: "2.5.29.46", 30: "2.5.29.54", 31: "1.3.6.1.5.5.7.1.11", 32: "1.3.6.1.5.5.7.1.7",
		33: "1.3.6.1.5.5.7.1.8", 34: "1.3.6.1.5.5.7.1.28", 35: "1.3.6.1.5.5.7.1.29",
		36: "1.3.6.1.5.5.7.48.1.5", 37: "1.3.6.1.4.1.11129.2.4.3", 38: "1.3.6.1.5.5.7.1.24",
	})
})

// ekus is the C509 Extended Key Usages registry.
var ekus = sync.OnceValue(func() registry {
	return oidRegistry(map[int64]string{
		0: "2.5.29.37.0", 1: "1.3.6.1.5.5.7.3.1", 2: "1.3.6.1.5.5.7.3.2", 3: "1.3.6.1.5.5.7.3.3",
		4: "1.3.6.1.5.5.7.3.4", 8: "1.3.6.1.5.5.7.3.8", 9: "1.3.6.1.5.5.7.3.9", 10: "1.3.6.1.5.2.3.4",
		11: "1.3.6.1.5.2.3.5", 12: "1.3.6.1.5.5.7.3.21", 13: "1.3.6.1.5.5.7.3.22", 14: "1.3.6.1.5.5.7.3.35",
		15: "1.3.6.1.5.5.7.3.27", 16: "1.3.6.1.5.5.7.3.28", 17: "1.3.6.1.5.5.7.3.29", 18: "1.3.6.1.5.5.7.3.32",
		19: "1.3.6.1.4.1.11129.2.4.4", 20: "1.3.6.1.4.1.45605.1",
	})
})

// policies is the C509 Certificate Policies registry.
var policies = sync.OnceValue(func() registry {
	return oidRegistry(map[int64]string{
		0: "2.5.29.32.0", 1: "2.23.140.1.2.1", 2: "2.23.140.1.2.2", 3: "2.23.140.1.2.3",
		4: "2.23.140.1.1", 7: "1.3.6.1.5.5.7.14.2", 8: "1.3.6.1.5.5.7.14.3", 24: "2.23.146.1.2.1.0",
	})
})

// qualifiers is the C509 Policies Qualifiers registry.
var qualifiers = sync.OnceValue(func() registry {
	return oidRegistry(map[int64]string{1: "1.3.6.1.5.5.7.2.1", 2: "1.3.6.1.5.5.7.2.2"})
})

// accessMethods is the C509 Information Access registry.
var accessMethods = sync.OnceValue(func() registry {
	return oidRegistry(map[int64]string{
		1: "1.3.6.1.5.5.7.48.1", 2: "1.3.6.1.5.5.7.48.2", 3: "1.3.6.1.5.5.7.48.3", 5: "1.3.6.1.5.5.7.48.5",
		10: "1.3.6.1.5.5.7.48.10", 11: "1.3.6.1.5.5.7.48.11", 13: "1.3.6.1.5.5.7.48.13",
	})
})

// otherNames are the otherName type-ids of the C509 General Names
// registry that have their own (negative) integer.
var otherNames = sync.OnceValue(func() registry {
	return oidRegistry(map[int64]string{
		-3: "1.3.6.1.5.5.7.8.12", -2: "1.3.6.1.5.5.7.8.9", -1: "1.3.6.1.5.5.7.8.4",
	})
})
