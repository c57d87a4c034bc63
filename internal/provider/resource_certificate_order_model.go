package provider

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
)

// certificateOrderModel is alicloudcas_certificate_order's plan and state.
type certificateOrderModel struct {
	ID                    types.String   `tfsdk:"id"`
	ProductCode           types.String   `tfsdk:"product_code"`
	Domains               types.List     `tfsdk:"domains"`
	ValidationMethod      types.String   `tfsdk:"validation_method"`
	ContactName           types.String   `tfsdk:"contact_name"`
	ContactPhone          types.String   `tfsdk:"contact_phone"`
	ContactEmail          types.String   `tfsdk:"contact_email"`
	CompanyName           types.String   `tfsdk:"company_name"`
	CSR                   pemValue       `tfsdk:"csr"`
	RenewBeforeDays       types.Int64    `tfsdk:"renew_before_days"`
	DeletionPolicy        types.String   `tfsdk:"deletion_policy"`
	Tags                  types.Map      `tfsdk:"tags"`
	OrderID               types.Int64    `tfsdk:"order_id"`
	Status                types.String   `tfsdk:"status"`
	EffectiveDomains      types.List     `tfsdk:"effective_domains"`
	ValidationRecords     types.Map      `tfsdk:"validation_records"`
	CertificateID         types.Int64    `tfsdk:"certificate_id"`
	CertificateIdentifier types.String   `tfsdk:"certificate_identifier"`
	CertificatePEM        types.String   `tfsdk:"certificate_pem"`
	CertificateChainPEM   types.String   `tfsdk:"certificate_chain_pem"`
	NotBefore             types.String   `tfsdk:"not_before"`
	NotAfter              types.String   `tfsdk:"not_after"`
	RenewedCertificateIDs types.List     `tfsdk:"renewed_certificate_ids"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

// validationRecordType is the object type of validation_records' elements.
var validationRecordType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"type": types.StringType, "name": types.StringType, "value": types.StringType,
	"path": types.StringType, "content": types.StringType,
}}

// orderRequest is the application the plan describes.
func (m certificateOrderModel) orderRequest(ctx context.Context) (cas.OrderRequest, diag.Diagnostics) {
	var names []string
	diags := m.Domains.ElementsAs(ctx, &names, false)
	tags, more := stringMap(ctx, m.Tags)
	diags.Append(more...)
	return cas.OrderRequest{
		ProductCode: m.ProductCode.ValueString(), Domains: names, ValidateType: m.ValidationMethod.ValueString(),
		Username: m.ContactName.ValueString(), Phone: m.ContactPhone.ValueString(), Email: m.ContactEmail.ValueString(),
		CompanyName: m.CompanyName.ValueString(), CSR: certcheck.CanonicalPEM(m.CSR.ValueString()), Tags: tags,
	}, diags
}

// applyState records what DescribeCertificateState says: the status, the validation to do while
// in domain_verify, the certificate once issued. Before issuance (a renewal in progress) the
// previous certificate's values are kept.
func (m *certificateOrderModel) applyState(ctx context.Context, region string, s *cas.OrderState) diag.Diagnostics {
	var diags diag.Diagnostics
	m.Status = types.StringValue(s.Type)
	m.ValidationRecords, diags = validationRecords(m.validatedDomain(ctx), s, m.ValidationRecords)
	if m.RenewedCertificateIDs.IsNull() || m.RenewedCertificateIDs.IsUnknown() {
		m.RenewedCertificateIDs = types.ListValueMust(types.Int64Type, []attr.Value{})
	}
	if s.Type != "certificate" || s.CertificatePEM == "" {
		m.keepCertificateOrNull()
		return diags
	}
	leaf, chain := splitLeaf(s.CertificatePEM)
	m.CertificatePEM, m.CertificateChainPEM = types.StringValue(leaf), stringOrNull(chain)
	if s.CertID != 0 {
		m.CertificateID = types.Int64Value(s.CertID)
		m.CertificateIdentifier = types.StringValue(strconv.FormatInt(s.CertID, 10) + "-" + region)
	} else {
		m.CertificateID, m.CertificateIdentifier = types.Int64Null(), types.StringNull()
	}
	if facts, err := certcheck.ReadFacts(leaf); err == nil {
		m.NotBefore = types.StringValue(certcheck.FormatTime(facts.NotBefore))
		m.NotAfter = types.StringValue(certcheck.FormatTime(facts.NotAfter))
	} else {
		diags.AddWarning("Could not read the issued certificate", err.Error())
	}
	return diags
}

// keepCertificateOrNull keeps known certificate values (a renewal's predecessor) and turns
// unknown ones into null.
func (m *certificateOrderModel) keepCertificateOrNull() {
	if m.CertificateID.IsUnknown() {
		m.CertificateID = types.Int64Null()
	}
	for _, v := range []*types.String{&m.CertificateIdentifier, &m.CertificatePEM, &m.CertificateChainPEM, &m.NotBefore, &m.NotAfter} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
}

// validatedDomain is the key of validation_records: the first name, without its wildcard label
// (the CA validates the domain; the service gives one record per order).
func (m certificateOrderModel) validatedDomain(ctx context.Context) string {
	var names []string
	if m.Domains.IsNull() || m.Domains.IsUnknown() || m.Domains.ElementsAs(ctx, &names, false).HasError() || len(names) == 0 {
		return ""
	}
	return strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(names[0]), "*."), ".")
}

// validationRecords is the map of validation to do, keyed by the validated domain. The service
// shows the instructions only while it waits for them (domain_verify); afterwards the last known
// ones are kept, so that DNS records made with for_each over this map are not planned for
// destruction once the CA has validated. A renewal (a new order) brings new ones.
func validationRecords(domain string, s *cas.OrderState, prior types.Map) (types.Map, diag.Diagnostics) {
	rec := map[string]attr.Value{
		"type": types.StringNull(), "name": types.StringNull(), "value": types.StringNull(),
		"path": types.StringNull(), "content": types.StringNull(),
	}
	switch {
	case domain == "":
		return types.MapValueMust(validationRecordType, map[string]attr.Value{}), nil
	case s.Type == "domain_verify" && s.ValidateType == "FILE" && s.FileContent != "":
		rec["type"], rec["path"], rec["content"] = types.StringValue("FILE"), types.StringValue(s.FileURI), types.StringValue(s.FileContent)
	case s.Type == "domain_verify" && s.RecordValue != "":
		rec["type"], rec["value"] = types.StringValue(s.RecordType), types.StringValue(s.RecordValue)
		rec["name"] = types.StringValue(recordFQDN(s.RecordDomain, domain))
	case !prior.IsNull() && !prior.IsUnknown() && allKnown(prior):
		return prior, nil
	}
	obj, diags := types.ObjectValue(validationRecordType.AttrTypes, rec)
	if diags.HasError() {
		return types.MapNull(validationRecordType), diags
	}
	m, more := types.MapValue(validationRecordType, map[string]attr.Value{domain: obj})
	diags.Append(more...)
	return m, diags
}

// recordFQDN: the service gives the record's name relative to the domain ("_dnsauth") or whole.
func recordFQDN(record, domain string) string {
	record = strings.TrimSuffix(record, ".")
	if record == "" || strings.HasSuffix(record, "."+domain) || record == domain {
		return record
	}
	return record + "." + domain
}

// copyComputed carries the service's values from the state into a plan that does not renew.
func (m *certificateOrderModel) copyComputed(s certificateOrderModel) {
	m.ID, m.OrderID, m.Status, m.ValidationRecords = s.ID, s.OrderID, s.Status, s.ValidationRecords
	m.CertificateID, m.CertificateIdentifier, m.CertificatePEM, m.CertificateChainPEM = s.CertificateID, s.CertificateIdentifier, s.CertificatePEM, s.CertificateChainPEM
	m.NotBefore, m.NotAfter, m.RenewedCertificateIDs = s.NotBefore, s.NotAfter, s.RenewedCertificateIDs
}

// renewalPlanned: ModifyPlan marks a renewal by leaving the order id unknown.
func renewalPlanned(plan certificateOrderModel) bool { return plan.OrderID.IsUnknown() }

// mayHaveHappened: the request may have reached the service, so resending could buy twice.
func mayHaveHappened(err error) bool {
	var network *cas.NetworkError
	var server *cas.ServiceError
	return cas.IsOutcomeUnknown(err) || (errors.As(err, &network) && network.Sent) || errors.As(err, &server)
}

// splitLeaf separates the first PEM block from the rest.
func splitLeaf(text string) (leaf, chain string) {
	canonical := certcheck.CanonicalPEM(text)
	const end = "-----END CERTIFICATE-----\n"
	if i := strings.Index(canonical, end); i >= 0 {
		return canonical[:i+len(end)], canonical[i+len(end):]
	}
	return canonical, ""
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func int64List(ctx context.Context, l types.List) []int64 {
	var out []int64
	if !l.IsNull() && !l.IsUnknown() {
		_ = l.ElementsAs(ctx, &out, false)
	}
	return out
}

// allKnown: the map and every element are known (a plan's records are known-keyed but unknown).
func allKnown(m types.Map) bool {
	for _, v := range m.Elements() {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}
