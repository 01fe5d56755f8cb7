package lints

// CatalogueRow is one requirement of iotcert's rules catalogue (sections 1
// to 6: the TLS/DTLS 1.3 IoT profile, RFC 7925 §4.4, and IEEE 802.1AR with
// BRSKI and the TCG device identity profile; section 7: Matter device
// attestation; section 8: root key rollover; section 9: BACnet/SC and IoT
// identifier conventions) and how iotcert checks it.
type CatalogueRow struct {
	// Section is the catalogue section: 1 to 9.
	Section int `json:"section"`
	// ID is the requirement's catalogue ID, e.g. "iot_ee_ku_critical".
	ID string `json:"id"`
	// AppliesTo is the catalogue's "Applies to" column: ALL, ROOT, SUB, EE,
	// IDEVID, LDEVID, or "chain" for a check across certificates.
	AppliesTo string `json:"applies_to"`
	// Lints are the lints that check the requirement: iotcert's own, or
	// zlint's where it already checks exactly this. Empty when a single
	// certificate cannot show it (see Chain and Note).
	Lints []string `json:"lints"`
	// Chain are the chain checks (package bundle) that check a requirement
	// only a set of certificates can show.
	Chain []string `json:"chain_checks,omitempty"`
	// Note says how an ambiguous requirement was read, where a requirement
	// is covered by another one's lint, or why it is not checked here.
	Note string `json:"note,omitempty"`
	// Extra marks a requirement the rules catalogue has no row for, checked
	// because an ecosystem profile's own source requires it (the Note says
	// where).
	Extra bool `json:"extra,omitempty"`
}

// Catalogue returns every requirement of the rules catalogue's sections 1
// to 9, in catalogue order, with the lints that check it.
func Catalogue() []CatalogueRow {
	return []CatalogueRow{
		// Section 1: draft-ietf-uta-tls13-iot-profile-23 §17.1, all certificates.
		{Section: 1, ID: "iot_all_version_v3", AppliesTo: "ALL", Lints: []string{"e_iot_all_version_v3"}},
		{Section: 1, ID: "iot_all_serial_unique", AppliesTo: "ALL (corpus)", Chain: []string{"e_iot_all_serial_unique"}, Note: "the same issuer and serial on two different certificates of the input"},
		{Section: 1, ID: "iot_all_serial_max_20_octets", AppliesTo: "ALL", Lints: []string{"e_iot_all_serial_max_20_octets"}, Note: "runs zlint's e_serial_number_longer_than_20_octets"},
		{Section: 1, ID: "iot_all_serial_entropy_64bit", AppliesTo: "ALL", Lints: []string{"w_iot_all_serial_entropy_64bit"}},
		{Section: 1, ID: "iot_all_sig_alg_ecdsa", AppliesTo: "ALL", Lints: []string{"e_iot_all_sig_alg_ecdsa", "w_iot_all_sig_alg_eddsa_mldsa"}, Note: "Ambiguity A8: EdDSA and ML-DSA signatures are not ECDSA; the stricter reading is the warn lint"},
		{Section: 1, ID: "iot_all_sig_alg_device_supported", AppliesTo: "ALL", Lints: []string{"n_iot_all_sig_alg_device_supported"}, Note: "needs the devices' algorithms: set algorithms in rules.yaml"},
		{Section: 1, ID: "iot_all_issuer_nonempty", AppliesTo: "ALL", Lints: []string{"e_iot_all_issuer_nonempty"}, Note: "runs zlint's e_issuer_field_empty"},
		{Section: 1, ID: "iot_all_time_zulu_seconds", AppliesTo: "ALL", Lints: []string{"e_iot_all_time_zulu_seconds"}, Note: "runs zlint's UTCTime and GeneralizedTime Zulu and seconds lints"},
		{Section: 1, ID: "iot_all_noexpiry_encoding", AppliesTo: "ALL", Lints: []string{"w_iot_all_noexpiry_encoding"}, Note: "RFC 5280 §4.1.2.5 says SHOULD: a warning; the largest UTCTime 491231235959Z is a legal finite date"},
		{Section: 1, ID: "iot_ldevid_lifetime_limited", AppliesTo: "LDEVID", Lints: []string{"w_iot_ldevid_lifetime_limited"}},
		{Section: 1, ID: "iot_idevid_noexpiry_chain", AppliesTo: "chain (IDEVID+CAs)", Chain: []string{"n_iot_idevid_noexpiry_chain"}, Note: "optional: iotcert lint --enable-check n_iot_idevid_noexpiry_chain"},
		{Section: 1, ID: "iot_all_spki_ec", AppliesTo: "ALL", Lints: []string{"e_iot_all_spki_ec", "w_iot_all_spki_eddsa_mldsa"}, Note: "Ambiguity A8: EdDSA and ML-DSA keys are not EC keys; the stricter reading is the warn lint"},
		{Section: 1, ID: "iot_all_spki_curve", AppliesTo: "ALL", Lints: []string{"e_iot_all_spki_curve"}},
		{Section: 1, ID: "iot_all_key_strength_128", AppliesTo: "ALL", Lints: []string{"w_iot_all_key_strength_128"}},
		{Section: 1, ID: "iot_ee_no_static_ecdh", AppliesTo: "EE", Lints: []string{"e_iot_ee_no_static_ecdh"}},
		{Section: 1, ID: "iot_all_crldp_absent", AppliesTo: "ALL (device PKI)", Lints: []string{"w_iot_all_crldp_absent", "w_iot_sub_crldp_absent"}, Note: "roots and end entities; subordinate CAs by the §17.3.6 lint"},
		{Section: 1, ID: "iot_all_crldp_noncritical", AppliesTo: "ALL", Lints: []string{"e_iot_all_crldp_noncritical", "e_iot_sub_crldp_noncritical"}, Note: "roots and end entities; subordinate CAs by the §17.3.6 lint"},
		{Section: 1, ID: "iot_all_aia_ocsp_absent", AppliesTo: "ALL", Lints: []string{"w_iot_all_aia_ocsp_absent"}, Note: "roots and end entities; subordinate CAs follow §17.3.7 (ambiguity A3)"},
		{Section: 1, ID: "iot_all_aia_noncritical", AppliesTo: "ALL", Lints: []string{"e_iot_all_aia_noncritical", "e_iot_sub_aia_noncritical"}, Note: "roots and end entities; subordinate CAs by the §17.3.7 lint"},
		{Section: 1, ID: "iot_all_aia_caissuers_ok", AppliesTo: "ALL", Lints: []string{"n_iot_all_aia_caissuers_ok"}, Note: "roots and end entities; subordinate CAs follow §17.3.7 (ambiguity A3)"},
		{Section: 1, ID: "iot_all_policy_oid", AppliesTo: "ALL", Lints: []string{"n_iot_all_policy_oid"}},
		// Section 2: §17.2, root CA.
		{Section: 2, ID: "iot_root_subject_nonempty", AppliesTo: "ROOT", Lints: []string{"e_iot_root_subject_nonempty"}},
		{Section: 2, ID: "iot_root_subject_cn_o_c", AppliesTo: "ROOT", Lints: []string{"e_iot_root_subject_cn_o_c"}},
		{Section: 2, ID: "iot_root_san_noncritical", AppliesTo: "ROOT", Lints: []string{"w_iot_root_san_noncritical"}},
		{Section: 2, ID: "iot_root_san_consistent", AppliesTo: "ROOT", Lints: []string{"n_iot_root_san_consistent"}},
		{Section: 2, ID: "iot_root_aki_present", AppliesTo: "ROOT", Lints: []string{"w_iot_root_aki_present"}},
		{Section: 2, ID: "iot_root_aki_noncritical", AppliesTo: "ROOT", Lints: []string{"e_iot_root_aki_noncritical"}},
		{Section: 2, ID: "iot_root_aki_equals_ski", AppliesTo: "ROOT", Lints: []string{"e_iot_root_aki_equals_ski"}},
		{Section: 2, ID: "iot_root_ski_present", AppliesTo: "ROOT", Lints: []string{"e_iot_root_ski_present"}},
		{Section: 2, ID: "iot_root_ski_matches_key", AppliesTo: "ROOT", Lints: []string{"w_iot_root_ski_matches_key"}, Note: "Ambiguity A17: RFC 5280 methods 1 and 2 and RFC 7093 methods are accepted"},
		{Section: 2, ID: "iot_root_ku_present", AppliesTo: "ROOT", Lints: []string{"w_iot_root_ku_present"}, Note: "editor's copy §16.2.4: may be left out only in a closed deployment, which rules.yaml declares with closed_deployment (default false)"},
		{Section: 2, ID: "iot_root_ku_critical_certsign", AppliesTo: "ROOT", Lints: []string{"e_iot_root_ku_critical_certsign"}},
		{Section: 2, ID: "iot_root_ku_digsig", AppliesTo: "ROOT", Lints: []string{"n_iot_root_ku_digsig"}, Extra: true, Note: "not a row of the rules catalogue: new in the editor's copy §16.2.4: digitalSignature is only needed when the root key also signs objects other than certificates and CRLs, such as OCSP responses; no requirement keyword, so a notice (off in tls13-iot-23)"},
		{Section: 2, ID: "iot_root_ku_crlsign", AppliesTo: "ROOT", Lints: []string{"n_iot_root_ku_crlsign"}, Chain: []string{"e_iot_ca_ku_crlsign_issues_crls"}, Note: "one certificate cannot show that its CA issues CRLs (a notice); the bundle can: a certificate it issued with a cRLDistributionPoints without cRLIssuer makes a missing cRLSign an error"},
		{Section: 2, ID: "iot_root_no_eku", AppliesTo: "ROOT", Lints: []string{"e_iot_root_no_eku"}},
		{Section: 2, ID: "iot_root_bc", AppliesTo: "ROOT", Lints: []string{"e_iot_root_bc"}},
		{Section: 2, ID: "iot_root_no_pathlen", AppliesTo: "ROOT", Lints: []string{"e_iot_root_no_pathlen"}},
		// Section 3: §17.3, subordinate CA.
		{Section: 3, ID: "iot_sub_subject_cn_o_c", AppliesTo: "SUB", Lints: []string{"e_iot_sub_subject_cn_o_c"}},
		{Section: 3, ID: "iot_sub_aki", AppliesTo: "SUB", Lints: []string{"e_iot_sub_aki"}},
		{Section: 3, ID: "iot_sub_aki_matches_issuer", AppliesTo: "chain (SUB)", Chain: []string{"e_iot_sub_aki_matches_issuer"}},
		{Section: 3, ID: "iot_sub_ski", AppliesTo: "SUB", Lints: []string{"e_iot_sub_ski", "w_iot_sub_ski_matches_key"}},
		{Section: 3, ID: "iot_sub_ku_critical_certsign", AppliesTo: "SUB", Lints: []string{"e_iot_sub_ku_critical_certsign"}},
		{Section: 3, ID: "iot_sub_ku_digsig", AppliesTo: "SUB", Lints: []string{"w_iot_sub_ku_digsig"}},
		{Section: 3, ID: "iot_sub_ku_crlsign", AppliesTo: "SUB", Lints: []string{"n_iot_sub_ku_crlsign"}, Chain: []string{"e_iot_ca_ku_crlsign_issues_crls"}, Note: "one certificate cannot show that its CA issues CRLs (a notice); the bundle can: a certificate it issued with a cRLDistributionPoints without cRLIssuer makes a missing cRLSign an error"},
		{Section: 3, ID: "iot_sub_no_eku", AppliesTo: "SUB", Lints: []string{"w_iot_sub_no_eku"}},
		{Section: 3, ID: "iot_sub_bc", AppliesTo: "SUB", Lints: []string{"e_iot_sub_bc"}},
		{Section: 3, ID: "iot_sub_pathlen_omitted", AppliesTo: "SUB", Lints: []string{"w_iot_sub_pathlen_omitted"}},
		{Section: 3, ID: "iot_sub_crldp", AppliesTo: "SUB", Lints: []string{"e_iot_sub_crldp_noncritical", "w_iot_sub_crldp_absent"}},
		{Section: 3, ID: "iot_sub_aia", AppliesTo: "SUB", Lints: []string{"e_iot_sub_aia_noncritical", "w_iot_sub_aia_absent", "w_iot_sub_aia_caissuers_and_ocsp"}, Note: "Ambiguity A3: both locations when AIA is present is the stricter reading, at warn"},
		// Section 4: §17.4, end entity.
		{Section: 4, ID: "iot_ee_serial_attr_encoding", AppliesTo: "EE", Lints: []string{"e_iot_ee_serial_attr_printable", "n_iot_ee_serial_in_cn"}},
		{Section: 4, ID: "iot_ee_eui_as_macaddress", AppliesTo: "EE", Lints: []string{"w_iot_ee_eui_as_macaddress"}},
		{Section: 4, ID: "iot_ee_eui64_in_serialnumber", AppliesTo: "EE", Lints: []string{"n_iot_ee_eui64_in_serialnumber"}},
		{Section: 4, ID: "iot_ee_macaddress_length", AppliesTo: "EE", Lints: []string{"e_iot_ee_macaddress_length"}, Note: "Ambiguity A12: the MACAddress OID is unassigned; set macaddress_oid in rules.yaml to check it"},
		{Section: 4, ID: "iot_ee_san_criticality", AppliesTo: "EE", Lints: []string{"e_iot_ee_san_criticality"}},
		{Section: 4, ID: "iot_ee_no_fqdn_in_cn", AppliesTo: "EE", Lints: []string{"e_iot_ee_no_fqdn_in_cn"}},
		{Section: 4, ID: "iot_ee_no_wildcard", AppliesTo: "EE", Lints: []string{"e_iot_ee_no_wildcard"}},
		{Section: 4, ID: "iot_ee_san_single_name", AppliesTo: "EE", Lints: []string{"e_iot_ee_san_one_name_per_type", "w_iot_ee_san_single_name"}, Note: "Ambiguity A1, decided reading: at most one name of each type (error); the literal reading is the warn lint"},
		{Section: 4, ID: "iot_ee_hwmodulename_info", AppliesTo: "EE", Lints: []string{"n_iot_ee_hwmodulename_info"}},
		{Section: 4, ID: "iot_ee_aki", AppliesTo: "EE", Lints: []string{"e_iot_ee_aki"}},
		{Section: 4, ID: "iot_ee_aki_matches_issuer", AppliesTo: "chain (EE)", Chain: []string{"e_iot_ee_aki_matches_issuer"}},
		{Section: 4, ID: "iot_ee_no_ski", AppliesTo: "EE", Lints: []string{"e_iot_ee_no_ski"}},
		{Section: 4, ID: "iot_ee_ku_critical", AppliesTo: "EE", Lints: []string{"e_iot_ee_ku_critical"}},
		{Section: 4, ID: "iot_ee_ku_digsig", AppliesTo: "EE", Lints: []string{"e_iot_ee_ku_digsig"}},
		{Section: 4, ID: "iot_ee_ku_eku_consistent", AppliesTo: "EE", Lints: []string{"e_iot_ee_ku_eku_consistent"}, Extra: true, Note: "not a row of the rules catalogue: RFC 5280 §4.2.1.12 as written (no purpose consistent with both keyUsage and extendedKeyUsage), in place of zlint's stricter e_key_usage_and_extended_key_usage_inconsistent (issue 12)"},
		{Section: 4, ID: "iot_idevid_no_eku", AppliesTo: "IDEVID", Lints: []string{"w_iot_idevid_no_eku"}},
		{Section: 4, ID: "iot_ldevid_stable_identifier", AppliesTo: "LDEVID", Lints: []string{"w_iot_ldevid_stable_identifier"}, Extra: true, Note: "not a row of the rules catalogue: new in the editor's copy §16.4.1: a SHOULD for environments concerned about traffic analysis, so a notice unless rules.yaml raises it (off in tls13-iot-23)"},
		{Section: 4, ID: "iot_ldevid_eku_tls", AppliesTo: "LDEVID", Lints: []string{"e_iot_ldevid_eku_tls"}},
		{Section: 4, ID: "iot_ldevid_eku_role", AppliesTo: "LDEVID", Lints: []string{"e_iot_ldevid_eku_role"}, Note: "needs the device's TLS role: set tls_role in rules.yaml"},
		{Section: 4, ID: "iot_trust_anchor_update", AppliesTo: "ROOT/BUNDLE", Note: "informational: how trust anchors are updated (firmware, CMP, EST /cacerts) is not visible in certificates; iotcert roll makes the /cacerts bundles (issue 5)"},
		// Section 5: RFC 7925 §4.4.
		{Section: 5, ID: "r7925_server_dns_in_san", AppliesTo: "EE (server)", Lints: []string{"e_r7925_server_dns_in_san"}},
		{Section: 5, ID: "r7925_no_wildcard", AppliesTo: "EE (server)", Lints: []string{"e_r7925_no_wildcard"}},
		{Section: 5, ID: "r7925_san_single_name", AppliesTo: "EE (server)", Lints: []string{"e_r7925_san_single_name"}},
		{Section: 5, ID: "r7925_client_eui64", AppliesTo: "EE (client)", Lints: []string{"e_r7925_client_eui64"}},
		{Section: 5, ID: "r7925_eui64_text_format", AppliesTo: "EE (client)", Lints: []string{"e_r7925_eui64_text_format"}},
		{Section: 5, ID: "r7925_no_revocation_ext", AppliesTo: "ALL", Lints: []string{"n_r7925_no_revocation_ext"}},
		{Section: 5, ID: "r7925_table1_version", AppliesTo: "ALL", Lints: []string{"e_r7925_table1_version"}},
		{Section: 5, ID: "r7925_table1_sig", AppliesTo: "ALL", Lints: []string{"e_r7925_table1_sig"}},
		{Section: 5, ID: "r7925_table1_spki", AppliesTo: "ALL", Lints: []string{"e_r7925_table1_spki"}},
		{Section: 5, ID: "r7925_table1_validity", AppliesTo: "ALL", Lints: []string{"n_r7925_table1_validity"}},
		{Section: 5, ID: "r7925_chain_depth", AppliesTo: "chain", Chain: []string{"w_r7925_chain_depth"}, Note: "rfc7925 profile only"},
		{Section: 5, ID: "r7925_key_length", AppliesTo: "ALL", Lints: []string{"e_r7925_key_length_112", "n_r7925_key_length"}},
		// Section 6: IEEE 802.1AR, RFC 8995 (BRSKI), TCG.
		{Section: 6, ID: "devid_subject_nonempty", AppliesTo: "IDEVID, LDEVID", Lints: []string{"e_devid_subject_nonempty"}},
		{Section: 6, ID: "devid_subject_serialnumber", AppliesTo: "IDEVID", Lints: []string{"w_devid_subject_serialnumber"}},
		{Section: 6, ID: "brski_subject_serialnumber", AppliesTo: "IDEVID (BRSKI)", Lints: []string{"e_brski_subject_serialnumber"}},
		{Section: 6, ID: "devid_serialnumber_printable", AppliesTo: "IDEVID, LDEVID", Lints: []string{"e_iot_ee_serial_attr_printable"}, Note: "covered: every 802.1AR profile extends tls13-iot"},
		{Section: 6, ID: "devid_idevid_notafter_9999", AppliesTo: "IDEVID", Lints: []string{"w_devid_idevid_notafter_9999"}},
		{Section: 6, ID: "devid_notbefore_issuance", AppliesTo: "IDEVID", Lints: []string{"n_devid_notbefore_issuance"}, Note: "the issuance time is not on the certificate: only a notBefore in the future is reported"},
		{Section: 6, ID: "devid_aki_present", AppliesTo: "IDEVID, LDEVID, SUB", Lints: []string{"e_iot_ee_aki", "e_iot_sub_aki"}, Note: "covered: every 802.1AR profile extends tls13-iot"},
		{Section: 6, ID: "devid_ski_not_recommended", AppliesTo: "IDEVID, LDEVID", Lints: []string{"e_iot_ee_no_ski"}, Note: "covered, more strictly: the IoT profile forbids an end-entity SKI"},
		{Section: 6, ID: "devid_ku_present", AppliesTo: "IDEVID, LDEVID", Lints: []string{"w_devid_ku_present"}},
		{Section: 6, ID: "brski_no_ku_restriction", AppliesTo: "IDEVID (BRSKI)", Lints: []string{"w_brski_no_ku_restriction"}},
		{Section: 6, ID: "devid_san_present", AppliesTo: "IDEVID", Lints: []string{"w_devid_san_present", "e_iot_ee_san_required_types"}, Note: "which name types a deployment requires is a rules.yaml parameter (types) of e_iot_ee_san_required_types"},
		{Section: 6, ID: "devid_hwmodulename_syntax", AppliesTo: "IDEVID, LDEVID", Lints: []string{"e_devid_hwmodulename_syntax"}},
		{Section: 6, ID: "devid_hwmodulename_tpm", AppliesTo: "IDEVID (TPM)", Lints: []string{"e_devid_hwmodulename_tpm"}},
		{Section: 6, ID: "devid_san_critical_empty_subject", AppliesTo: "IDEVID, LDEVID", Lints: []string{"e_iot_ee_san_criticality", "e_ext_san_not_critical_without_subject"}, Note: "covered: the IoT lint and zlint's RFC 5280 lint check the two directions"},
		{Section: 6, ID: "devid_idevid_no_eku", AppliesTo: "IDEVID", Lints: []string{"w_iot_idevid_no_eku"}, Note: "covered: the same requirement, cited from the draft"},
		{Section: 6, ID: "devid_tcg_eku", AppliesTo: "IDEVID (TPM)", Lints: []string{"w_devid_tcg_eku"}},
		{Section: 6, ID: "devid_cert_policy", AppliesTo: "IDEVID (TCG)", Lints: []string{"e_devid_cert_policy"}},
		{Section: 6, ID: "brski_masa_url", AppliesTo: "IDEVID (BRSKI)", Lints: []string{"e_brski_masa_url", "w_brski_masa_url_authority"}},
		{Section: 6, ID: "devid_ldevid_subject_match", AppliesTo: "chain (LDEVID vs IDEVID)", Chain: []string{"n_devid_ldevid_subject_match"}, Note: "when an IDevID and an LDevID of one device (same subject serialNumber) are both in the input"},
		{Section: 6, ID: "devid_same_sig_alg_chain", AppliesTo: "chain", Chain: []string{"n_devid_same_sig_alg_chain"}, Note: "802.1AR profiles only"},
		{Section: 6, ID: "opcua_idevid_uri", AppliesTo: "IDEVID (OPC UA)", Note: "not checked: an OPC UA Part 21 convention, not a requirement of these profiles; a ProductInstanceUri cannot be told from other URIs"},
		// Section 7: Matter device attestation (PAA = root, PAI = subordinate, DAC = end entity).
		{Section: 7, ID: "matter_version_v3", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_version_v3"}},
		{Section: 7, ID: "matter_sig_ecdsa_sha256", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_sig_ecdsa_sha256"}, Note: "Ambiguity A8: the ML-DSA attestation profiles of newer SDKs are not accepted"},
		{Section: 7, ID: "matter_spki_p256", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_spki_p256"}},
		{Section: 7, ID: "matter_bc_critical_once", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_bc_critical_once"}},
		{Section: 7, ID: "matter_dac_bc", AppliesTo: "DAC", Lints: []string{"e_matter_dac_bc"}},
		{Section: 7, ID: "matter_pai_bc", AppliesTo: "PAI", Lints: []string{"e_matter_pai_bc"}, Note: "Ambiguity A10: pathLen 0 on the PAI, unlike the IoT profile"},
		{Section: 7, ID: "matter_paa_bc", AppliesTo: "PAA", Lints: []string{"e_matter_paa_bc"}},
		{Section: 7, ID: "matter_ku_critical_once", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_ku_critical_once"}},
		{Section: 7, ID: "matter_dac_ku", AppliesTo: "DAC", Lints: []string{"e_matter_dac_ku"}},
		{Section: 7, ID: "matter_ca_ku", AppliesTo: "PAA, PAI", Lints: []string{"e_matter_ca_ku"}, Note: "Ambiguity A9: cRLSign is required regardless"},
		{Section: 7, ID: "matter_skid", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_skid"}, Note: "Ambiguity A4: the DAC must have a SKID, unlike the IoT profile's end entities"},
		{Section: 7, ID: "matter_akid", AppliesTo: "PAI, DAC (PAA optional)", Lints: []string{"e_matter_akid"}},
		{Section: 7, ID: "matter_optional_exts", AppliesTo: "PAA, PAI, DAC", Lints: []string{"n_matter_optional_exts"}, Note: "the SDK rejects no extension by itself; the notice names every extension beyond the four of the profile"},
		{Section: 7, ID: "matter_vidpid_oid_format", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_vidpid_oid_format"}},
		{Section: 7, ID: "matter_vidpid_cn_fallback", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_vidpid_cn_fallback"}},
		{Section: 7, ID: "matter_dac_vid_pid", AppliesTo: "DAC", Lints: []string{"e_matter_dac_vid_pid"}},
		{Section: 7, ID: "matter_pai_vid", AppliesTo: "PAI", Lints: []string{"e_matter_pai_vid"}},
		{Section: 7, ID: "matter_paa_no_pid", AppliesTo: "PAA", Lints: []string{"e_matter_paa_no_pid"}},
		{Section: 7, ID: "matter_subject_issuer_vid", AppliesTo: "PAI, DAC", Lints: []string{"e_matter_subject_issuer_vid"}},
		{Section: 7, ID: "matter_chain_vidpid", AppliesTo: "chain", Lints: []string{"e_matter_subject_issuer_vid"}, Chain: []string{"e_matter_chain_vidpid"}, Note: "the lint compares the subject with the issuer DN, the chain check with the issuing certificate; matter profile only"},
		{Section: 7, ID: "matter_chain_shape", AppliesTo: "chain", Chain: []string{"e_matter_chain_shape"}, Note: "matter profile only; a missing PAA is e_chain_orphan"},
		{Section: 7, ID: "matter_chain_at_issuance", AppliesTo: "chain", Chain: []string{"e_matter_chain_at_issuance"}, Note: "matter profile only; the DAC's own validity is n_matter_dac_current"},
		{Section: 7, ID: "matter_dac_current", AppliesTo: "DAC", Lints: []string{"n_matter_dac_current"}},
		{Section: 7, ID: "matter_serial_length", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_serial_length"}, Extra: true, Note: "not a row of the rules catalogue: issue 6 asks for it; the SDK's kMaxCertificateSerialNumberLength (20)"},
		{Section: 7, ID: "matter_cert_size", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_matter_cert_size"}, Extra: true, Note: "not a row of the rules catalogue: issue 6 asks for it; the SDK's kMaxDERCertLength (600)"},
		{Section: 7, ID: "matter_validity", AppliesTo: "PAA, PAI, DAC", Lints: []string{"e_utc_time_not_in_zulu", "e_generalized_time_not_in_zulu", "e_wrong_time_format_pre2050"}, Extra: true, Note: "not a row of the rules catalogue: issue 6 asks for it; RFC 5280 §4.1.2.5 encodings (zlint), 99991231235959Z allowed"},
		// Section 8: root CA key rollover (RFC 9810 §4.4) and EST /cacerts.
		{Section: 8, ID: "link_roles_identified", AppliesTo: "BUNDLE", Chain: []string{"n_link_roles_identified"}, Note: "the link role is always assigned; the notice naming each certificate's rollover role is optional (--enable-check)"},
		{Section: 8, ID: "link_dn_equal", AppliesTo: "LINK", Chain: []string{"w_link_dn_equal"}, Note: "Ambiguity A14: warn"},
		{Section: 8, ID: "link_newwithold_keys", AppliesTo: "LINK", Chain: []string{"e_link_newwithold_keys"}},
		{Section: 8, ID: "link_oldwithnew_keys", AppliesTo: "LINK", Chain: []string{"e_link_oldwithnew_keys"}},
		{Section: 8, ID: "link_keyid_present", AppliesTo: "LINK, ROOT", Lints: []string{"w_iot_root_aki_present", "e_iot_root_ski_present"}, Chain: []string{"w_link_keyid_present"}},
		{Section: 8, ID: "link_ca_constraints", AppliesTo: "LINK", Lints: []string{"e_iot_root_bc", "e_iot_root_ku_critical_certsign", "e_iot_root_no_pathlen"}, Chain: []string{"e_link_no_pathlen"}, Note: "the root lints apply to role link"},
		{Section: 8, ID: "link_newwithnew_validity", AppliesTo: "ROOT (new)", Chain: []string{"e_link_newwithnew_validity"}},
		{Section: 8, ID: "link_newwithold_validity", AppliesTo: "LINK", Chain: []string{"e_link_newwithold_validity"}},
		{Section: 8, ID: "link_oldwithnew_validity", AppliesTo: "LINK", Chain: []string{"e_link_oldwithnew_validity"}},
		{Section: 8, ID: "link_ee_within_oldwithnew", AppliesTo: "chain", Note: "not checked yet: iotcert roll verify shows which device generations validate at which times"},
		{Section: 8, ID: "link_v1_roots", AppliesTo: "ROOT", Note: "not checked: the IoT profile requires v3 (e_iot_all_version_v3), so a v1 root is an error there"},
		{Section: 8, ID: "link_selfissued_pathlen", AppliesTo: "chain", Chain: []string{"e_chain_pathlen_exceeded"}, Note: "self-issued link certificates do not count toward pathLenConstraint (RFC 5280 §6.1.4)"},
		{Section: 8, ID: "est_cacerts_rollover_set", AppliesTo: "BUNDLE", Chain: []string{"w_est_cacerts_rollover_set"}},
		{Section: 8, ID: "est_cacerts_newest_root", AppliesTo: "BUNDLE", Note: "not checked yet; iotcert roll execute writes /cacerts with the links first (see docs/rollover.md)"},
		{Section: 8, ID: "estcoaps_crts", AppliesTo: "BUNDLE", Note: "informational: EST-coaps /crts carries the same content as /cacerts"},
		{Section: 8, ID: "cmp_rootcakeyupdate", AppliesTo: "BUNDLE", Note: "informational: CMP RootCaKeyUpdateContent is not an input iotcert reads"},
		// Section 9: BACnet/SC and IoT identifier conventions.
		{Section: 9, ID: "bsc_san_uri_bacnet", AppliesTo: "BSC", Lints: []string{"n_bsc_san_uri_bacnet"}, Note: "Ambiguity A22: notice; exactly one bacnet://<0..4194302> URI"},
		{Section: 9, ID: "bsc_direct_issuer", AppliesTo: "chain (BSC)", Chain: []string{"n_bsc_direct_issuer"}, Note: "optional (--enable-check): which CA a node has configured is not in the certificates"},
		{Section: 9, ID: "bsc_dual_role_eku", AppliesTo: "BSC", Lints: []string{"n_bsc_dual_role_eku"}},
		{Section: 9, ID: "id_dns_id", AppliesTo: "EE", Lints: []string{"e_iot_ee_no_fqdn_in_cn", "e_r7925_server_dns_in_san"}, Note: "covered: the IoT profile's and RFC 7925's DNS-ID lints"},
		{Section: 9, ID: "id_uri_san", AppliesTo: "EE", Lints: []string{"e_iot_ee_san_one_name_per_type", "w_iot_ee_san_single_name"}, Note: "covered: URIs count toward the single-name rule (ambiguity A1)"},
		{Section: 9, ID: "id_eui64_detect", AppliesTo: "EE", Lints: []string{"w_iot_ee_eui_as_macaddress"}, Note: "covered for the commonName, dNSNames and device URNs naming a MAC address (urn:dev:mac:, RFC 9039); other URIs are not searched"},
	}
}
