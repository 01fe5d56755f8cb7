// Package c509 re-encodes DER X.509 v3 certificates as C509 certificates of
// type 3 ("CBOR re-encoded X.509 v3 certificate") and back, byte for byte,
// as draft-ietf-cose-cbor-encoded-cert specifies (editor's copy,
// cose-wg/CBOR-certificates commit 10d1886, 2026-04-22), and computes what a
// certificate chain costs on the wire (see Measure).
//
// Encode turns a DER certificate into the CBOR array C509Certificate;
// Decode turns a C509Certificate (or the unwrapped CBOR sequence
// ~C509Certificate) back into the DER certificate whose signature still
// verifies. Encode checks its own work: it decodes what it made and refuses
// the certificate unless the result is the input, byte for byte.
//
// A well-formed certificate that C509 cannot represent (a version 1
// certificate, a multi-valued RDN, a name in a BMPString, a time in the
// wrong ASN.1 type, ...) is refused with an *UnsupportedError naming the
// field and the reason. Bytes that are not a certificate give a *SyntaxError naming the
// field and, for C509 input, the byte offset.
//
// SignNative makes a natively signed C509 certificate (type 2, signed over
// the CBOR sequence TBSCertificate) from the content of an X.509
// certificate, and VerifyNative checks one.
//
// Extensions with a specific C509 encoding implemented here: subjectKeyIdentifier,
// keyUsage, subjectAltName and issuerAltName (with the otherNames
// hardwareModuleName, SmtpUTF8Mailbox and MACAddress), basicConstraints,
// cRLDistributionPoints and freshestCRL (fullName URIs, reasons, a
// cRLIssuer directoryName),
// certificatePolicies, authorityKeyIdentifier, extKeyUsage, nameConstraints,
// authorityInfoAccess and subjectInfoAccess, policyMappings,
// policyConstraints, inhibitAnyPolicy, OCSP no check, precertificate
// signing certificate and TLS features. A registered extension whose value
// the specific encoding cannot carry (say, a subjectAltName with an
// x400Address) is carried in the generic form (its OID and DER value), as
// the draft allows. subjectDirectoryAttributes, IPAddrBlocks and AS
// Identifiers, and their v2 (RFC 3779, RFC 8360), have their specific
// encodings too: every extension of the draft's registry does.
package c509
