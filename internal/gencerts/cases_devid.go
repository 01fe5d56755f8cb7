package main

// casesDevID are the test certificates for the lints of this section of
// the rules catalogue.
func casesDevID() []Case {
	return []Case{}
}
