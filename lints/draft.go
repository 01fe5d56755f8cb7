package lints

// draftEditorsCopy names the newest text of draft-ietf-uta-tls13-iot-profile
// that iotcert's lints were checked against: the editor's copy in the
// draft's repository after IESG review, commit 8aad405 of 10 August 2026.
// It numbers the certificate profile §16 (revision -23: §17), because the
// "Compression" section was removed. The lints whose requirement changed
// after revision -23 cite it; the others still cite -23, whose text they
// check unchanged.
const draftEditorsCopy = "draft-ietf-uta-tls13-iot-profile editor's copy 8aad405 (2026-08-10)"
