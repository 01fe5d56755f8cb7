package profile

import (
	"encoding/json"
	"fmt"

	"github.com/zmap/zlint/v3/lint"
)

// Level is the severity of a finding, ordered: Notice < Warn < Error <
// Fatal. The zero value means "no finding".
type Level uint8

// The levels of findings.
const (
	Notice Level = iota + 1
	Warn
	Error
	// Fatal marks input that is not a certificate, or a lint that crashed.
	Fatal
)

var levelNames = [...]string{"", "notice", "warn", "error", "fatal"}

// String returns "notice", "warn", "error" or "fatal".
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// ParseLevel returns the level called name.
func ParseLevel(name string) (Level, bool) {
	for i, n := range levelNames {
		if n == name && i != 0 {
			return Level(i), true
		}
	}
	return 0, false
}

// MarshalJSON encodes l as its name.
func (l Level) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON decodes a level from its name.
func (l *Level) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, ok := ParseLevel(s)
	if !ok {
		return fmt.Errorf("unknown level %q", s)
	}
	*l = v
	return nil
}

// levelOf maps a zlint status to a level; pass, NA and NE map to 0.
func levelOf(s lint.LintStatus) Level {
	switch s {
	case lint.Notice:
		return Notice
	case lint.Warn:
		return Warn
	case lint.Error:
		return Error
	case lint.Fatal:
		return Fatal
	}
	return 0
}
