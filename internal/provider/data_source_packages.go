package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

var (
	_ datasource.DataSource              = (*packagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*packagesDataSource)(nil)
)

// NewPackagesDataSource returns the alicloudcas_packages data source.
func NewPackagesDataSource() datasource.DataSource { return &packagesDataSource{} }

type packagesDataSource struct{ client *cas.Client }

func (d *packagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_packages"
}

func (d *packagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	codes := cas.ProductCodes()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Remaining certificate quota of the account's purchased certificate resource plans, one " +
			"entry per product (`DescribePackageState`), so that a plan can show what an order would consume before " +
			"it is placed. Products with no purchased plan are listed with `purchased = false` and zero counts.",
		Attributes: map[string]schema.Attribute{
			"product_codes": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Products to read. Default: every documented product available on the region's " +
					"site (the free test products exist on the China site only, R-19). Known codes: `" +
					strings.Join(codes, "`, `") + "`.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(codes...)),
				},
			},
			"packages": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "One entry per product, sorted by product code.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"product_code": schema.StringAttribute{Computed: true, MarkdownDescription: "The product code."},
					"brand": schema.StringAttribute{Computed: true,
						MarkdownDescription: "Brand part of the product code (`digicert`, `symantec`, `geotrust`, `globalsign`, `cfca`)."},
					"validation_type": schema.StringAttribute{Computed: true, MarkdownDescription: "`DV`, `OV` or `EV`."},
					"domain_type": schema.StringAttribute{Computed: true,
						MarkdownDescription: "`single` (one name) or `wildcard` (one `*.` name)."},
					"free": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether this is a free test product."},
					"purchased": schema.BoolAttribute{Computed: true,
						MarkdownDescription: "Whether the account has a resource plan of this product."},
					"total_count": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "Certificates bought in the plan (`TotalCount`)."},
					"used_count": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "Applications submitted against the plan (`UsedCount`); a deleted failed application gives its unit back."},
					"issued_count": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "Certificates issued from the plan (`IssuedCount`)."},
					"remaining_count": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "Applications that can still be submitted: `total_count - used_count`, never below 0."},
				}},
			},
		},
	}
}

func (d *packagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

type packagesModel struct {
	ProductCodes types.Set      `tfsdk:"product_codes"`
	Packages     []packageModel `tfsdk:"packages"`
}

type packageModel struct {
	ProductCode    types.String `tfsdk:"product_code"`
	Brand          types.String `tfsdk:"brand"`
	ValidationType types.String `tfsdk:"validation_type"`
	DomainType     types.String `tfsdk:"domain_type"`
	Free           types.Bool   `tfsdk:"free"`
	Purchased      types.Bool   `tfsdk:"purchased"`
	TotalCount     types.Int64  `tfsdk:"total_count"`
	UsedCount      types.Int64  `tfsdk:"used_count"`
	IssuedCount    types.Int64  `tfsdk:"issued_count"`
	RemainingCount types.Int64  `tfsdk:"remaining_count"`
}

func (d *packagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m packagesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var requested []string
	resp.Diagnostics.Append(m.ProductCodes.ElementsAs(ctx, &requested, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	site := cas.SiteOf(d.client.Region())
	products := selectProducts(requested, site)
	for _, p := range products {
		if p.ChinaSiteOnly && site == cas.SiteInternational && len(requested) > 0 {
			resp.Diagnostics.AddAttributeError(path.Root("product_codes"), "Product not sold on the international site",
				fmt.Sprintf("R-19: %s is sold on the China site only, and region %s is on the international site. "+
					"Remove it from product_codes, or configure a China-site region such as cn-hangzhou.", p.Code, d.client.Region()))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	m.Packages = make([]packageModel, 0, len(products))
	for _, p := range products {
		state, err := d.client.DescribePackageState(ctx, p.Code)
		if err != nil && !cas.IsNotFound(err) {
			addAPIError(&resp.Diagnostics, "Could not read the certificate quota of "+p.Code, err)
			return
		}
		m.Packages = append(m.Packages, flattenPackage(p, state))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// selectProducts returns the requested products, or all of the site's when none were requested.
func selectProducts(requested []string, site cas.Site) []cas.Product {
	want := map[string]bool{}
	for _, c := range requested {
		want[c] = true
	}
	var out []cas.Product
	for _, p := range cas.Products() {
		switch {
		case len(want) > 0 && want[p.Code]:
			out = append(out, p)
		case len(want) == 0 && !(p.ChinaSiteOnly && site == cas.SiteInternational):
			out = append(out, p)
		}
	}
	return out
}

// flattenPackage renders one product's quota; state is nil when no plan was purchased.
func flattenPackage(p cas.Product, state *cas.PackageState) packageModel {
	m := packageModel{
		ProductCode: types.StringValue(p.Code), Brand: types.StringValue(p.Brand),
		ValidationType: types.StringValue(p.Validation), DomainType: types.StringValue(p.Shape),
		Free: types.BoolValue(p.Free), Purchased: types.BoolValue(state != nil),
		TotalCount: types.Int64Value(0), UsedCount: types.Int64Value(0), IssuedCount: types.Int64Value(0),
		RemainingCount: types.Int64Value(0),
	}
	if state != nil {
		m.TotalCount = types.Int64Value(state.TotalCount)
		m.UsedCount = types.Int64Value(state.UsedCount)
		m.IssuedCount = types.Int64Value(state.IssuedCount)
		m.RemainingCount = types.Int64Value(max(0, state.TotalCount-state.UsedCount))
	}
	return m
}
