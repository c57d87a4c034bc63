package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// Plan-time logic of alicloudcas_certificate_order: every rule that can be checked before money
// is spent, in ValidateConfig; what the plan can know (effective domains, the validation records'
// keys, a due renewal), in ModifyPlan. None of it calls the API.

// ValidateConfig applies the domain rules against the product's shape and brand (R-02 to R-13,
// R-15), the validation method, the applicant, the CSR and
// renewal's limits.
func (r *certificateOrderResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var c certificateOrderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &c)...)
	if resp.Diagnostics.HasError() || c.ProductCode.IsUnknown() || c.Domains.IsUnknown() {
		return
	}
	product, err := cas.LookupProduct(c.ProductCode.ValueString())
	if err != nil {
		return // the attribute's OneOf validator says which codes exist
	}
	var given []types.String
	resp.Diagnostics.Append(c.Domains.ElementsAs(ctx, &given, false)...)
	texts := make([]string, 0, len(given))
	for _, g := range given {
		if g.IsUnknown() || g.IsNull() {
			return
		}
		texts = append(texts, g.ValueString())
	}
	spec := domains.Spec{Shape: product.Shape, Validation: product.Validation, Brand: product.Brand, API: true}
	names, fs := domains.CheckDomains(texts, spec)
	addFindings(&resp.Diagnostics, path.Root("domains"), true, fs)
	if fs.HasErrors() {
		return
	}
	if m := c.ValidationMethod; !m.IsUnknown() && !m.IsNull() && product.Validation == "DV" {
		addFindings(&resp.Diagnostics, path.Root("domains"), true, domains.CheckValidationMethod(m.ValueString(), names))
	}
	resp.Diagnostics.Append(checkApplicant(c, product)...)
	if csr := c.CSR; !csr.IsNull() && !csr.IsUnknown() {
		_, fs := domains.CheckCSR(csr.ValueString(), names)
		addFindings(&resp.Diagnostics, path.Root("csr"), false, fs)
	}
	if !c.RenewBeforeDays.IsNull() && len(names) > 1 {
		resp.Diagnostics.AddAttributeError(path.Root("renew_before_days"), "R-26: A multi-domain certificate cannot be renewed",
			fmt.Sprintf("The service renews single-name certificates only (R-26); this order names %d domains. Remove "+
				"renew_before_days and, before the certificate expires, apply for a new one (a new alicloudcas_certificate_order).", len(names)))
	}
}

// checkApplicant: OV and EV name a company; EV needs a business email; the
// three contact fields come together or not at all.
func checkApplicant(c certificateOrderModel, product cas.Product) diag.Diagnostics {
	var diags diag.Diagnostics
	if product.Validation != "DV" && c.CompanyName.IsNull() {
		diags.AddAttributeError(path.Root("company_name"), fmt.Sprintf("R-25: %s certificates need company data", product.Validation),
			fmt.Sprintf("The CA verifies the organisation of an %s certificate (R-20, R-25): set company_name to the company profile's "+
				"name, exactly as in the business licence.", product.Validation))
	}
	if product.Validation == "DV" && !c.CompanyName.IsNull() {
		diags.AddAttributeWarning(path.Root("company_name"), "company_name is not used for DV certificates",
			"Only OV and EV certificates carry the organisation (R-18); the service ignores it here. Remove it.")
	}
	contacts := []types.String{c.ContactName, c.ContactPhone, c.ContactEmail}
	set := 0
	for _, v := range contacts {
		if !v.IsNull() {
			set++
		}
	}
	if set != 0 && set != len(contacts) {
		diags.AddAttributeError(path.Root("contact_name"), "R-18: Give the applicant's name, phone and email together",
			"Without all three the service uses the most recent contact of its information management (R-18), which would "+
				"mix two people's data. Set contact_name, contact_phone and contact_email, or none of them.")
	}
	if e := c.ContactEmail; !e.IsNull() && !e.IsUnknown() {
		if f := domains.CheckApplicantEmail(product.Validation, e.ValueString()); f != nil {
			addFindings(&diags, path.Root("contact_email"), false, domains.Findings{*f})
		}
	}
	return diags
}

// ModifyPlan fills what the plan can know and decides renewal.
func (r *certificateOrderResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		var state certificateOrderModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if state.DeletionPolicy.ValueString() == deletionCancel {
			resp.Diagnostics.AddWarning(fmt.Sprintf("Destroy will cancel certificate order %s", state.ID.ValueString()),
				"deletion_policy is \"cancel\": an application the CA has not started processing is cancelled (R-22) and a "+
					"failed one deleted; an order in review or issued makes the destroy fail instead.")
		}
		return
	}
	var plan certificateOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.EffectiveDomains = effectiveDomains(ctx, plan)
	if product, err := cas.LookupProduct(plan.ProductCode.ValueString()); err == nil && product.ChinaSiteOnly && r.client != nil &&
		cas.SiteOf(r.client.Region()) == cas.SiteInternational {
		resp.Diagnostics.AddAttributeError(path.Root("product_code"), "R-19: This product exists on the China site only",
			fmt.Sprintf("%s is sold on the China site (aliyun.com) only (R-19), and the provider's region %s is on the international "+
				"site. Choose another product, or use a China-site account and region (cn-hangzhou).", product.Code, r.client.Region()))
		return
	}
	if req.State.Raw.IsNull() {
		plan.ValidationRecords = pendingRecords(ctx, plan)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
		return
	}
	var state certificateOrderModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.copyComputed(state)
	if due, why := renewalDue(plan, state); due {
		resp.Diagnostics.Append(checkRenewalCSR(plan, state)...)
		resp.Diagnostics.AddWarning("The certificate will be renewed", why)
		plan.ID, plan.OrderID, plan.Status = types.StringUnknown(), types.Int64Unknown(), types.StringUnknown()
		plan.ValidationRecords = pendingRecords(ctx, plan)
		plan.RenewedCertificateIDs = types.ListUnknown(types.Int64Type)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// renewalDue: renew_before_days is set, the current order is issued (a renewal already under way
// is not renewed again), and the certificate ends within the window.
func renewalDue(plan, state certificateOrderModel) (bool, string) {
	if plan.RenewBeforeDays.IsNull() || plan.RenewBeforeDays.IsUnknown() || state.Status.ValueString() != "certificate" || state.NotAfter.IsNull() {
		return false, ""
	}
	notAfter, err := time.Parse(time.RFC3339, state.NotAfter.ValueString())
	if err != nil {
		return false, ""
	}
	days := plan.RenewBeforeDays.ValueInt64()
	left := notAfter.Sub(now())
	if left > time.Duration(days)*24*time.Hour {
		return false, ""
	}
	return true, fmt.Sprintf("Certificate %d ends on %s, within renew_before_days = %d: apply applies for its renewal "+
		"(RenewCertificateOrderForPackageRequest), a new order and certificate valid for a year plus the days left, at most 30 "+
		"(R-26, R-27). The current certificate stays valid until it ends; validate the new order like the first.",
		state.CertificateID.ValueInt64(), notAfter.Format(time.DateOnly), days)
}

// checkRenewalCSR: a renewal's own CSR keeps the key algorithm of the certificate it renews.
func checkRenewalCSR(plan, state certificateOrderModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if plan.CSR.IsNull() || plan.CSR.IsUnknown() || state.CertificatePEM.IsNull() {
		return diags
	}
	csr, fs := domains.CheckCSR(plan.CSR.ValueString(), nil)
	facts, err := certcheck.ReadFacts(state.CertificatePEM.ValueString())
	if fs.HasErrors() || err != nil || csr.Algorithm == facts.KeyAlgorithm {
		return diags
	}
	diags.AddAttributeError(path.Root("csr"), "R-26: The renewal's CSR changes the key algorithm",
		fmt.Sprintf("The certificate being renewed has an %s key; a renewal with your own CSR must keep the algorithm (R-26). "+
			"Generate the CSR with an %s key, or order a new certificate.", facts.KeyAlgorithm, facts.KeyAlgorithm))
	return diags
}

// effectiveDomains: what the product's CA will issue for the domains, or unknown.
func effectiveDomains(ctx context.Context, m certificateOrderModel) types.List {
	var texts []string
	product, err := cas.LookupProduct(m.ProductCode.ValueString())
	if err != nil || m.Domains.IsUnknown() || m.Domains.ElementsAs(ctx, &texts, false).HasError() {
		return types.ListUnknown(types.StringType)
	}
	names := make([]domains.Name, len(texts))
	for i, t := range texts {
		n, fs := domains.CheckName(t, i)
		if fs.HasErrors() {
			return types.ListUnknown(types.StringType)
		}
		names[i] = n
	}
	out, _ := types.ListValueFrom(ctx, types.StringType, domains.Effective(product.Brand, names))
	return out
}

// pendingRecords: validation_records with its key known and its record unknown, so that a
// for_each over it plans in the same apply (DV). OV and EV orders are checked by the CA by email
// and phone: what the service shows for them is not known in advance.
func pendingRecords(ctx context.Context, m certificateOrderModel) types.Map {
	product, err := cas.LookupProduct(m.ProductCode.ValueString())
	domain := m.validatedDomain(ctx)
	if err != nil || domain == "" {
		return types.MapUnknown(validationRecordType)
	}
	if product.Validation != "DV" {
		return types.MapUnknown(validationRecordType)
	}
	return types.MapValueMust(validationRecordType, map[string]attr.Value{domain: types.ObjectUnknown(validationRecordType.AttrTypes)})
}

// requiresReplaceIfOtherNames replaces the order when the names change, and only then: case and a
// trailing dot are the same certificate.
func requiresReplaceIfOtherNames() planmodifier.List {
	const why = "Replaces the order when the names change other than in letter case or a trailing dot (R-01)."
	return listplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.ListRequest, resp *listplanmodifier.RequiresReplaceIfFuncResponse) {
		var before, after []string
		resp.Diagnostics.Append(req.StateValue.ElementsAs(ctx, &before, false)...)
		resp.Diagnostics.Append(req.PlanValue.ElementsAs(ctx, &after, false)...)
		resp.RequiresReplace = req.PlanValue.IsUnknown() || !domains.SameNames(before, after)
	}, why, why)
}
