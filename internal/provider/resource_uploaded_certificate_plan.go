package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
)

// Plan-time logic of alicloudcas_uploaded_certificate: the PEM rules in
// ValidateConfig, the dates and the facts known from the PEM in ModifyPlan. None of it
// calls the API.

// now is the clock of the date checks; tests replace it.
var now = time.Now

func (r *uploadedCertificateResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var c uploadedCertificateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(checkKeyArguments(c)...)
	in, unknown := certcheck.Input{}, []string{}
	text := func(field string, vs ...attr.Value) string {
		for _, v := range vs {
			switch s := v.(type) {
			case pemValue:
				if s.IsUnknown() {
					unknown = append(unknown, field)
				} else if !s.IsNull() {
					return s.ValueString()
				}
			case types.String:
				if s.IsUnknown() {
					unknown = append(unknown, field)
				} else if !s.IsNull() {
					return s.ValueString()
				}
			}
		}
		return ""
	}
	in.Name = text(certcheck.FieldName, c.Name)
	in.Certificate = text(certcheck.FieldCertificate, c.Certificate)
	in.Chain = text(certcheck.FieldChain, c.Chain)
	in.PrivateKey = text(certcheck.FieldPrivateKey, c.PrivateKey, c.PrivateKeyWO)
	in.SignCertificate = text(certcheck.FieldSignCertificate, c.SignCertificate)
	in.SignPrivateKey = text(certcheck.FieldSignPrivateKey, c.SignPrivateKey, c.SignPrivateKeyWO)
	in.EncryptCertificate = text(certcheck.FieldEncryptCertificate, c.EncryptCertificate)
	in.EncryptPrivateKey = text(certcheck.FieldEncryptPrivateKey, c.EncryptPrivateKey, c.EncryptPrivateKeyWO)
	in.Unknown = unknown
	_, fs := certcheck.Check(in) // dates are ModifyPlan's: they depend on whether this is a new upload
	addFieldFindings(&resp.Diagnostics, c, fs)
}

// checkKeyArguments: a certificate or the SM2 pairs, not both; each key once, as an argument or
// its write-only twin; a write-only key with a version to replace it by.
func checkKeyArguments(c uploadedCertificateModel) diag.Diagnostics {
	var diags diag.Diagnostics
	set := func(v attr.Value) bool { return !v.IsNull() }
	sm2 := set(c.SignCertificate) || set(c.EncryptCertificate)
	switch {
	case set(c.Certificate) && sm2:
		diags.AddAttributeError(path.Root("sign_certificate"), "R-44: A certificate and SM2 certificates are both given",
			"Upload either one certificate (certificate and private_key) or an SM2 dual certificate (sign_* and encrypt_*), not both (R-44).")
	case !set(c.Certificate) && !sm2:
		diags.AddAttributeError(path.Root("certificate"), "R-40: No certificate is given",
			"Give certificate (PEM) with private_key or private_key_wo, or the SM2 pairs sign_* and encrypt_* (R-40, R-44).")
	}
	for _, k := range []struct {
		name        string
		value, twin attr.Value
		cert        bool
	}{
		{"private_key", c.PrivateKey, c.PrivateKeyWO, set(c.Certificate)},
		{"sign_private_key", c.SignPrivateKey, c.SignPrivateKeyWO, set(c.SignCertificate)},
		{"encrypt_private_key", c.EncryptPrivateKey, c.EncryptPrivateKeyWO, set(c.EncryptCertificate)},
	} {
		switch {
		case set(k.value) && set(k.twin):
			diags.AddAttributeError(path.Root(k.name+"_wo"), "Both "+k.name+" and "+k.name+"_wo are given",
				"Give the key once: "+k.name+"_wo (write-only, never stored in the state) is recommended.")
		case k.cert && !set(k.value) && !set(k.twin):
			diags.AddAttributeError(path.Root(k.name), "R-41: The private key is missing",
				"The service needs the private key of the certificate it stores (R-41): give "+k.name+"_wo (recommended) or "+k.name+".")
		}
		if set(k.twin) && c.PrivateKeyWOVersion.IsNull() {
			diags.AddAttributeError(path.Root("private_key_wo_version"), "private_key_wo_version is required with a write-only key",
				"Terraform never stores "+k.name+"_wo, so it cannot see the key change: set private_key_wo_version (e.g. 1) and increase it whenever you change the key.")
		}
	}
	return diags
}

// addFieldFindings puts each certcheck finding on the attribute its Value names; a key finding
// goes to the write-only twin when that is the argument in use.
func addFieldFindings(diags *diag.Diagnostics, c uploadedCertificateModel, fs domains.Findings) {
	for _, f := range fs {
		field := f.Value
		switch {
		case field == certcheck.FieldPrivateKey && !c.PrivateKeyWO.IsNull(),
			field == certcheck.FieldSignPrivateKey && !c.SignPrivateKeyWO.IsNull(),
			field == certcheck.FieldEncryptPrivateKey && !c.EncryptPrivateKeyWO.IsNull():
			field += "_wo"
		}
		addFindings(diags, path.Root(field), false, domains.Findings{f})
	}
}

// ModifyPlan computes what is known from the PEM (so a plan shows the names, issuer, dates and
// fingerprint of what it will upload) and applies the date rules: an expired certificate is an
// error for a new upload, and a warning for the one already uploaded (which must stay
// manageable, and destroyable, after it expires).
func (r *uploadedCertificateResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan uploadedCertificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	field, text := certcheck.FieldCertificate, plan.Certificate
	if text.IsNull() {
		field, text = certcheck.FieldSignCertificate, plan.SignCertificate
	}
	if text.IsUnknown() || text.IsNull() {
		return
	}
	certs, _ := certcheck.Parse(field, text.ValueString())
	if len(certs) == 0 {
		return // ValidateConfig said why
	}
	// A new upload: a create, or new content that replaces the certificate. (The framework gives a
	// resource-level ModifyPlan no list of the attributes that require replacement, so the
	// content is compared here.)
	newUpload := req.State.Raw.IsNull()
	if !newUpload {
		var state uploadedCertificateModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		newUpload = uploadedPEM(plan) != uploadedPEM(state) || !plan.SignCertificate.Equal(state.SignCertificate) ||
			!plan.EncryptCertificate.Equal(state.EncryptCertificate)
	}
	for _, f := range certcheck.CheckDates(field, certs[0], now()) {
		if f.Severity == domains.Error && !newUpload {
			f.Severity = domains.Warning
			f.Detail = "This certificate is already uploaded, so the plan goes on: " + f.Detail
		}
		addFindings(&resp.Diagnostics, path.Root(field), false, domains.Findings{f})
	}
	facts := certcheck.FactsOf(certs[0])
	resp.Diagnostics.Append(applyFacts(ctx, &plan, facts)...)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// requiresReplaceIfContentChanges replaces the certificate when what would be uploaded changes:
// the certificate followed by its chain, compared by meaning. Moving intermediates between
// certificate and certificate_chain (as an import leaves them, in certificate) is an in-place
// update of the state only.
func requiresReplaceIfContentChanges() planmodifier.String {
	const why = "Replaces the certificate when the PEM of certificate followed by certificate_chain changes (the service cannot edit it)."
	return stringplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		var plan, state uploadedCertificateModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		resp.RequiresReplace = resp.Diagnostics.HasError() || plan.Certificate.IsUnknown() || plan.Chain.IsUnknown() ||
			uploadedPEM(plan) != uploadedPEM(state)
	}, why, why)
}

// requiresReplaceIfKeyChanges replaces the certificate when a key stored in the state changes. A
// key the state does not have (after an import: keys are never read back) is only recorded:
// ValidateConfig has proved that it matches the certificate, which is what was uploaded.
func requiresReplaceIfKeyChanges() planmodifier.String {
	const why = "Replaces the certificate when its private key changes; after an import the configured key is recorded without a replacement."
	return stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !req.StateValue.IsNull()
	}, why, why)
}

// requiresReplaceIfVersionChanges: a new private_key_wo_version is a new write-only key, so a new
// certificate; setting one after an import (the state has none) is not.
func requiresReplaceIfVersionChanges() planmodifier.Int64 {
	const why = "Replaces the certificate when private_key_wo_version changes (a new write-only key); setting it after an import does not."
	return int64planmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !req.StateValue.IsNull()
	}, why, why)
}
