package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

var _ function.Function = (*domainCoversFunction)(nil)

// domainCoversFunction is provider::alicloudcas::domain_covers(certificate_domains, host).
type domainCoversFunction struct{}

func newDomainCoversFunction() function.Function { return &domainCoversFunction{} }

func (f *domainCoversFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "domain_covers"
}

func (f *domainCoversFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether a certificate's names cover a host",
		MarkdownDescription: "Returns true when one of the certificate's names covers the host, as TLS clients match them " +
			"(R-08): an exact name or IP address matches only itself; `*.example.com` matches exactly one more label " +
			"(`www.example.com`), never `example.com` nor `a.b.example.com`. Case and a trailing dot do not matter. " +
			"Fails, citing the rule, when a name or the host is not a valid certificate name.",
		Parameters: []function.Parameter{
			function.ListParameter{
				Name:                "certificate_domains",
				ElementType:         types.StringType,
				MarkdownDescription: "The certificate's names, e.g. an order's `effective_domains` or an uploaded certificate's `subject_alternative_names`.",
			},
			function.StringParameter{
				Name:                "host",
				MarkdownDescription: "The host name (or IP address) clients will connect to.",
			},
		},
		Return: function.BoolReturn{},
	}
}

func (f *domainCoversFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var list []types.String
	var host string
	if resp.Error = req.Arguments.Get(ctx, &list, &host); resp.Error != nil {
		return
	}
	names, funcErr := stringElements(list, 0)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	m, err := domains.NewMatcher(names)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	covered, err := m.Covers(host)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, covered)
}

// stringElements turns a list argument into strings, refusing null elements.
func stringElements(list []types.String, arg int64) ([]string, *function.FuncError) {
	out := make([]string, len(list))
	for i, v := range list {
		if v.IsNull() {
			return nil, function.NewArgumentFuncError(arg, "element "+itoa(i)+" is null: give a domain name")
		}
		out[i] = v.ValueString()
	}
	return out, nil
}
