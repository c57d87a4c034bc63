package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// addFindings turns the rules engine's findings into diagnostics on attr: on the list element
// when a finding names an index and attr is a list, on attr itself otherwise. The summary leads
// with the rule, the detail says why and how to fix it.
func addFindings(diags *diag.Diagnostics, attr path.Path, list bool, fs domains.Findings) {
	for _, f := range fs {
		p := attr
		if list && f.Index >= 0 {
			p = attr.AtListIndex(f.Index)
		}
		summary := f.Rule + ": " + f.Summary
		if f.Severity == domains.Warning {
			diags.AddAttributeWarning(p, summary, f.Detail)
			continue
		}
		diags.AddAttributeError(p, summary, f.Detail)
	}
}
