package provider

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

var (
	_ datasource.DataSource              = (*cloudResourcesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*cloudResourcesDataSource)(nil)
)

// NewCloudResourcesDataSource returns the alicloudcas_cloud_resources data source.
func NewCloudResourcesDataSource() datasource.DataSource { return &cloudResourcesDataSource{} }

type cloudResourcesDataSource struct{ client *cas.Client }

func (d *cloudResourcesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_resources"
}

func (d *cloudResourcesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	products := cas.CloudProductNames()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the cloud resources certificates can be deployed to (`ListCloudResources`): ALB " +
			"and NLB listeners, CDN and DCDN domains, WAF, Function Compute, API Gateway and the other targets of " +
			"R-65, and those of other clouds connected to the service. Their `id` is what a deployment job takes.\n\n" +
			"**Synchronisation (R-70).** The service learns of resources by synchronising them from each product in " +
			"the background: a listener or domain created a moment ago may be missing for a while, and " +
			"`certificate_id` is the certificate bound at the last sync. A configuration that creates a resource and " +
			"looks it up here in the same apply can find nothing; look it up in a later run, or depend on the " +
			"product's own resource.\n\n" +
			"Except for CDN and DCDN, the service can only **replace** a certificate a resource already has (R-65): " +
			"`enable_https` tells which resources serve HTTPS now. The filters combine; `cloud_product`, `keyword` " +
			"and `certificate_id` are applied by the service, `domain` and `region` by the provider. Reading costs " +
			"one call per 50 resources.",
		Attributes: map[string]schema.Attribute{
			"cloud_product": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Keep resources of one product (`CloudProduct`), written as the service spells it " +
					"(case does not matter): `" + strings.Join(products, "`, `") + "`. `SLB`, `LIVE`, `webHosting`, " +
					"`VOD` and `CR` exist on the China site only; the `Tencent`, `Huawei` and `Aws` ones are other " +
					"clouds' resources, reached through an access key added to the service.",
				Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(products...)}},
			"keyword": schema.StringAttribute{Optional: true,
				MarkdownDescription: "The service's fuzzy search (`Keyword`): a part of the domain or of the instance id.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)}},
			"domain": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Keep resources whose domain is exactly this name (case and a trailing dot do not " +
					"matter; `*.example.com` matches only a resource bound to that wildcard). Checked at plan time (R-02 to R-04).",
				Validators: []validator.String{hostValidator{}}},
			"region": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Keep resources of this region (`region_id`), e.g. `cn-hangzhou`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)}},
			"certificate_id": schema.Int64Attribute{Optional: true,
				MarkdownDescription: "Keep resources that have this certificate bound now (as of the last sync).",
				Validators:          []validator.Int64{int64validator.AtLeast(1)}},
			"resources": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "The resources that pass every filter, sorted by `id`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "The resource's id in the service (`Id`), the value deployment jobs take."},
					"cloud_name": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The cloud: `aliyun`, `Tencent`, `Huawei` or `Aws`."},
					"cloud_product": schema.StringAttribute{Computed: true, MarkdownDescription: "The product (`CloudProduct`)."},
					"region_id":     schema.StringAttribute{Computed: true, MarkdownDescription: "The resource's region."},
					"domain": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The domain bound to the resource; null when the service gives none."},
					"instance_id": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The instance (`alb-…`, `nlb-…`); SLB, NLB, ALB and GA only, null for the others."},
					"listener_id": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The listener (`lsn-…@443`); SLB, NLB, ALB and GA only."},
					"listener_port": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "The listener's port; SLB, NLB, ALB and GA only."},
					"certificate_id": schema.Int64Attribute{Computed: true,
						MarkdownDescription: "The certificate bound to the resource at the last sync (`CertId`); null when none."},
					"certificate_name": schema.StringAttribute{Computed: true,
						MarkdownDescription: "That certificate's name; null when none."},
					"certificate_not_after": schema.StringAttribute{Computed: true,
						MarkdownDescription: "End of that certificate's validity, RFC 3339 in UTC; null when unknown."},
					"enable_https": schema.BoolAttribute{Computed: true,
						MarkdownDescription: "Whether the resource serves HTTPS now (`EnableHttps`)."},
					"status": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The service's status of the resource, as given (values are not documented)."},
				}},
			},
		},
	}
}

func (d *cloudResourcesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

type cloudResourcesModel struct {
	CloudProduct  types.String         `tfsdk:"cloud_product"`
	Keyword       types.String         `tfsdk:"keyword"`
	Domain        types.String         `tfsdk:"domain"`
	Region        types.String         `tfsdk:"region"`
	CertificateID types.Int64          `tfsdk:"certificate_id"`
	Resources     []cloudResourceModel `tfsdk:"resources"`
}

type cloudResourceModel struct {
	ID                  types.Int64  `tfsdk:"id"`
	CloudName           types.String `tfsdk:"cloud_name"`
	CloudProduct        types.String `tfsdk:"cloud_product"`
	RegionID            types.String `tfsdk:"region_id"`
	Domain              types.String `tfsdk:"domain"`
	InstanceID          types.String `tfsdk:"instance_id"`
	ListenerID          types.String `tfsdk:"listener_id"`
	ListenerPort        types.Int64  `tfsdk:"listener_port"`
	CertificateID       types.Int64  `tfsdk:"certificate_id"`
	CertificateName     types.String `tfsdk:"certificate_name"`
	CertificateNotAfter types.String `tfsdk:"certificate_not_after"`
	EnableHTTPS         types.Bool   `tfsdk:"enable_https"`
	Status              types.String `tfsdk:"status"`
}

func (d *cloudResourcesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m cloudResourcesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f := cas.CloudResourceFilter{CloudProduct: cas.CanonicalCloudProduct(m.CloudProduct.ValueString()), Keyword: m.Keyword.ValueString()}
	if !m.CertificateID.IsNull() {
		f.CertIDs = []int64{m.CertificateID.ValueInt64()}
	}
	domain := ""
	if !m.Domain.IsNull() {
		domain, _ = domains.Normalize(m.Domain.ValueString()) // the validator refused anything else
		if f.Keyword == "" {
			f.Keyword = domain // the service's match narrows the list; the exact one follows
		}
	}
	items, err := d.client.ListCloudResources(ctx, f)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not list cloud resources", err)
		return
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	m.Resources = []cloudResourceModel{}
	for _, it := range items {
		if (domain == "" || resourceHasDomain(it.Domain, domain)) && (m.Region.IsNull() || it.RegionID == m.Region.ValueString()) {
			m.Resources = append(m.Resources, flattenCloudResource(it))
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// resourceHasDomain: the resource's domain, normalised, is want. A list of several (comma
// separated), which no answer has shown but Domain's type would allow, matches on any of them.
func resourceHasDomain(domain, want string) bool {
	for _, d := range strings.Split(domain, ",") {
		if n, f := domains.Normalize(strings.TrimSpace(d)); f == nil && n == want {
			return true
		}
	}
	return false
}

func flattenCloudResource(it cas.CloudResource) cloudResourceModel {
	m := cloudResourceModel{
		ID: types.Int64Value(it.ID), CloudName: types.StringValue(it.CloudName), CloudProduct: types.StringValue(it.CloudProduct),
		RegionID: nullIfEmpty(it.RegionID), Domain: nullIfEmpty(it.Domain), InstanceID: nullIfEmpty(it.InstanceID),
		ListenerID: nullIfEmpty(it.ListenerID), ListenerPort: types.Int64Null(), CertificateID: types.Int64Null(),
		CertificateName: nullIfEmpty(it.CertName), CertificateNotAfter: rfc3339OrNull(it.CertNotAfter),
		EnableHTTPS: types.BoolValue(it.EnableHTTPS), Status: nullIfEmpty(it.Status),
	}
	if it.ListenerPort != 0 {
		m.ListenerPort = types.Int64Value(it.ListenerPort)
	}
	if it.CertID != 0 {
		m.CertificateID = types.Int64Value(it.CertID)
	}
	return m
}
