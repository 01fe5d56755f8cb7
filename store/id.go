package store

import "fmt"

// CheckID reports an error unless id can name a device (and its
// directory): 1 to 64 letters, digits, '-', '_' or '.', not "." or "..".
func CheckID(id string) error {
	if len(id) == 0 || len(id) > 64 || id == "." || id == ".." {
		return fmt.Errorf("device id %q: want 1 to 64 characters, and not \".\" or \"..\"", id)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("device id %q: only letters, digits, '-', '_' and '.' are allowed", id)
		}
	}
	return nil
}
