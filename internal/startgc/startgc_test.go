package startgc

import (
	"os"
	"runtime/debug"
	"testing"
)

// checked is set by the first run of TestDone in this process.
var checked bool

// TestDone checks that init turned the collector off (unless GOGC is set)
// and that Done restores it, once.
func TestDone(t *testing.T) {
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set: init leaves the collector alone")
	}
	if checked {
		t.Skip("init runs once a process: the first run (go test -count N) checked it")
	}
	checked = true
	if saved == -2 {
		t.Fatal("init did not turn the collector off")
	}
	want := saved
	Done()
	if got := debug.SetGCPercent(want); got != want {
		t.Errorf("after Done, GOGC is %d, want %d", got, want)
	}
	Done() // a second call changes nothing
	if got := debug.SetGCPercent(want); got != want {
		t.Errorf("after a second Done, GOGC is %d, want %d", got, want)
	}
}
