package main

// casesSub are the test certificates for the lints of this section of
// the rules catalogue.
func casesSub() []Case {
	return []Case{}
}
