package provider

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

var _ function.Function = (*effectiveDomainsFunction)(nil)

// effectiveDomainsFunction is provider::alicloudcas::effective_domains(brand, domains).
type effectiveDomainsFunction struct{}

func newEffectiveDomainsFunction() function.Function { return &effectiveDomainsFunction{} }

func (f *effectiveDomainsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "effective_domains"
}

func (f *effectiveDomainsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The names an issued certificate will really contain",
		MarkdownDescription: "Returns the names a certificate of the brand will contain when issued for `domains`: the listed " +
			"names first, normalised, in their order, then the names the CA adds, without duplicates. " +
			"`digicert`, `geotrust`, `symantec` and `globalsign` add `example.com` to `*.example.com` and to " +
			"`www.example.com` when `example.com` is a registrable domain (R-10); `entrust` adds `www.` to the first name " +
			"when it is a registrable domain, once per certificate, and never the base of a wildcard (R-09, R-11); other " +
			"brands add nothing. Fails, citing the rule, for a name that cannot be on a certificate.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "brand",
				MarkdownDescription: "The CA brand (`geotrust`, `digicert`, `entrust`, ...) or a product code (`geotrust-dv-w-starter`), whose first part is the brand.",
			},
			function.ListParameter{
				Name:                "domains",
				ElementType:         types.StringType,
				MarkdownDescription: "The names the order lists, first name first.",
			},
		},
		Return: function.ListReturn{ElementType: types.StringType},
	}
}

func (f *effectiveDomainsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var brand string
	var list []types.String
	if resp.Error = req.Arguments.Get(ctx, &brand, &list); resp.Error != nil {
		return
	}
	given, funcErr := stringElements(list, 1)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	names := make([]domains.Name, len(given))
	for i, g := range given {
		n, fs := domains.CheckName(g, i)
		if errs := fs.Errors(); len(errs) > 0 {
			resp.Error = function.NewArgumentFuncError(1, "element "+itoa(i)+": "+errs[0].Error())
			return
		}
		names[i] = n
	}
	resp.Error = resp.Result.Set(ctx, domains.Effective(domains.BrandOf(brand), names))
}

func itoa(i int) string { return strconv.Itoa(i) }
