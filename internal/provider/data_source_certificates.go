package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

var (
	_ datasource.DataSource              = (*certificatesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*certificatesDataSource)(nil)
)

// NewCertificatesDataSource returns the alicloudcas_certificates data source.
func NewCertificatesDataSource() datasource.DataSource {
	return &certificatesDataSource{now: time.Now}
}

type certificatesDataSource struct {
	client *cas.Client
	now    func() time.Time
}

// certificateWillExpireWindow: a certificate is WILLEXPIRED in its last 30 days (the console's "expiring
// soon"; the window the emulator applies, cas-api.md).
const certificateWillExpireWindow = 30 * 24 * time.Hour

func (d *certificatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificates"
}

func (d *certificatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	fd := certificateFieldDescriptions
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the account's certificates in the provider's region — uploaded, purchased (issued " +
			"from an order) and shared with this account — valid **and expired**: the service's list leaves expired " +
			"certificates out unless asked for them, so the data source asks for both and an expired certificate is " +
			"never mistaken for a deleted one. The filters below combine (a certificate must pass all of them); " +
			"`keyword` is applied by the service, the others by the provider.\n\n" +
			"Reading costs one `ListUserCertificateOrder` call per 50 certificates (the service allows 10 calls a " +
			"second), plus one for the expired ones; the provider pages through all of them. No private key and no " +
			"certificate text is read: use the `alicloudcas_certificate` data source for one certificate's PEM, and " +
			"the `alicloudcas_certificate_bundle` ephemeral resource for its key.\n\n" +
			"**Precision.** The list gives validity as days (`StartDate`, `EndDate`, in UTC+8, the time zone of both " +
			"service sites), not timestamps: `not_before` is the first second of the start day and `not_after` the " +
			"last second of the end day, both written in UTC. They can be up to a day wider than the certificate's " +
			"own dates; `alicloudcas_certificate` reads the exact ones from the certificate.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep certificates whose name matches this regular expression (RE2 syntax, " +
					"unanchored: use `^` and `$` to match the whole name).",
				Validators: []validator.String{regexpValidator},
			},
			"keyword": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The service's fuzzy search (`Keyword`): a case-insensitive part of a domain, a " +
					"name or an instance id. It narrows what the service sends; combine it with `covers_domain` for an " +
					"exact coverage test.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"covers_domain": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep certificates that cover this host, matched as TLS clients match (R-08) " +
					"against the certificate's subject alternative names and common name: an exact name matches only " +
					"itself; `*.example.com` covers `www.example.com` but not `example.com` nor `a.b.example.com`. " +
					"A value that is not a valid name is an error at plan time, citing the rule, before any API call.",
				Validators: []validator.String{hostValidator{}},
			},
			"expiring_within_days": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Keep certificates whose `not_after` is at most this many days after the time " +
					"of the read, **including certificates that have already expired** (`0` lists exactly the " +
					"expired ones; add `status != \"EXPIRED\"` in a `for` expression to drop them). The time is " +
					"the time of each read: a data source is read at every plan, so the answer is never stale, and " +
					"nothing time-dependent is kept in a resource's state. Whole days of 24 hours; see the note on " +
					"precision above.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"source": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep certificates of one source: `" + strings.Join(certificateSources, "`, `") +
					"`. See `source` in `certificates` for how they are told apart.",
				Validators: []validator.String{stringvalidator.OneOf(certificateSources...)},
			},
			"certificates": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The certificates that pass every filter, sorted by `id`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                     schema.Int64Attribute{Computed: true, MarkdownDescription: fd["certificate_id"]},
					"certificate_identifier": schema.StringAttribute{Computed: true, MarkdownDescription: fd["certificate_identifier"] + " The region is the provider's."},
					"name":                   schema.StringAttribute{Computed: true, MarkdownDescription: "The certificate's name in the service."},
					"common_name":            schema.StringAttribute{Computed: true, MarkdownDescription: "The certificate's Common Name as the service lists it."},
					"subject_alternative_names": schema.SetAttribute{Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The certificate's domain names and IP addresses as the service lists them (`Sans`)."},
					"issuer": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The CA as the service names it (`Issuer`: the issuing CA's organisation or brand, " +
							"e.g. `DigiCert`), not read from the certificate; `alicloudcas_certificate` gives the issuer's Common Name."},
					"serial_number":      schema.StringAttribute{Computed: true, MarkdownDescription: fd["serial_number"]},
					"fingerprint_sha256": schema.StringAttribute{Computed: true, MarkdownDescription: fd["fingerprint_sha256"]},
					"status": schema.StringAttribute{Computed: true,
						MarkdownDescription: "`ISSUED`, `WILLEXPIRED` (30 days or less left) or `EXPIRED`. The list gives no " +
							"status for certificates, so it is derived from its `Expired` flag and the end day at the time of the read."},
					"source": schema.StringAttribute{Computed: true,
						MarkdownDescription: "`purchased` (issued from an order of this account), `uploaded`, or `shared` " +
							"(purchased by another account of the same owner and shared with this one, R-50, R-54). The service " +
							"lists a shared certificate among the uploaded ones and has no field that says \"shared\": the " +
							"provider calls a certificate of the uploaded list `uploaded` when its instance is an upload's " +
							"(`cas-upload-…`) and `shared` otherwise (a shared certificate keeps the owner's order instance, `cas-cn-…`)."},
					"not_before": schema.StringAttribute{Computed: true,
						MarkdownDescription: "First second of the start day (UTC+8), RFC 3339 in UTC: precise to the day only."},
					"not_after": schema.StringAttribute{Computed: true,
						MarkdownDescription: "Last second of the end day (UTC+8), RFC 3339 in UTC: precise to the day only."},
					"resource_group_id": schema.StringAttribute{Computed: true, MarkdownDescription: fd["resource_group_id"]},
				}},
			},
		},
	}
}

func (d *certificatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

type certificatesModel struct {
	NameRegex          types.String              `tfsdk:"name_regex"`
	Keyword            types.String              `tfsdk:"keyword"`
	CoversDomain       types.String              `tfsdk:"covers_domain"`
	ExpiringWithinDays types.Int64               `tfsdk:"expiring_within_days"`
	Source             types.String              `tfsdk:"source"`
	Certificates       []certificateSummaryModel `tfsdk:"certificates"`
}

type certificateSummaryModel struct {
	ID                      types.Int64  `tfsdk:"id"`
	CertificateIdentifier   types.String `tfsdk:"certificate_identifier"`
	Name                    types.String `tfsdk:"name"`
	CommonName              types.String `tfsdk:"common_name"`
	SubjectAlternativeNames types.Set    `tfsdk:"subject_alternative_names"`
	Issuer                  types.String `tfsdk:"issuer"`
	SerialNumber            types.String `tfsdk:"serial_number"`
	FingerprintSHA256       types.String `tfsdk:"fingerprint_sha256"`
	Status                  types.String `tfsdk:"status"`
	Source                  types.String `tfsdk:"source"`
	NotBefore               types.String `tfsdk:"not_before"`
	NotAfter                types.String `tfsdk:"not_after"`
	ResourceGroupID         types.String `tfsdk:"resource_group_id"`
}

func (d *certificatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m certificatesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f, err := m.filter()
	if err != nil { // the validators refuse this at plan time already
		resp.Diagnostics.AddError("Invalid filter", err.Error())
		return
	}
	items, err := d.client.ListCertificates(ctx, cas.CertificateFilter{Kind: f.listKind(), Keyword: m.Keyword.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not list certificates", err)
		return
	}
	now := d.now()
	m.Certificates = []certificateSummaryModel{}
	for _, it := range f.apply(items, now) {
		m.Certificates = append(m.Certificates, flattenCertificateSummary(it, d.client.Region(), now))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// certificateFilter is the provider's side of the filters; keyword is the service's.
type certificateFilter struct {
	nameRegex    *regexp.Regexp
	coversDomain string
	withinDays   *int64
	source       string
}

func (m certificatesModel) filter() (certificateFilter, error) {
	f := certificateFilter{coversDomain: m.CoversDomain.ValueString(), source: m.Source.ValueString()}
	if !m.NameRegex.IsNull() {
		re, err := regexp.Compile(m.NameRegex.ValueString())
		if err != nil {
			return f, fmt.Errorf("name_regex: %w", err)
		}
		f.nameRegex = re
	}
	if !m.ExpiringWithinDays.IsNull() {
		n := m.ExpiringWithinDays.ValueInt64()
		f.withinDays = &n
	}
	return f, nil
}

// listKind is the list to ask for: purchased certificates are in the CERT list, which holds the
// uploaded (and shared) ones too; a filter on uploaded or shared certificates reads the shorter
// UPLOAD list.
func (f certificateFilter) listKind() string {
	if f.source == sourceUploaded || f.source == sourceShared {
		return cas.KindUploaded
	}
	return cas.KindPurchased
}

// apply keeps the certificates that pass every filter, sorted by id.
func (f certificateFilter) apply(items []cas.CertificateSummary, now time.Time) []cas.CertificateSummary {
	var out []cas.CertificateSummary
	for _, it := range items {
		if f.keep(it, now) {
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (f certificateFilter) keep(it cas.CertificateSummary, now time.Time) bool {
	if f.source != "" && certificateSource(it.Uploaded, it.InstanceID) != f.source {
		return false
	}
	if f.nameRegex != nil && !f.nameRegex.MatchString(it.Name) {
		return false
	}
	if f.coversDomain != "" {
		if covered, err := coverageMatcher(it.SANs, []string{it.CommonName}).Covers(f.coversDomain); err != nil || !covered {
			return false
		}
	}
	if f.withinDays != nil {
		notAfter := cas.EndOfDay(it.EndDate)
		if notAfter.IsZero() || notAfter.After(now.Add(time.Duration(*f.withinDays)*24*time.Hour)) {
			return false
		}
	}
	return true
}

func flattenCertificateSummary(it cas.CertificateSummary, region string, now time.Time) certificateSummaryModel {
	notAfter := cas.EndOfDay(it.EndDate)
	return certificateSummaryModel{
		ID:                      types.Int64Value(it.ID),
		CertificateIdentifier:   types.StringValue(strconv.FormatInt(it.ID, 10) + "-" + region),
		Name:                    types.StringValue(it.Name),
		CommonName:              types.StringValue(it.CommonName),
		SubjectAlternativeNames: setOfStrings(it.SANs),
		Issuer:                  types.StringValue(it.Issuer),
		SerialNumber:            nullIfEmpty(strings.ToLower(it.SerialNo)),
		FingerprintSHA256:       nullIfEmpty(strings.ToLower(it.SHA256)),
		Status:                  types.StringValue(certificateStatus(it, notAfter, now)),
		Source:                  types.StringValue(certificateSource(it.Uploaded, it.InstanceID)),
		NotBefore:               rfc3339OrNull(serviceDayStart(it.StartDate)),
		NotAfter:                rfc3339OrNull(notAfter),
		ResourceGroupID:         nullIfEmpty(it.ResourceGroupID),
	}
}

// certificateStatus is the service's status when it gives one, else derived from the Expired flag
// and the end day: the list documents Status for orders only.
func certificateStatus(it cas.CertificateSummary, notAfter, now time.Time) string {
	switch {
	case it.Status != "":
		return it.Status
	case it.Expired || (!notAfter.IsZero() && !now.Before(notAfter)):
		return "EXPIRED"
	case !notAfter.IsZero() && notAfter.Sub(now) <= certificateWillExpireWindow:
		return "WILLEXPIRED"
	}
	return "ISSUED"
}
