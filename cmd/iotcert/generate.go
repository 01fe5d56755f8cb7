package main

//go:generate sh -c "go run . rules --format markdown > ../../docs/rules.md"
