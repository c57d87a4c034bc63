package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/go-uuid"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
)

var (
	_ resource.Resource                   = (*uploadedCertificateResource)(nil)
	_ resource.ResourceWithConfigure      = (*uploadedCertificateResource)(nil)
	_ resource.ResourceWithImportState    = (*uploadedCertificateResource)(nil)
	_ resource.ResourceWithValidateConfig = (*uploadedCertificateResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*uploadedCertificateResource)(nil)
)

// NewUploadedCertificateResource returns the alicloudcas_uploaded_certificate resource.
func NewUploadedCertificateResource() resource.Resource { return &uploadedCertificateResource{} }

type uploadedCertificateResource struct{ client *cas.Client }

func (r *uploadedCertificateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_uploaded_certificate"
}

func (r *uploadedCertificateResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	contentReplace := []planmodifier.String{requiresReplaceIfContentChanges()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	pem := func(desc string, modifiers []planmodifier.String) schema.StringAttribute {
		return schema.StringAttribute{CustomType: pemType{}, Optional: true, MarkdownDescription: desc, PlanModifiers: modifiers}
	}
	secret := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{CustomType: pemType{}, Optional: true, Sensitive: true, MarkdownDescription: desc,
			PlanModifiers: []planmodifier.String{requiresReplaceIfKeyChanges()}}
	}
	writeOnly := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Sensitive: true, WriteOnly: true, MarkdownDescription: desc}
	}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc, PlanModifiers: keep}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A certificate and private key you already have, uploaded to the Certificate Management " +
			"Service (`UploadUserCertificate`) so that SLB, ALB, CDN, WAF and other products can use it. The PEM is " +
			"checked at plan time (R-40 to R-44, R-48, R-60, R-61): wrong formats, a key that does not match, an " +
			"encrypted key or a chain in the wrong order fail `terraform plan`, before any API call.\n\n" +
			"The service cannot edit a certificate's content: a new certificate or key replaces the resource. Use " +
			"`lifecycle { create_before_destroy = true }` (with a `name` that changes with the content, names being " +
			"unique per account) so that products never point at a deleted certificate. `name`, `tags` and " +
			"`resource_group_id` change in place. Deleting is irreversible and does not remove deployments already " +
			"made (R-46); uploaded certificates cannot be downloaded again, so keep the originals (R-47).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "The certificate's numeric id (`CertId`) as a string; the import id."},
			"name": schema.StringAttribute{Required: true,
				MarkdownDescription: "Name of the certificate, unique in the account, at most 64 characters. A name with " +
					"Chinese characters cannot be deployed to cloud products (R-61); `example.com-2026-rsa2048` is the " +
					"suggested style (R-45). Changes in place.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 64)}},
			"certificate": pem("The server certificate in PEM, optionally followed by its intermediates (R-40, "+
				"R-43). Convert PFX/P12, DER or JKS to PEM first. Line ends, trailing newlines and base64 line width "+
				"never cause a diff. Conflicts with the SM2 arguments.", contentReplace),
			"certificate_chain": pem("The intermediate certificates (and, for client and server trust, the root) in "+
				"PEM, each issued by the next, continuing `certificate` (R-43). The service stores them after the "+
				"certificate.", contentReplace),
			"private_key": secret("The certificate's private key in PEM (PKCS#1, PKCS#8 or SEC1), not encrypted " +
				"(R-42), matching the certificate (R-41). Stored in the state like any argument: prefer " +
				"`private_key_wo`. Never read back from the service."),
			"private_key_wo": writeOnly("Write-only twin of `private_key` (Terraform 1.11 and later): sent to the " +
				"service, never stored in plan or state. Change `private_key_wo_version` to upload a new key."),
			"private_key_wo_version": schema.Int64Attribute{Optional: true,
				MarkdownDescription: "Version of the write-only keys (`private_key_wo`, `sign_private_key_wo`, " +
					"`encrypt_private_key_wo`); changing it replaces the certificate with the new key.",
				PlanModifiers: []planmodifier.Int64{requiresReplaceIfVersionChanges()},
				Validators:    []validator.Int64{int64validator.AtLeast(0)}},
			"sign_certificate": pem("SM2 (ShangMi) signing certificate in PEM, with `sign_private_key` and the "+
				"encryption pair (R-44). Conflicts with `certificate`.", replace),
			"sign_private_key":       secret("SM2 signing private key in PEM, matching `sign_certificate` (R-44)."),
			"sign_private_key_wo":    writeOnly("Write-only twin of `sign_private_key`."),
			"encrypt_certificate":    pem("SM2 encryption certificate in PEM, with `encrypt_private_key` (R-44).", replace),
			"encrypt_private_key":    secret("SM2 encryption private key in PEM, matching `encrypt_certificate` (R-44)."),
			"encrypt_private_key_wo": writeOnly("Write-only twin of `encrypt_private_key`."),
			"resource_group_id": schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Resource group of the certificate. Default: the account's default group. Changes in place (`MoveResourceGroup`)."},
			"tags": schema.MapAttribute{ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Tags of the certificate (at most 20; keys may not start with `aliyun` or `acs:`). Change in place."},
			"certificate_id": schema.Int64Attribute{Computed: true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				MarkdownDescription: "The certificate's numeric id (`CertId`)."},
			"certificate_identifier": computed("`<certificate_id>-<region>`, the form ALB, CDN and other products ask for (`CertIdentifier`)."),
			"instance_id":            computed("The certificate's resource id (`cas-upload-…`), the id tags and RAM policies use."),
			"common_name":            computed("Subject Common Name, known at plan time from the PEM."),
			"subject_alternative_names": schema.SetAttribute{ElementType: types.StringType, Computed: true,
				MarkdownDescription: "DNS names and IP addresses of the certificate, lower case, known at plan time from the PEM."},
			"issuer":             computed("Common Name of the issuer (its full name when it has none), known at plan time."),
			"serial_number":      computed("Serial number, lower-case hex, as the service shows it; known at plan time."),
			"fingerprint_sha256": computed("SHA-256 of the certificate's DER, lower-case hex; known at plan time."),
			"key_algorithm":      computed("`RSA`, `ECC` or `SM2`, the service's names; known at plan time."),
			"key_size": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "Key size in bits (the curve size for ECC and SM2); known at plan time."},
			"not_before": computed("Start of validity, RFC 3339 UTC; known at plan time."),
			"not_after": computed("End of validity, RFC 3339 UTC; known at plan time. Days left are not stored: " +
				"they would change the state every day. Use `timecmp(timestamp(), ...)` in a check block."),
		},
	}
}

// uploadedCertificateModel is the resource's state and plan.
type uploadedCertificateModel struct {
	ID                  types.String `tfsdk:"id"`
	Name                types.String `tfsdk:"name"`
	Certificate         pemValue     `tfsdk:"certificate"`
	Chain               pemValue     `tfsdk:"certificate_chain"`
	PrivateKey          pemValue     `tfsdk:"private_key"`
	PrivateKeyWO        types.String `tfsdk:"private_key_wo"`
	PrivateKeyWOVersion types.Int64  `tfsdk:"private_key_wo_version"`
	SignCertificate     pemValue     `tfsdk:"sign_certificate"`
	SignPrivateKey      pemValue     `tfsdk:"sign_private_key"`
	SignPrivateKeyWO    types.String `tfsdk:"sign_private_key_wo"`
	EncryptCertificate  pemValue     `tfsdk:"encrypt_certificate"`
	EncryptPrivateKey   pemValue     `tfsdk:"encrypt_private_key"`
	EncryptPrivateKeyWO types.String `tfsdk:"encrypt_private_key_wo"`
	ResourceGroupID     types.String `tfsdk:"resource_group_id"`
	Tags                types.Map    `tfsdk:"tags"`
	CertificateID       types.Int64  `tfsdk:"certificate_id"`
	Identifier          types.String `tfsdk:"certificate_identifier"`
	InstanceID          types.String `tfsdk:"instance_id"`
	CommonName          types.String `tfsdk:"common_name"`
	SANs                types.Set    `tfsdk:"subject_alternative_names"`
	Issuer              types.String `tfsdk:"issuer"`
	SerialNumber        types.String `tfsdk:"serial_number"`
	FingerprintSHA256   types.String `tfsdk:"fingerprint_sha256"`
	KeyAlgorithm        types.String `tfsdk:"key_algorithm"`
	KeySize             types.Int64  `tfsdk:"key_size"`
	NotBefore           types.String `tfsdk:"not_before"`
	NotAfter            types.String `tfsdk:"not_after"`
}

func (r *uploadedCertificateResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

func (r *uploadedCertificateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config uploadedCertificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tags, diags := stringMap(ctx, plan.Tags)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	token, err := uuid.GenerateUUID()
	if err != nil {
		resp.Diagnostics.AddError("Could not make an idempotency token", err.Error())
		return
	}
	in := cas.Upload{
		Name: plan.Name.ValueString(), Cert: uploadedPEM(plan), Key: keyOf(config.PrivateKey, config.PrivateKeyWO),
		SignCert:       certcheck.CanonicalPEM(plan.SignCertificate.ValueString()),
		SignPrivateKey: keyOf(config.SignPrivateKey, config.SignPrivateKeyWO),
		EncryptCert:    certcheck.CanonicalPEM(plan.EncryptCertificate.ValueString()), EncryptPrivateKey: keyOf(config.EncryptPrivateKey, config.EncryptPrivateKeyWO),
		ResourceGroupID: plan.ResourceGroupID.ValueString(), Tags: tags, ClientToken: token,
	}
	id, err := r.client.UploadUserCertificate(ctx, in)
	if err != nil {
		id, err = r.recoverUpload(ctx, plan, err)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not upload the certificate", err)
		return
	}
	tflog.Info(ctx, "uploaded certificate", map[string]any{"certificate_id": id})
	// Saved at once: whatever happens next, Terraform knows the certificate exists.
	plan.ID, plan.CertificateID = types.StringValue(strconv.FormatInt(id, 10)), types.Int64Value(id)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), plan.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("certificate_id"), plan.CertificateID)...)
	cert, err := r.client.GetUserCertificateDetail(ctx, id, false)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not read the uploaded certificate", err)
		return
	}
	resp.Diagnostics.Append(applyDetail(ctx, &plan, cert)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// recoverUpload resolves a failed upload that may have happened: a lost answer (the request
// was sent, no answer came back) or a name already taken, by this very certificate from an
// earlier attempt whose answer was lost. Names are unique per account, so the name finds it; the
// fingerprint proves it is ours. Anything else is reported, never retried blindly.
func (r *uploadedCertificateResource) recoverUpload(ctx context.Context, plan uploadedCertificateModel, cause error) (int64, error) {
	var api *cas.APIError
	nameTaken := errors.As(cause, &api) && api.Code == "NameRepeat"
	var network *cas.NetworkError
	var server *cas.ServiceError
	mayHaveHappened := cas.IsOutcomeUnknown(cause) || (errors.As(cause, &network) && network.Sent) || errors.As(cause, &server)
	if !nameTaken && !mayHaveHappened {
		return 0, cause
	}
	found, err := r.client.FindUploadedByName(ctx, plan.Name.ValueString())
	if err != nil {
		return 0, fmt.Errorf("%w; looking for the certificate by name failed too: %v", cause, err)
	}
	if found == nil {
		return 0, fmt.Errorf("%w; no certificate named %q exists, so nothing was uploaded: apply again", cause, plan.Name.ValueString())
	}
	want := plan.FingerprintSHA256.ValueString()
	if want == "" || !strings.EqualFold(found.SHA256, want) {
		return 0, fmt.Errorf("the name %q is already used by certificate %d, which holds another certificate: "+
			"choose another name, or import it with terraform import (id %d)", plan.Name.ValueString(), found.ID, found.ID)
	}
	tflog.Info(ctx, "found the certificate an earlier upload created", map[string]any{"certificate_id": found.ID})
	return found.ID, nil
}

func (r *uploadedCertificateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state uploadedCertificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.CertificateID.ValueInt64()
	// The certificate text is fetched only on import: it never changes for a CertId, and asking
	// for it makes the service send the private key too.
	importing := state.Certificate.IsNull() && state.SignCertificate.IsNull()
	// A certificate without tags is refreshed from the run's shared listing (cas/batch.go): one
	// list call serves a thousand Reads. Tags are not in the listing, so a tagged certificate,
	// and one the listing lacks, is read on its own; only that read's NotFound drops it.
	if !importing && (state.Tags.IsNull() || len(state.Tags.Elements()) == 0) {
		sum, found, err := r.client.LookupUploaded(ctx, id)
		if err == nil && found {
			state.Name, state.ResourceGroupID = types.StringValue(sum.Name), types.StringValue(sum.ResourceGroupID)
			state.InstanceID = types.StringValue(sum.InstanceID)
			resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
			return
		}
		if err != nil {
			tflog.Debug(ctx, "batched refresh failed; reading the certificate on its own", map[string]any{"error": err.Error()})
		}
	}
	cert, err := r.client.GetUserCertificateDetail(ctx, id, importing)
	if cas.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Uploaded certificate deleted outside Terraform",
			fmt.Sprintf("Certificate %d no longer exists; it is removed from the state and the next plan uploads it again.", id))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not read the uploaded certificate", err)
		return
	}
	if importing {
		resp.Diagnostics.Append(applyImported(ctx, &state, cert)...)
	}
	resp.Diagnostics.Append(applyDetail(ctx, &state, cert)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *uploadedCertificateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state uploadedCertificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.CertificateID.ValueInt64()
	if !plan.Name.Equal(state.Name) {
		if err := r.client.RenameCertificate(ctx, id, plan.Name.ValueString()); err != nil {
			addAPIError(&resp.Diagnostics, "Could not rename the certificate", err)
			return
		}
	}
	if group := plan.ResourceGroupID; !group.IsUnknown() && !group.IsNull() && !group.Equal(state.ResourceGroupID) {
		if err := r.client.MoveResourceGroup(ctx, id, group.ValueString()); err != nil {
			addAPIError(&resp.Diagnostics, "Could not move the certificate to another resource group", err)
			return
		}
	}
	resp.Diagnostics.Append(r.updateTags(ctx, state, plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cert, err := r.client.GetUserCertificateDetail(ctx, id, false)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not read the certificate after the update", err)
		return
	}
	resp.Diagnostics.Append(applyDetail(ctx, &plan, cert)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *uploadedCertificateResource) updateTags(ctx context.Context, state, plan uploadedCertificateModel) diag.Diagnostics {
	before, diags := stringMap(ctx, state.Tags)
	after, more := stringMap(ctx, plan.Tags)
	diags.Append(more...)
	set, removed := diffTags(before, after)
	resourceID := state.InstanceID.ValueString()
	if err := r.client.UntagResources(ctx, resourceID, removed); err != nil {
		addAPIError(&diags, "Could not remove tags from the certificate", err)
		return diags
	}
	if err := r.client.TagResources(ctx, resourceID, set); err != nil {
		addAPIError(&diags, "Could not tag the certificate", err)
	}
	return diags
}

// Delete deletes the certificate: irreversible, and deployments already made keep working.
func (r *uploadedCertificateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state uploadedCertificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.DeleteUserCertificate(ctx, state.CertificateID.ValueInt64())
	if err != nil && !cas.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Could not delete the certificate", err)
	}
}

// ImportState takes a certificate id (123) or identifier (123-cn-hangzhou). Private keys are never
// read back: after an import the key arguments are empty in the state, and the configuration's
// key is not compared with anything (the certificate is).
func (r *uploadedCertificateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	idText, _, _ := strings.Cut(req.ID, "-")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is neither a certificate id (123456) nor a certificate identifier (123456-cn-hangzhou).", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), strconv.FormatInt(id, 10))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("certificate_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("tags"), types.MapNull(types.StringType))...)
}
