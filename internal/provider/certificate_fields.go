package provider

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// The fields every view of a certificate shares (the certificate data sources, and the resources
// that manage certificates): their descriptions, their Terraform model and how certcheck's facts
// become it. Nothing here depends on whether the view is a resource or a data source, so each
// schema builds its own attributes from certificateFieldDescriptions.

// certificateFieldDescriptions are the MarkdownDescription of the fields computed from a
// certificate's PEM text (certcheck.Facts), and of its identifiers.
var certificateFieldDescriptions = map[string]string{
	"certificate_id": "The certificate's ID in the service (`CertId`).",
	"certificate_identifier": "The form other products (ALB, CDN, ...) take: `<certificate_id>-<region>`, " +
		"e.g. `123-cn-hangzhou` (`CertIdentifier`).",
	"common_name": "The subject's Common Name as written in the certificate; empty when it has none.",
	"subject_alternative_names": "The DNS names (lower case, without a trailing dot) and IP addresses of the " +
		"certificate's subject alternative names. Email and URI names are left out.",
	"issuer": "The Common Name of the CA that issued the certificate, read from the certificate (or, when the " +
		"issuer has no Common Name, its distinguished name, `O=Example CA,C=CN`).",
	"serial_number":      "The serial number in lower-case hex, two digits per byte (the service's `SerialNo`).",
	"fingerprint_sha256": "SHA-256 of the certificate's DER encoding, lower-case hex (the service's `Sha2`, in upper case).",
	"key_algorithm":      "The key's algorithm in the service's terms: `RSA`, `ECC` or `SM2`.",
	"key_size":           "The key's size in bits: the modulus for RSA, the curve's size for ECC and SM2 (256 for P-256 and SM2).",
	"not_before":         "Start of validity, RFC 3339 in UTC (`2026-05-01T12:00:00Z`), to the second.",
	"not_after":          "End of validity, RFC 3339 in UTC, to the second.",
	"resource_group_id":  "The resource group the certificate is in (the account's default group when none was chosen).",
}

// certificateFactsModel holds the fields computed from a certificate's PEM text. Models embed it
// by value.
type certificateFactsModel struct {
	CommonName              types.String `tfsdk:"common_name"`
	SubjectAlternativeNames types.Set    `tfsdk:"subject_alternative_names"`
	Issuer                  types.String `tfsdk:"issuer"`
	SerialNumber            types.String `tfsdk:"serial_number"`
	FingerprintSHA256       types.String `tfsdk:"fingerprint_sha256"`
	KeyAlgorithm            types.String `tfsdk:"key_algorithm"`
	KeySize                 types.Int64  `tfsdk:"key_size"`
	NotBefore               types.String `tfsdk:"not_before"`
	NotAfter                types.String `tfsdk:"not_after"`
}

// flattenCertificateFacts renders certcheck's facts. They come from the certificate itself, so
// they are exact where the service's own fields are not (its dates are days, its Issuer a brand).
func flattenCertificateFacts(f *certcheck.Facts) certificateFactsModel {
	return certificateFactsModel{
		CommonName:              types.StringValue(f.CommonName),
		SubjectAlternativeNames: setOfStrings(f.SANs),
		Issuer:                  types.StringValue(f.Issuer),
		SerialNumber:            types.StringValue(f.SerialNumber),
		FingerprintSHA256:       types.StringValue(f.FingerprintSHA256),
		KeyAlgorithm:            nullIfEmpty(f.KeyAlgorithm),
		KeySize:                 types.Int64Value(int64(f.KeySize)),
		NotBefore:               rfc3339OrNull(f.NotBefore),
		NotAfter:                rfc3339OrNull(f.NotAfter),
	}
}

// certificateFactsDataSourceAttributes are the computed attributes of certificateFactsModel in a
// data source schema.
func certificateFactsDataSourceAttributes() map[string]schema.Attribute {
	d := certificateFieldDescriptions
	return map[string]schema.Attribute{
		"common_name": schema.StringAttribute{Computed: true, MarkdownDescription: d["common_name"]},
		"subject_alternative_names": schema.SetAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: d["subject_alternative_names"]},
		"issuer":             schema.StringAttribute{Computed: true, MarkdownDescription: d["issuer"]},
		"serial_number":      schema.StringAttribute{Computed: true, MarkdownDescription: d["serial_number"]},
		"fingerprint_sha256": schema.StringAttribute{Computed: true, MarkdownDescription: d["fingerprint_sha256"]},
		"key_algorithm":      schema.StringAttribute{Computed: true, MarkdownDescription: d["key_algorithm"]},
		"key_size":           schema.Int64Attribute{Computed: true, MarkdownDescription: d["key_size"]},
		"not_before":         schema.StringAttribute{Computed: true, MarkdownDescription: d["not_before"]},
		"not_after":          schema.StringAttribute{Computed: true, MarkdownDescription: d["not_after"]},
	}
}

// certificateSources are the values of a certificate's source, in the order the docs list them.
var certificateSources = []string{sourceUploaded, sourcePurchased, sourceShared}

const (
	sourceUploaded  = "uploaded"
	sourcePurchased = "purchased"
	sourceShared    = "shared"
)

// uploadInstancePrefix begins the InstanceId of an uploaded certificate (cas-upload-50yf1q).
const uploadInstancePrefix = "cas-upload-"

// certificateSource tells where a certificate came from. The service marks purchased
// certificates (BuyInAliyun in the detail; Upload false in the list); a certificate shared by
// another account shows in this account's uploaded list with Upload true, and no field says
// "shared". What tells it apart is its InstanceId: an upload has a cas-upload-… instance of its
// own, while a shared certificate keeps the instance of the owner's order (cas-cn-…). This is an
// inference from the documented id forms (cas-api.md), not a documented field.
func certificateSource(uploaded bool, instanceID string) string {
	switch {
	case !uploaded:
		return sourcePurchased
	case strings.HasPrefix(instanceID, uploadInstancePrefix):
		return sourceUploaded
	}
	return sourceShared
}

// coverageMatcher matches hosts against a certificate's names. Names that are not valid
// certificate names (the service stores what the CA put in the certificate) are left out rather
// than failing the whole certificate: they cover nothing a valid host could be.
func coverageMatcher(names ...[]string) *domains.Matcher {
	var valid []string
	for _, list := range names {
		for _, n := range list {
			if _, f := domains.Normalize(n); f == nil {
				valid = append(valid, n)
			}
		}
	}
	m, err := domains.NewMatcher(valid)
	if err != nil { // cannot happen: every name was normalised above
		m, _ = domains.NewMatcher(nil)
	}
	return m
}

// certificateIdentifierPattern is "<id>-<region>".
var certificateIdentifierPattern = regexp.MustCompile(`^([1-9][0-9]*)-([a-z]+(?:-[a-z0-9]+)+)$`)

// hostValidator refuses, at plan time and without any API call, a value that is not a valid
// certificate name (domains.Normalize), citing the rule it breaks.
type hostValidator struct{}

var _ validator.String = hostValidator{}

func (hostValidator) Description(context.Context) string {
	return "must be a domain name, a wildcard name or an IP address"
}

func (v hostValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (hostValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, f := domains.Normalize(req.ConfigValue.ValueString()); f != nil {
		addFindings(&resp.Diagnostics, req.Path, false, domains.Findings{*f})
	}
}

// regexpValidator refuses a value that is not a Go regular expression (RE2 syntax).
var regexpValidator = stringCheck{
	description: "must be a regular expression in RE2 syntax",
	check: func(s string) (string, string) {
		if _, err := regexp.Compile(s); err != nil {
			return "Invalid regular expression",
				"The value is not a regular expression in RE2 syntax (https://github.com/google/re2/wiki/Syntax): " +
					err.Error() + ". Note that HCL strings need a doubled backslash: \"\\\\d\" for \\d."
		}
		return "", ""
	},
}

// serviceDayStart is the first moment of a day of the service's dates (yyyy-MM-dd in UTC+8, the
// zone of both sites, like cas.EndOfDay); an unreadable date is the zero time.
func serviceDayStart(date string) time.Time {
	end := cas.EndOfDay(date)
	if end.IsZero() {
		return end
	}
	return end.Add(time.Second - 24*time.Hour)
}

// setOfStrings is a set of strings; a value given twice is one element.
func setOfStrings(values []string) types.Set {
	elems := make([]attr.Value, 0, len(values))
	seen := map[string]bool{}
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			elems = append(elems, types.StringValue(v))
		}
	}
	return types.SetValueMust(types.StringType, elems)
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func rfc3339OrNull(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(certcheck.FormatTime(t))
}
