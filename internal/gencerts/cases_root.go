package main

// casesRoot are the test certificates for the lints of this section of
// the rules catalogue.
func casesRoot() []Case {
	return []Case{}
}
