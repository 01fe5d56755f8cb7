#!/usr/bin/env bash
# Builds, with openssl alone, a small IoT PKI and certificates that each
# break the IoT profile in one way users meet in the field. Used by
# cmd/iotcert's TestOpenSSLCertificates, so that iotcert is checked against
# certificates it did not make itself.
#
#   make.sh OUTDIR
#
# OUTDIR/root.pem, sub.pem     conforming P-256 root and device CA
# OUTDIR/ee.pem                conforming device certificate (tls13-iot)
# OUTDIR/idevid.pem            conforming IDevID (99991231235959Z, serialNumber)
# OUTDIR/bad-*.pem             one profile violation each (see below)
# OUTDIR/legal-*.pem           legal certificates as vendors make them, that
#                              iotcert once flagged (issue 12; see below),
#                              or reports only as a notice
set -euo pipefail
out=${1:?usage: make.sh OUTDIR}
mkdir -p "$out"
cd "$out"

ossl() { openssl "$@" 2>/dev/null; }

cat > ext.cnf <<'CNF'
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[root_digsig]
basicConstraints=critical,CA:TRUE
keyUsage=critical,digitalSignature,cRLSign,keyCertSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[root_no_ku]
basicConstraints=critical,CA:TRUE
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[sub]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[sub_digsig_only]
basicConstraints=critical,CA:TRUE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[ee]
keyUsage=critical,digitalSignature
subjectAltName=DNS:sensor-1.devices.example.com
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[ee_no_ku]
subjectAltName=DNS:sensor-1.devices.example.com
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[ee_two_dns]
keyUsage=critical,digitalSignature
subjectAltName=DNS:sensor-1.devices.example.com,DNS:sensor-2.devices.example.com
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[idevid]
keyUsage=critical,digitalSignature
subjectAltName=otherName:1.3.6.1.5.5.7.8.4;SEQUENCE:hwmodule
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[idevid_no_san]
keyUsage=critical,digitalSignature
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[ldevid]
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=DNS:sensor-1.devices.example.com
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[ldevid_nonrep]
keyUsage=critical,digitalSignature,nonRepudiation,keyAgreement
extendedKeyUsage=clientAuth
subjectAltName=DNS:sensor-1.devices.example.com
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[ee_urn_mac]
keyUsage=critical,digitalSignature
subjectAltName=URI:urn:dev:mac:0024befffe804ff1
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[ee_relative_uri]
keyUsage=critical,digitalSignature
subjectAltName=URI:sensor-1
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[ldevid_urn_mac]
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=URI:urn:dev:mac:0024befffe804ff1
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[ldevid_hwmodule]
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=otherName:1.3.6.1.5.5.7.8.4;SEQUENCE:hwmodule
subjectKeyIdentifier=none
authorityKeyIdentifier=keyid:always
[hwmodule]
hwType=OID:1.3.6.1.4.1.32473.1.1
hwSerialNum=OCTETSTRING:SN0042
[ca]
default_ca=ca_default
[ca_default]
database=index.txt
new_certs_dir=.
serial=serial
default_md=sha256
policy=policy_any
unique_subject=no
email_in_dn=no
copy_extensions=none
[policy_any]
commonName=optional
organizationName=optional
countryName=optional
serialNumber=optional
CNF
: > index.txt


key() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$1" -out "$2"; }
csr() { ossl req -new -key "$1" -subj "$2" -out "$3"; }
# sign CSR ISSUER_CERT ISSUER_KEY EXT OUT [DAYS]
sign() {
  ossl x509 -req -in "$1" -CA "$2" -CAkey "$3" -set_serial "0x$(openssl rand -hex 16 | sed 's/^./4/')" \
    -days "${6:-730}" -sha256 -extfile ext.cnf -extensions "$4" -out "$5"
}

key P-256 root.key
ossl req -new -x509 -key root.key -subj "/C=DE/O=Example Devices Ltd/CN=OpenSSL IoT Root CA" -days 7300 -sha256 \
  -set_serial "0x$(openssl rand -hex 16 | sed 's/^./4/')" -config ext.cnf -extensions root -out root.pem
key P-256 sub.key; csr sub.key "/C=DE/O=Example Devices Ltd/CN=OpenSSL IoT Device CA" sub.csr
sign sub.csr root.pem root.key sub sub.pem 5475

ee() { # ee NAME CURVE-or-rsa EXT [SUBJECT]
  if [ "$2" = rsa ]; then ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key"; else key "$2" "$1.key"; fi
  csr "$1.key" "${4:-/O=Example Devices Ltd/serialNumber=SN0001/CN=Example sensor}" "$1.csr"
  sign "$1.csr" sub.pem sub.key "$3" "$1.pem"
}
ee ee P-256 ee
ee bad-secp256k1 secp256k1 ee          # key on a curve TLS 1.3 cannot use
ee bad-rsa rsa ee                      # RSA key
ee bad-no-keyusage P-256 ee_no_ku      # keyUsage missing
ee bad-two-dns P-256 ee_two_dns        # two dNSNames in subjectAltName

# A subordinate CA whose keyUsage has digitalSignature only.
key P-256 bad-ca-digsig-only.key; csr bad-ca-digsig-only.key "/C=DE/O=Example Devices Ltd/CN=Broken Device CA" bad-ca-digsig-only.csr
sign bad-ca-digsig-only.csr root.pem root.key sub_digsig_only bad-ca-digsig-only.pem 5475

# Chosen validity dates need "openssl ca -startdate/-enddate".
dated() { # dated NAME SUBJECT EXT STARTDATE ENDDATE
  key P-256 "$1.key"; csr "$1.key" "$2" "$1.csr"
  ossl ca -batch -rand_serial -config ext.cnf -cert sub.pem -keyfile sub.key -in "$1.csr" -out "$1.pem" -notext \
    -startdate "$4" -enddate "$5" -extfile ext.cnf -extensions "$3" -subj "$2" -preserveDN
}
# IDevIDs: notAfter 99991231235959Z.
idevid() { # idevid NAME SUBJECT [EXT]
  dated "$1" "$2" "${3:-idevid}" 20250102000000Z 99991231235959Z
}
idevid idevid "/O=Example Devices Ltd/serialNumber=SN0042/CN=Example sensor"
idevid bad-idevid-no-serialnumber "/O=Example Devices Ltd/CN=Example sensor"

# Issue 12: legal certificates that iotcert once flagged, and their
# counterparts that must still be flagged.
dev="/O=Example Devices Ltd/serialNumber=SN0001"
# notAfter UTCTime 491231235959Z: a finite date, which RFC 5280 §4.1.2.5
# requires as UTCTime; and GeneralizedTime 99991231000000Z, a near miss of
# the no-expiry value (a SHOULD: a warning).
dated legal-notafter-2049 "$dev/CN=Example sensor" ee 20250102000000Z 491231235959Z
dated bad-notafter-9999-midnight "$dev/CN=Example sensor" ee 20250102000000Z 99991231000000Z
# digitalSignature, nonRepudiation and keyAgreement with clientAuth.
ee legal-ldevid-ku-nonrepudiation P-256 ldevid_nonrep "$dev/CN=Example sensor"
# An IDevID without subjectAltName (no HardwareModuleName).
idevid legal-idevid-no-san "$dev/CN=Example sensor" idevid_no_san
# Product names in the commonName; and a real domain name.
ee legal-cn-kitchen-light P-256 ee "$dev/CN=Kitchen.Light"
ee legal-cn-acme-gateway P-256 ee "$dev/CN=ACME.Gateway"
ee legal-cn-s7-plc P-256 ee "$dev/CN=S7-1500.PLC"
ee bad-cn-fqdn P-256 ee "$dev/CN=device1.example.com"
# An LDevID valid for ten years: bounded, and the draft names no maximum.
dated legal-ldevid-10y "$dev/CN=Example sensor" ldevid 20250102000000Z 20350101235959Z
# A 64-bit random serial whose first octet is zero: DER encodes 7 octets.
key P-256 legal-serial-leading-zero.key; csr legal-serial-leading-zero.key "$dev/CN=Example sensor" legal-serial-leading-zero.csr
ossl x509 -req -in legal-serial-leading-zero.csr -CA sub.pem -CAkey sub.key -set_serial "0x00$(openssl rand -hex 7 | sed 's/^./4/')" \
  -days 730 -sha256 -extfile ext.cnf -extensions ee -out legal-serial-leading-zero.pem
# A MAC address in a URN subjectAltName (RFC 9039 urn:dev:mac).
ee bad-urn-mac P-256 ee_urn_mac "$dev/CN=Example sensor"
# A device certificate backdated to 1 January 2000 (no clock on the device)
# with a relative URI in its subjectAltName: zlint's RFC 5280 lint (whose
# effective date is RFC 5280's, May 2008) must still judge it.
dated bad-backdated-relative-uri "$dev/CN=Example sensor" ee_relative_uri 20000101000000Z 20350101235959Z

# The draft's editor's copy (8aad405): roots as openssl configurations
# commonly make them, with digitalSignature beside keyCertSign and cRLSign
# (a notice), and with no keyUsage at all (openssl's own v3_ca section:
# legal only in a closed deployment); LDevIDs that keep a stable device
# identifier, a MAC address URN or the IDevID's HardwareModuleName.
selfsigned() { # selfsigned NAME EXT
  key P-256 "$1.key"
  ossl req -new -x509 -key "$1.key" -subj "/C=DE/O=Example Devices Ltd/CN=OpenSSL IoT Root CA" -days 7300 -sha256 \
    -set_serial "0x$(openssl rand -hex 16 | sed 's/^./4/')" -config ext.cnf -extensions "$2" -out "$1.pem"
}
selfsigned legal-root-digsig root_digsig
selfsigned bad-root-no-keyusage root_no_ku
ee bad-ldevid-urn-mac P-256 ldevid_urn_mac "$dev/CN=Example sensor"
ee legal-ldevid-hwmodule P-256 ldevid_hwmodule "$dev/CN=Example sensor"

rm -f ./*.csr ./*.key index.txt* serial* ./*.cnf
find . -maxdepth 1 -regex './[0-9A-F]+\.pem' -delete # the copies openssl ca keeps
