package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
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
)

var (
	_ resource.Resource                = (*certificateShareResource)(nil)
	_ resource.ResourceWithConfigure   = (*certificateShareResource)(nil)
	_ resource.ResourceWithImportState = (*certificateShareResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*certificateShareResource)(nil)
)

// NewCertificateShareResource returns the alicloudcas_certificate_share resource.
func NewCertificateShareResource() resource.Resource { return &certificateShareResource{} }

// certificateShareResource is one ShareCertificate call. The API has no action to read, list or
// cancel a share (cas-certs.md §3), so the resource is a record of what this configuration did:
// Read checks only that the certificate still exists, Delete only forgets, and a share whose
// answer was lost is kept in the state as tainted with an error saying how to settle it.
type certificateShareResource struct{ client *cas.Client }

func (r *certificateShareResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_share"
}

func (r *certificateShareResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Shares a purchased, issued certificate with another Alibaba Cloud account " +
			"(`ShareCertificate`), where it shows in the uploaded list and can be deployed without using deployment " +
			"quota; its lifecycle (renewal, revocation) stays with this account (R-54).\n\n" +
			"**A share cannot be read back or undone.** The API has no action to read, list or cancel a share.\n\n" +
			"*Plan* checks what it can before anything is sent: the certificate exists, was purchased in this " +
			"account (not uploaded, not received from another account) and has not expired (R-51), no other " +
			"`alicloudcas_certificate_share` of the same configuration shares it (R-52), and the account ID has the " +
			"form of one. Only this configuration's shares are seen: a certificate already shared by hand, by " +
			"another configuration or by an earlier apply is refused by the service at apply (R-52). Every plan " +
			"that creates a share warns that it is permanent.\n\n" +
			"*Refresh* checks only that the certificate still exists (when it is gone, the share leaves the state); " +
			"whatever happens on the receiving side is invisible.\n\n" +
			"*Destroy* only removes the share from the state: **the receiving account keeps the certificate**. The " +
			"only way to take it away is for this account to revoke the certificate itself, which this provider " +
			"never does.\n\n" +
			"*A lost answer* (timeout, dropped connection, 5xx) is not resent, since a certificate is shared once " +
			"(R-52) and a resend would be refused: the share is kept in the state as tainted, with an error saying " +
			"how to tell whether it happened (`terraform untaint` if it did, apply again if not).\n\n" +
			"Sharing is for accounts verified as the same legal entity or person, and is free between them (R-50); " +
			"for another entity, download the certificate and upload it in that account (R-69). Shares never cross " +
			"the China site and the international site (R-53).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "`<certificate_id>:<target_account_id>`; the import id."},
			"certificate_id": schema.Int64Attribute{Required: true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				MarkdownDescription: "The certificate to share (`CertId`), purchased and issued in this account " +
					"(R-51), for example `alicloudcas_certificate_order.x.certificate_id`. Each certificate can be shared " +
					"once (R-52). A new value shares another certificate; the earlier share stays."},
			"target_account_id": schema.StringAttribute{Required: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{accountIDValidator},
				MarkdownDescription: "The receiving account's numeric UID (Account ID in the console), 16 digits, " +
					"as a string (16-digit numbers are beyond what JSON tools hold exactly). It must be an account " +
					"verified as the same legal entity (R-50) on the same site as this provider's region (R-53). Changing " +
					"it is refused: the certificate is already shared (R-52)."},
			"shared_at": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "When this resource shared the certificate, RFC 3339 in UTC; it never changes. " +
					"Null after an import: the service does not say when a share was made."},
		},
	}
}

// certificateShareModel is the resource's state and plan.
type certificateShareModel struct {
	ID              types.String `tfsdk:"id"`
	CertificateID   types.Int64  `tfsdk:"certificate_id"`
	TargetAccountID types.String `tfsdk:"target_account_id"`
	SharedAt        types.String `tfsdk:"shared_at"`
}

func shareID(certificateID int64, target string) string {
	return strconv.FormatInt(certificateID, 10) + ":" + target
}

func (r *certificateShareResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

func (r *certificateShareResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan certificateShareModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	certID, target := plan.CertificateID.ValueInt64(), plan.TargetAccountID.ValueString()
	uid, err := strconv.ParseInt(target, 10, 64)
	if err != nil { // the validator has refused it already
		resp.Diagnostics.AddAttributeError(path.Root("target_account_id"), "Invalid account ID", err.Error())
		return
	}
	if other, dup := sharesOf(r.client).send(certID, target); dup {
		resp.Diagnostics.AddAttributeError(path.Root("certificate_id"),
			fmt.Sprintf("R-52: Certificate %d is shared by another resource of this configuration", certID),
			fmt.Sprintf("This apply has already sent a share of certificate %d (to account %s), and a certificate can be shared once "+
				"(R-52): nothing was sent for this resource. Remove one of the alicloudcas_certificate_share resources of "+
				"certificate %d.", certID, other, certID))
		return
	}
	plan.ID = types.StringValue(shareID(certID, target))
	plan.SharedAt = types.StringValue(now().UTC().Format(time.RFC3339))
	err = r.client.ShareCertificate(ctx, certID, uid)
	switch {
	case err == nil:
		tflog.Info(ctx, "shared certificate", map[string]any{"certificate_id": certID, "target_account_id": target})
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	case shareMayHaveHappened(err):
		// Kept in the state with an error: Terraform marks it tainted, so nothing is resent unless
		// someone decides to (apply again), and the share is not forgotten if it happened.
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		resp.Diagnostics.AddError(fmt.Sprintf("The share of certificate %d may or may not have happened", certID),
			fmt.Sprintf("%v\n\nThe request may have reached the service, but no answer came back. It was not resent: a certificate "+
				"can be shared once (R-52), and no API can read a share back. The share is kept in the state as tainted. "+
				"To settle it, look at the uploaded certificates of account %s (a shared certificate is listed there, R-54):\n"+
				"- if certificate %d is there, the share happened: run `terraform untaint` on this resource;\n"+
				"- if it is not, run `terraform apply` again: it replaces the tainted share and sends it once more.",
				err, target, certID))
	case cas.IsShareRefused(err):
		addAPIError(&resp.Diagnostics, fmt.Sprintf("The service refused to share certificate %d", certID), fmt.Errorf(
			"%w\n\nOnly a certificate purchased and issued in this account, neither revoked nor expired, can be shared "+
				"(R-51), and only once (R-52). If an earlier apply of this share ended with an unknown outcome, the share "+
				"may have happened then: if account %s lists certificate %d, record it with "+
				"`terraform import <address> %s`.", err, target, certID, shareID(certID, target)))
	case cas.IsInvalidParameter(err):
		addAPIError(&resp.Diagnostics, fmt.Sprintf("The service refused account %s", target), fmt.Errorf(
			"%w\n\ntarget_account_id must be the numeric ID (UID) of an existing account other than this one, on the same "+
				"site (R-53): the Account ID shown in that account's console.", err))
	default:
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not share certificate %d", certID), err)
	}
}

// shareMayHaveHappened: the client gave up on a call that reached the service (lost answer, 5xx),
// or the apply was interrupted or timed out while the call was under way.
func shareMayHaveHappened(err error) bool {
	return cas.IsOutcomeUnknown(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Read cannot read the share: no action does. It checks that the certificate still exists and
// keeps the state as written; whatever changes on the receiving side is invisible.
func (r *certificateShareResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state certificateShareModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.CertificateID.ValueInt64()
	_, err := r.client.GetUserCertificateDetail(ctx, id, false)
	if cas.IsNotFound(err) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Shared certificate %d no longer exists", id),
			fmt.Sprintf("Certificate %d was deleted from this account, so its share to account %s is removed from the state. "+
				"A configuration that still names it will fail at plan until it names an existing certificate.",
				id, state.TargetAccountID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read shared certificate %d", id), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update is never called: every argument requires replacement.
func (r *certificateShareResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(resp.State.Set(ctx, req.Plan)...)
}

// Delete sends nothing: the service cannot undo a share.
func (r *certificateShareResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state certificateShareModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.AddWarning(shareForgottenSummary(state), shareForgottenDetail(state))
}

func shareForgottenSummary(s certificateShareModel) string {
	return fmt.Sprintf("Certificate %d stays shared with account %s", s.CertificateID.ValueInt64(), s.TargetAccountID.ValueString())
}

func shareForgottenDetail(s certificateShareModel) string {
	return fmt.Sprintf("The service cannot undo a share, so destroying alicloudcas_certificate_share only removes it from "+
		"the state: account %s keeps certificate %d and can go on deploying it until it expires (R-52, R-54). To take it "+
		"away for real, this account would have to revoke the certificate itself (which ends it for every product that "+
		"uses it, here and there); this provider never does that.", s.TargetAccountID.ValueString(), s.CertificateID.ValueInt64())
}

// ImportState takes "<certificate_id>:<target_account_id>". A share cannot be read, so the import
// records what the caller says after checking what can be checked: the form, and that the
// certificate exists and is one this account could have shared.
func (r *certificateShareResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	certText, target, found := strings.Cut(req.ID, ":")
	certID, err := strconv.ParseInt(certText, 10, 64)
	if !found || err != nil || certID <= 0 || accountIDProblem(target) != "" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is not <certificate_id>:<target_account_id>, e.g. 23279004:1622883344556677 (the certificate's "+
				"numeric id, then the receiving account's 16-digit ID).", req.ID))
		return
	}
	cert, err := r.client.GetUserCertificateDetail(ctx, certID, false)
	if cas.IsNotFound(err) {
		resp.Diagnostics.AddError(fmt.Sprintf("Certificate %d does not exist", certID),
			"A share can only be imported for a certificate of this account.")
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read certificate %d", certID), err)
		return
	}
	if f := shareSourceFinding(cert); f != nil {
		resp.Diagnostics.AddError(f.Rule+": "+f.Summary, f.Detail+" So this account cannot have shared it.")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, certificateShareModel{
		ID: types.StringValue(shareID(certID, target)), CertificateID: types.Int64Value(certID),
		TargetAccountID: types.StringValue(target), SharedAt: types.StringNull(),
	})...)
}
