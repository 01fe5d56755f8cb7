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

# IDevIDs: notAfter 99991231235959Z needs "openssl ca -enddate".
idevid() { # idevid NAME SUBJECT
  key P-256 "$1.key"; csr "$1.key" "$2" "$1.csr"
  ossl ca -batch -rand_serial -config ext.cnf -cert sub.pem -keyfile sub.key -in "$1.csr" -out "$1.pem" -notext \
    -startdate 20250102000000Z -enddate 99991231235959Z -extfile ext.cnf -extensions idevid -subj "$2" -preserveDN
}
idevid idevid "/O=Example Devices Ltd/serialNumber=SN0042/CN=Example sensor"
idevid bad-idevid-no-serialnumber "/O=Example Devices Ltd/CN=Example sensor"

rm -f ./*.csr ./*.key index.txt* serial* ./*.cnf ./[0-9A-F][0-9A-F].pem
