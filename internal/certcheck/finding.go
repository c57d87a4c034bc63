package certcheck

import (
	"fmt"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// errorf and warnf build findings as the domains package does; Value is the input field (see
// Check), index the position of the PEM block in that field or -1.
func errorf(rule, field string, index int, summary, detail string, args ...any) domains.Finding {
	return domains.Finding{Severity: domains.Error, Rule: rule, Index: index, Value: field, Summary: summary, Detail: fmt.Sprintf(detail, args...)}
}

func warnf(rule, field string, index int, summary, detail string, args ...any) domains.Finding {
	return domains.Finding{Severity: domains.Warning, Rule: rule, Index: index, Value: field, Summary: summary, Detail: fmt.Sprintf(detail, args...)}
}

// located moves a finding of the domains package to a field of this package's input.
func located(f *domains.Finding, field string) domains.Finding {
	out := *f
	out.Value, out.Index = field, -1
	return out
}
