package provider

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
)

var (
	_ datasource.DataSource                     = (*certificateDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*certificateDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*certificateDataSource)(nil)
)

// NewCertificateDataSource returns the alicloudcas_certificate data source.
func NewCertificateDataSource() datasource.DataSource {
	return &certificateDataSource{now: time.Now}
}

type certificateDataSource struct {
	client *cas.Client
	now    func() time.Time
}

func (d *certificateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate"
}

func (d *certificateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	fd := certificateFieldDescriptions
	attrs := certificateFactsDataSourceAttributes()
	attrs["certificate_id"] = schema.Int64Attribute{
		Optional: true, Computed: true,
		MarkdownDescription: fd["certificate_id"] + " One of `certificate_id`, `certificate_identifier` and `newest_covering` is required.",
		Validators:          []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs["certificate_identifier"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: fd["certificate_identifier"] + " Given as an argument, its region must be the provider's: " +
			"the certificate is read in the provider's region.",
		Validators: []validator.String{stringvalidator.RegexMatches(certificateIdentifierPattern,
			"must be <certificate id>-<region>, e.g. 123-cn-hangzhou")},
	}
	attrs["newest_covering"] = schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "A host: read the valid certificate (not expired) that covers it (R-08, against its subject " +
			"alternative names and common name) and lasts longest (the latest `not_after`), whether uploaded, purchased " +
			"or shared. The choice is made at every read, so a newer certificate is picked up at the next plan. No " +
			"covering certificate is an error. A value that is not a valid name fails at plan time, citing the rule.",
		Validators: []validator.String{hostValidator{}},
	}
	attrs["name"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The certificate's name in the service."}
	attrs["instance_id"] = schema.StringAttribute{Computed: true,
		MarkdownDescription: "The certificate's resource id (`cas-upload-…` for an upload, the order's `cas-cn-…` otherwise): the id tags and RAM policies use."}
	attrs["certificate"] = schema.StringAttribute{Computed: true,
		MarkdownDescription: "The certificate in PEM as the service stores it: the server certificate followed by its chain. " +
			"For an SM2 dual certificate, the signing certificate. Public: no private key is ever read by this data source."}
	attrs["resource_group_id"] = schema.StringAttribute{Computed: true, MarkdownDescription: fd["resource_group_id"]}
	attrs["tags"] = schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The certificate's tags."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One certificate of the account — uploaded, purchased or shared with it — by id, by identifier, " +
			"or the newest that covers a host. The certificate's facts (names, issuer, serial, fingerprint, key, " +
			"exact validity to the second) are read from its PEM, not from the service's summary fields. The private " +
			"key is never read: use the `alicloudcas_certificate_bundle` ephemeral resource for it.",
		Attributes: attrs,
	}
}

func (d *certificateDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("certificate_id"), path.MatchRoot("certificate_identifier"),
			path.MatchRoot("newest_covering")),
	}
}

func (d *certificateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

type certificateModel struct {
	CertificateID         types.Int64  `tfsdk:"certificate_id"`
	CertificateIdentifier types.String `tfsdk:"certificate_identifier"`
	NewestCovering        types.String `tfsdk:"newest_covering"`
	Name                  types.String `tfsdk:"name"`
	InstanceID            types.String `tfsdk:"instance_id"`
	Certificate           types.String `tfsdk:"certificate"`
	ResourceGroupID       types.String `tfsdk:"resource_group_id"`
	Tags                  types.Map    `tfsdk:"tags"`
	certificateFactsModel
}

func (d *certificateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m certificateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var id int64
	switch {
	case !m.CertificateID.IsNull():
		id = m.CertificateID.ValueInt64()
	case !m.CertificateIdentifier.IsNull():
		match := certificateIdentifierPattern.FindStringSubmatch(m.CertificateIdentifier.ValueString())
		if match == nil { // refused at plan time already
			resp.Diagnostics.AddAttributeError(path.Root("certificate_identifier"), "Invalid certificate identifier",
				"Give <certificate id>-<region>, e.g. 123-cn-hangzhou.")
			return
		}
		id, _ = strconv.ParseInt(match[1], 10, 64)
	default:
		var ok bool
		if id, ok = d.newestCovering(ctx, m.NewestCovering.ValueString(), &resp.Diagnostics); !ok {
			return
		}
	}

	c, err := d.client.GetUserCertificateDetail(ctx, id, true)
	switch {
	case cas.IsNotFound(err):
		at, given := path.Root("certificate_id"), strconv.FormatInt(id, 10)
		if !m.CertificateIdentifier.IsNull() {
			at, given = path.Root("certificate_identifier"), m.CertificateIdentifier.ValueString()
		}
		resp.Diagnostics.AddAttributeError(at, "Certificate "+given+" not found",
			fmt.Sprintf("No certificate %d exists in region %s (GetUserCertificateDetail answered not found): it was deleted, "+
				"or belongs to another account or region. List the account's certificates with the alicloudcas_certificates data source.",
				id, d.client.Region()))
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read certificate %d", id), err)
		return
	}
	if want := m.CertificateIdentifier.ValueString(); want != "" && want != c.Identifier {
		resp.Diagnostics.AddAttributeError(path.Root("certificate_identifier"), "Certificate "+want+" not found",
			fmt.Sprintf("Certificate %d of region %s is %s, not %s: the provider reads the certificates of its own region. "+
				"Use a provider configuration whose region is the identifier's.", id, d.client.Region(), c.Identifier, want))
		return
	}
	resp.Diagnostics.Append(m.apply(ctx, c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// newestCovering finds the id of the valid certificate that covers host and ends last. The list
// gives end days only: the certificates that end on the latest day are read one by one and the
// exact not_after decides (then the higher id, the newer certificate).
func (d *certificateDataSource) newestCovering(ctx context.Context, host string, diags *diag.Diagnostics) (int64, bool) {
	items, err := d.client.ListCertificates(ctx, cas.CertificateFilter{Kind: cas.KindPurchased})
	if err != nil {
		addAPIError(diags, "Could not list certificates", err)
		return 0, false
	}
	now := d.now()
	var candidates []cas.CertificateSummary
	var lastDay time.Time
	for _, it := range items {
		end := cas.EndOfDay(it.EndDate)
		if it.Expired || !now.Before(end) || serviceDayStart(it.StartDate).After(now) {
			continue
		}
		if covered, err := coverageMatcher(it.SANs, []string{it.CommonName}).Covers(host); err != nil || !covered {
			continue
		}
		switch {
		case end.After(lastDay):
			lastDay, candidates = end, []cas.CertificateSummary{it}
		case end.Equal(lastDay):
			candidates = append(candidates, it)
		}
	}
	if len(candidates) == 0 {
		diags.AddAttributeError(path.Root("newest_covering"), "No valid certificate covers "+host,
			fmt.Sprintf("None of the %d certificates of region %s is both valid now and covers %q. R-08: an exact name covers "+
				"only itself and *.example.com covers one level (www.example.com), not example.com nor a.b.example.com. "+
				"Upload or order a certificate for it, or name the certificate with certificate_id.", len(items), d.client.Region(), host))
		return 0, false
	}
	if len(candidates) == 1 {
		return candidates[0].ID, true
	}
	sort.Slice(candidates, func(i, j int) bool { return candidates[i].ID > candidates[j].ID })
	best, bestEnd := int64(0), time.Time{}
	for _, it := range candidates {
		c, err := d.client.GetUserCertificateDetail(ctx, it.ID, false)
		if cas.IsNotFound(err) {
			continue // deleted since it was listed
		}
		if err != nil {
			addAPIError(diags, fmt.Sprintf("Could not read certificate %d", it.ID), err)
			return 0, false
		}
		if c.NotAfter.After(bestEnd) {
			best, bestEnd = it.ID, c.NotAfter
		}
	}
	if best == 0 {
		best = candidates[0].ID
	}
	return best, true
}

// apply fills the computed attributes from the certificate's detail and its PEM.
func (m *certificateModel) apply(ctx context.Context, c *cas.Certificate) diag.Diagnostics {
	var diags diag.Diagnostics
	text := c.PEM
	if text == "" {
		text = c.SignPEM
	}
	facts, err := certcheck.ReadFacts(text)
	if err != nil {
		diags.AddError(fmt.Sprintf("Could not read certificate %d", c.ID),
			"The service answered a certificate text that is not a readable PEM certificate: "+err.Error())
		return diags
	}
	m.certificateFactsModel = flattenCertificateFacts(facts)
	m.CertificateID = types.Int64Value(c.ID)
	m.CertificateIdentifier = types.StringValue(c.Identifier)
	m.Name = types.StringValue(c.Name)
	m.InstanceID = nullIfEmpty(c.InstanceID)
	m.Certificate = types.StringValue(text)
	m.ResourceGroupID = nullIfEmpty(c.ResourceGroupID)
	tags, d := types.MapValueFrom(ctx, types.StringType, c.Tags)
	diags.Append(d...)
	m.Tags = tags
	return diags
}
