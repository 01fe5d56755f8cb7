package main

//go:generate sh -c "go run . rules --format markdown > ../../docs/rules.md"
//go:generate sh -c "go run . rules --catalogue --format markdown > ../../docs/catalogue.md"
