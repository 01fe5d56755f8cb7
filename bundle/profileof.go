package bundle

import (
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// profileFor returns the profile that Options.ProfileOf chooses for the
// certificate of it, at the bundle's time, or p when there is no choice
// (no ProfileOf, an input error, a certificate that does not parse, or
// ProfileOf returns nil).
func (b *Bundle) profileFor(p *profile.Profile, it certio.Item) *profile.Profile {
	if b.opts.ProfileOf == nil || it.Err != nil {
		return p
	}
	c, _, err := certio.ParseDefects(it.DER)
	if err != nil {
		return p
	}
	if q := b.opts.ProfileOf(c); q != nil {
		return q.WithClock(b.at)
	}
	return p
}
