package bundle

import (
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// lintItem is LintItem with the profile that Options.ProfileOf chooses
// for the certificate, at the bundle's time, or p.
func (b *Bundle) lintItem(p *profile.Profile, it certio.Item) (profile.Result, *Node) {
	if b.opts.ProfileOf == nil || it.Err != nil {
		return LintItem(p, it)
	}
	c, err := certio.Parse(it.DER)
	if err != nil {
		return LintItem(p, it)
	}
	if q := b.opts.ProfileOf(c); q != nil {
		p = q.WithTime(b.opts.Now)
	}
	return LintItem(p, it)
}
