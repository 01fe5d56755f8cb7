package main

// casesRFC7925 are the test certificates for the lints of this section of
// the rules catalogue.
func casesRFC7925() []Case {
	return []Case{}
}
