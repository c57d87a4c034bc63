package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

var _ function.Function = (*normalizeDomainFunction)(nil)

// normalizeDomainFunction is provider::alicloudcas::normalize_domain(name).
type normalizeDomainFunction struct{}

func newNormalizeDomainFunction() function.Function { return &normalizeDomainFunction{} }

func (f *normalizeDomainFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "normalize_domain"
}

func (f *normalizeDomainFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The canonical form of a certificate name",
		MarkdownDescription: "Returns the form the service and this provider compare names in: lower case, one trailing dot " +
			"removed, an IP address in canonical text. Fails, citing the rule, for a name that cannot be on a certificate " +
			"at all: bad characters or label lengths (R-02), a wildcard that is not the whole leftmost label (R-04), " +
			"non-ASCII characters (R-12; the error shows the A-label form for reference).",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "name",
				MarkdownDescription: "A domain name (`www.example.com`), wildcard (`*.example.com`) or IP address.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *normalizeDomainFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var name string
	if resp.Error = req.Arguments.Get(ctx, &name); resp.Error != nil {
		return
	}
	out, finding := domains.Normalize(name)
	if finding != nil {
		resp.Error = function.NewArgumentFuncError(0, finding.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, out)
}
