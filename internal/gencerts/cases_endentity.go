package main

// casesEndEntity are the test certificates for the lints of this section of
// the rules catalogue.
func casesEndEntity() []Case {
	return []Case{}
}
