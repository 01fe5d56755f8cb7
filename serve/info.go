package serve

import (
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/profile"
)

// ProfileInfo describes one profile in GET /v1/profiles.
type ProfileInfo struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Reference   string   `json:"reference"`
	Extends     string   `json:"extends,omitempty"`
	Device      string   `json:"device,omitempty"`
	Sources     []string `json:"sources"`
	Lints       int      `json:"lints"`
}

// Profiles is the body of GET /v1/profiles.
type Profiles struct {
	// Default is the profile a lint uses when none is named.
	Default string `json:"default"`
	// Profiles are the profiles, by name.
	Profiles []ProfileInfo `json:"profiles"`
	// Trust names the trust stores a lint may use (?trust=NAME).
	Trust []string `json:"trust"`
}

func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) {
	out := Profiles{Default: s.defaultProfile, Profiles: []ProfileInfo{}, Trust: s.trustNames()}
	if out.Trust == nil {
		out.Trust = []string{}
	}
	for _, name := range s.cfg.Rules.Names() {
		p, _ := s.cfg.Rules.Profile(name)
		info := ProfileInfo{Name: p.Name, Description: strings.Join(strings.Fields(p.Description), " "), Reference: p.Reference,
			Extends: p.Extends, Device: string(p.Device), Sources: []string{}, Lints: len(p.Lints())}
		for _, src := range p.Sources {
			info.Sources = append(info.Sources, string(src))
		}
		out.Profiles = append(out.Profiles, info)
	}
	writeJSON(w, out)
}

// handleRules lists the lints and chain checks of a profile, or of every
// profile, as "iotcert rules --format json" does.
func (s *Server) handleRules(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "profile" {
			writeError(w, http.StatusBadRequest, "unknown query parameter \""+k+"\" (want profile)")
			return
		}
	}
	entries := []profile.CatalogueEntry{}
	var only *profile.Profile
	if name := q.Get("profile"); name != "" {
		p, err := s.cfg.Rules.Profile(name)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		only = p
		for _, li := range p.Lints() {
			entries = append(entries, profile.CatalogueEntry{LintInfo: li, Profiles: []string{p.Name}})
		}
	} else {
		entries = append(entries, s.cfg.Rules.Catalogue()...)
	}
	for _, c := range bundle.Checks() {
		e := profile.CatalogueEntry{LintInfo: c.LintInfo(), Profiles: []string{}}
		for _, name := range s.cfg.Rules.Names() {
			p, _ := s.cfg.Rules.Profile(name)
			if (only == nil || p == only) && c.RunsUnder(lineage.Of(s.cfg.Rules, p)) && !c.Optional {
				e.Profiles = append(e.Profiles, name)
			}
		}
		if len(e.Profiles) > 0 {
			entries = append(entries, e)
		}
	}
	writeJSON(w, entries)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]string{"status": "ok"})
}

// Version is the body of GET /v1/version.
type Version struct {
	// Version is the iotcert module version, "(devel)" in a development
	// build.
	Version string `json:"version"`
	// Revision is the VCS revision the binary was built from, if known.
	Revision string `json:"revision,omitempty"`
	// Go is the Go version the binary was built with.
	Go string `json:"go"`
	// Schema is the schema name of the JSON report.
	Schema string `json:"schema"`
}

func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) {
	v := Version{Version: "(devel)", Go: runtime.Version(), Schema: profile.ReportSchema}
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			v.Version = info.Main.Version
		}
		for _, st := range info.Settings {
			if st.Key == "vcs.revision" {
				v.Revision = st.Value
			}
		}
	}
	writeJSON(w, v)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}
