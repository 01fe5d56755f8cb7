package serve

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/iotcert/iotcert/certio"
)

// Error is the JSON body of every error response.
type Error struct {
	// Error says what is wrong, in the words "iotcert lint" uses.
	Error string `json:"error"`
	// Inputs locates each input that is not a certificate when no
	// certificate could be read from the body.
	Inputs []InputError `json:"inputs,omitempty"`
}

// InputError is one input of the body that is not a certificate.
type InputError struct {
	// Origin is where in the body it was found.
	Origin certio.Origin `json:"origin"`
	// Message is the located error, as "iotcert lint" reports it.
	Message string `json:"message"`
}

// errorAnswer is an error response with msg.
func errorAnswer(status int, msg string) *answer {
	body, _ := json.Marshal(Error{Error: msg})
	a := &answer{status: status, header: http.Header{}, body: append(body, '\n')}
	a.header.Set("Content-Type", "application/json")
	return a
}

// writeError writes an error response with msg.
func writeError(w http.ResponseWriter, status int, msg string) {
	errorAnswer(status, msg).write(w)
}

// writeJSON writes v as an indented JSON response.
func writeJSON(w http.ResponseWriter, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
