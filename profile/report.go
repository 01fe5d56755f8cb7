package profile

// ReportSchema identifies the JSON report format; it changes only when a
// field is removed or changes meaning (fields may be added).
const ReportSchema = "iotcert.lint.v1"

// Report is the outcome of linting a set of inputs with one profile.
type Report struct {
	// Schema is ReportSchema.
	Schema string `json:"schema"`
	// Profile is the name of the profile used.
	Profile string `json:"profile"`
	// Certificates holds one Result per certificate or unreadable input,
	// in input order.
	Certificates []Result `json:"certificates"`
	// Summary counts the certificates and findings.
	Summary Summary `json:"summary"`
}

// Summary counts the certificates of a report and their findings.
type Summary struct {
	// Certificates is the number of results, unreadable inputs included.
	Certificates int `json:"certificates"`
	// Clean is the number of certificates without any finding.
	Clean int `json:"clean"`
	// Findings counts findings by level.
	Findings LevelCounts `json:"findings"`
	// Worst is the highest level found, or "" when there is none.
	Worst string `json:"worst"`
}

// LevelCounts counts findings by level.
type LevelCounts struct {
	Fatal  int `json:"fatal"`
	Error  int `json:"error"`
	Warn   int `json:"warn"`
	Notice int `json:"notice"`
}

// Add counts the findings of r into s.
func (s *Summary) Add(r Result) {
	s.Certificates++
	if len(r.Findings) == 0 {
		s.Clean++
	}
	worst, _ := ParseLevel(s.Worst)
	for _, f := range r.Findings {
		switch f.Level {
		case Fatal:
			s.Findings.Fatal++
		case Error:
			s.Findings.Error++
		case Warn:
			s.Findings.Warn++
		case Notice:
			s.Findings.Notice++
		}
		worst = max(worst, f.Level)
	}
	if worst != 0 {
		s.Worst = worst.String()
	}
}

// WorstLevel returns the highest level found, or 0.
func (s *Summary) WorstLevel() Level {
	l, _ := ParseLevel(s.Worst)
	return l
}
