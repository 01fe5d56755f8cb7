package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressBar draws a long command's progress on a terminal with
// github.com/schollz/progressbar: a bar, the count, the rate and the time
// left, redrawn at most ten times a second. On anything that is not a
// terminal, or when disabled, it draws nothing. It shows counts only: no
// device data, never key material. Its methods may be called from several
// goroutines.
type progressBar struct {
	w    io.Writer // nil: draw nothing
	unit string
	mu   sync.Mutex
	bar  *progressbar.ProgressBar // created at the first update with a total
}

// newProgressBar returns a bar counting unit on stderr when enabled and
// stderr is a terminal, or a bar that draws nothing.
func newProgressBar(stderr io.Writer, enabled bool, unit string) *progressBar {
	f, ok := stderr.(*os.File)
	if !enabled || !ok || !term.IsTerminal(int(f.Fd())) {
		return &progressBar{}
	}
	return &progressBar{w: stderr, unit: unit}
}

// update shows done of total.
func (p *progressBar) update(done, total int) {
	if p.w == nil || total == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(p.unit),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetDescription(p.unit),
		)
	}
	p.bar.Set(done)
}

// clear erases the bar before a message is printed; the next update
// draws it again.
func (p *progressBar) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Clear()
	}
}

// finish ends the bar's line, keeping the last count shown.
func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Exit()
		io.WriteString(p.w, "\n")
	}
}
