package main

// casesAllCerts are the test certificates for the lints of this section of
// the rules catalogue.
func casesAllCerts() []Case {
	return []Case{}
}
