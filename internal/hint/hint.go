// Package hint adds to the errors of iotcert's libraries, which name no
// flag nor header, the way a program's user fixes them: the command's
// flags (cmd/iotcert), the server's headers (serve).
package hint

import (
	"errors"

	"github.com/iotcert/iotcert/certio"
)

// Input returns it with " (hint)" added to the message of its error when
// that error is a *certio.InputError that wraps target; otherwise it.
// The error keeps its origin and still wraps target.
func Input(it certio.Item, target error, hint string) certio.Item {
	var ie *certio.InputError
	if errors.Is(it.Err, target) && errors.As(it.Err, &ie) {
		hinted := *ie
		hinted.Msg += " (" + hint + ")"
		it.Err = &hinted
	}
	return it
}
