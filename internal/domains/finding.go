package domains

import "fmt"

// Severity says whether a finding stops the plan.
type Severity int

const (
	// Error: the service would refuse the request, or the certificate would not be what the
	// configuration says.
	Error Severity = iota
	// Warning: legal, but probably not what was meant (a paid slot wasted, a name that cannot be
	// deployed later).
	Warning
)

// Finding is one broken or risky rule. Index is the position of the offending name in the list
// that was checked, or -1 when the finding is about the list (or a single value) as a whole.
type Finding struct {
	Severity Severity
	Rule     string // service rule id, "R-04"
	Index    int
	Value    string // the offending value, as given
	Summary  string // one line: what is wrong
	Detail   string // why (the rule) and how to fix it
}

// Error makes a finding usable as an error (functions, tests).
func (f Finding) Error() string {
	return fmt.Sprintf("%s: %s %s", f.Rule, f.Summary, f.Detail)
}

// Findings is a list of findings with helpers for the caller's decision.
type Findings []Finding

// HasErrors reports whether any finding is an error.
func (fs Findings) HasErrors() bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns the error findings only.
func (fs Findings) Errors() Findings { return fs.bySeverity(Error) }

// Warnings returns the warning findings only.
func (fs Findings) Warnings() Findings { return fs.bySeverity(Warning) }

func (fs Findings) bySeverity(s Severity) Findings {
	var out Findings
	for _, f := range fs {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

func errorf(rule string, index int, value, summary, detail string, args ...any) Finding {
	return Finding{Severity: Error, Rule: rule, Index: index, Value: value, Summary: summary, Detail: fmt.Sprintf(detail, args...)}
}

func warnf(rule string, index int, value, summary, detail string, args ...any) Finding {
	return Finding{Severity: Warning, Rule: rule, Index: index, Value: value, Summary: summary, Detail: fmt.Sprintf(detail, args...)}
}
