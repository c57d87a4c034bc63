package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/domains"
	"github.com/certforge/terraform-provider-alicloudcas/internal/wait"
)

var (
	_ resource.Resource                   = (*certificateOrderResource)(nil)
	_ resource.ResourceWithConfigure      = (*certificateOrderResource)(nil)
	_ resource.ResourceWithImportState    = (*certificateOrderResource)(nil)
	_ resource.ResourceWithValidateConfig = (*certificateOrderResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*certificateOrderResource)(nil)
)

// Deletion policies: what destroy does to the order.
const (
	deletionRetain = "retain"
	deletionCancel = "cancel"
)

// NewCertificateOrderResource returns the alicloudcas_certificate_order resource.
func NewCertificateOrderResource() resource.Resource { return &certificateOrderResource{} }

type certificateOrderResource struct{ client *cas.Client }

func (r *certificateOrderResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_order"
}

func (r *certificateOrderResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An application for a certificate from a purchased certificate resource plan " +
			"(`CreateCertificateForPackageRequest`): each application consumes one unit of the plan's quota. The " +
			"domains are checked at plan time against the product's shape and brand (R-02 to R-13, R-15, R-24, " +
			"R-25), so a wrong wildcard or SAN list fails `terraform plan`, before any money is spent.\n\n" +
			"Create returns as soon as the order exists and its validation records are known; create the records " +
			"with your DNS provider (`for_each = ...validation_records`) and wait for issuance with " +
			"`alicloudcas_certificate_order_validation`. An application is sent at most once: when its answer is " +
			"lost, the provider finds the order among the account's orders before anything else.\n\n" +
			"Destroy keeps the order by default (`deletion_policy = \"retain\"`): it only leaves the state. With " +
			"`cancel`, destroy cancels an application the CA has not started processing (R-22) and refuses " +
			"otherwise; it never revokes an issued certificate.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "The current order id (`OrderId`) as a string; the import id."},
			"product_code": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "Specification of the resource plan to apply from; its brand, validation type (DV, OV, EV) " +
					"and shape (single name or wildcard) decide the domain rules. Known codes: `" + strings.Join(cas.ProductCodes(), "`, `") + "`.",
				Validators: []validator.String{stringvalidator.OneOf(cas.ProductCodes()...)}},
			"domains": schema.ListAttribute{ElementType: types.StringType, Required: true,
				PlanModifiers: []planmodifier.List{requiresReplaceIfOtherNames()},
				MarkdownDescription: "Names of the certificate, at most 5, the first being its Common Name (R-13, R-15). All " +
					"specific names or all wildcards (`*.example.com`, one level, R-03/R-04). Letter case and a trailing dot " +
					"do not matter; another name is another certificate (R-01) and replaces the order.",
				Validators: []validator.List{listvalidator.SizeBetween(1, domains.MaxNames)}},
			"validation_method": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(domains.ValidateDNS),
				PlanModifiers: replace,
				MarkdownDescription: "How the CA checks control of the domains (DV): `DNS` (a TXT record, default) or `FILE` " +
					"(a file under `/.well-known/pki-validation/`; not for wildcards, R-24). OV and EV are checked by the CA by email and phone.",
				Validators: []validator.String{stringvalidator.OneOf(domains.ValidateDNS, domains.ValidateFile)}},
			"contact_name": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				MarkdownDescription: "Applicant's name. Without the three contact arguments the service uses the most recent contact of its information management (R-18)."},
			"contact_phone": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				MarkdownDescription: "Applicant's phone number, reachable by the CA (R-25)."},
			"contact_email": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				MarkdownDescription: "Applicant's email address; for EV a business address, not a free mail service (R-25)."},
			"company_name": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				MarkdownDescription: "Company profile name, exactly as in the business licence; required for OV and EV, not used for DV (R-18, R-25)."},
			"csr": schema.StringAttribute{CustomType: pemType{}, Optional: true, PlanModifiers: replace,
				MarkdownDescription: "Your CSR in PEM. Without it the service generates the key pair and keeps the key (R-23, " +
					"recommended: only such certificates can be deployed from the console). Its Common Name must be one of " +
					"`domains` and it must ask for no other name (R-13, R-16); RSA of at least 2048 bits or ECC (R-17)."},
			"renew_before_days": schema.Int64Attribute{Optional: true,
				MarkdownDescription: "Renew when the certificate has this many days left or fewer (1 to 30: the service renews " +
					"only certificates that expire within 30 days, R-26). The plan then shows an in-place update that applies for " +
					"the renewal (a new order and certificate; the old certificate stays valid until it expires, R-26, R-27). " +
					"Single-name certificates only (R-26).",
				Validators: []validator.Int64{int64validator.Between(1, 30)}},
			"deletion_policy": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(deletionRetain),
				MarkdownDescription: "What destroy does: `retain` (default) leaves the order and its certificate; `cancel` cancels " +
					"an application the CA has not started processing (R-22), deletes a failed one (its quota comes back), and fails " +
					"for one in review or issued, saying why.",
				Validators: []validator.String{stringvalidator.OneOf(deletionRetain, deletionCancel)}},
			"tags": schema.MapAttribute{ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Tags of the application, sent with it."},
			"order_id": schema.Int64Attribute{Computed: true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				MarkdownDescription: "The current order id: the last renewal's once renewed."},
			"status": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The order's state as `DescribeCertificateState` gives it: `payed` (awaiting the application), " +
					"`domain_verify` (awaiting domain validation), `process` (CA review), `verify_fail` (review failed), `certificate` (issued)."},
			"effective_domains": schema.ListAttribute{ElementType: types.StringType, Computed: true,
				MarkdownDescription: "The names the issued certificate will really contain, known at plan time: `domains` first, " +
					"then the names the product's CA adds (R-09 to R-11), as `provider::alicloudcas::effective_domains` computes them."},
			"validation_records": schema.MapNestedAttribute{Computed: true,
				MarkdownDescription: "Domain validation to do, keyed by the domain the CA validates; the keys are known at plan " +
					"time, so `for_each` over this map works in the same apply. DNS: create a record of `type` at `name` with " +
					"`value`. FILE: serve `content` at `https://<key><path>`. The last instructions stay after the CA has validated (the service stops showing them), so that records made from them are not destroyed; a renewal brings new ones.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"type":    computed("`TXT` or `CNAME` for DNS validation, `FILE` for file validation."),
					"name":    computed("The DNS record's fully qualified name (DNS)."),
					"value":   computed("The DNS record's value (DNS)."),
					"path":    computed("The file's path under the domain (FILE)."),
					"content": computed("The file's content (FILE)."),
				}}},
			"certificate_id": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "The issued certificate's id (`CertId`), once issued."},
			"certificate_identifier": computed("`<certificate_id>-<region>`, the form ALB, CDN and others take, once issued."),
			"certificate_pem":        computed("The issued certificate (leaf) in PEM, once issued."),
			"certificate_chain_pem":  computed("The issuing CA's chain in PEM, once issued."),
			"not_before":             computed("Start of the issued certificate's validity, RFC 3339 UTC."),
			"not_after":              computed("End of the issued certificate's validity, RFC 3339 UTC."),
			"renewed_certificate_ids": schema.ListAttribute{ElementType: types.Int64Type, Computed: true,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Certificates this resource held before each renewal, oldest first; they stay valid until they expire."},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true}),
		},
	}
}

func (r *certificateOrderResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

// Create applies for the certificate, once, and returns when the validation records are known.
func (r *certificateOrderResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan certificateOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, 10*time.Minute)
	resp.Diagnostics.Append(diags...)
	in, diags := plan.orderRequest(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var id int64
	var err error
	for attempt := 0; ; attempt++ {
		started := time.Now()
		id, err = r.client.CreateOrder(ctx, in)
		if err == nil || !mayHaveHappened(err) {
			break
		}
		var answered *cas.ServiceError
		wasAnswered := errors.As(err, &answered)
		if wasAnswered {
			// Give an application the service may still be committing a moment to show.
			if werr := sleepCtx(ctx, lostOrderSettle); werr != nil {
				break
			}
		}
		id, err = r.findLostOrder(ctx, in, started, err)
		// The service answered a 5xx and no order was created since the request: the application
		// did not happen, and sending it again cannot buy twice.
		if err == nil || !wasAnswered || !errors.Is(err, errNothingBought) || attempt >= 3 {
			break
		}
		tflog.Warn(ctx, "the service failed the application and no order was created: applying again", map[string]any{"attempt": attempt + 1})
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not apply for the certificate", err)
		return
	}
	tflog.Info(ctx, "applied for a certificate", map[string]any{"order_id": id})
	// Saved at once: whatever happens next, Terraform knows the order exists and never applies again.
	plan.ID, plan.OrderID = types.StringValue(strconv.FormatInt(id, 10)), types.Int64Value(id)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), plan.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("order_id"), plan.OrderID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_policy"), plan.DeletionPolicy)...)
	state, err := r.waitForRecords(ctx, id, timeout, false)
	if err != nil {
		// The order exists: an error now would taint it, and the next apply would replace it,
		// leaving this order (retained) behind and buying another. Keep it; the next refresh reads
		// its state and records.
		resp.Diagnostics.AddWarning(fmt.Sprintf("Certificate order %d: the validation records are not known yet", id),
			fmt.Sprintf("The order exists and is kept in the state; the next plan or refresh reads its validation records (%v).", err))
		state = &cas.OrderState{Type: "payed"}
	}
	resp.Diagnostics.Append(plan.applyState(ctx, r.client.Region(), state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// lostOrderSettle is how long an answered 5xx waits before the order list is searched.
var lostOrderSettle = time.Second

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

var errNothingBought = errors.New("no order for these domains was created since the request, so nothing was bought: apply again")

// findLostOrder looks, after an application whose answer was lost, for the order it may have
// created: same product and domains, bought since just before the request. It adopts that order
// rather than apply (and pay) again; finding none, it reports that nothing was created.
func (r *certificateOrderResource) findLostOrder(ctx context.Context, in cas.OrderRequest, started time.Time, cause error) (int64, error) {
	orders, err := r.client.FindOrders(ctx)
	if err != nil {
		return 0, fmt.Errorf("%w; looking for the order it may have created failed too (%v): check the console before applying again", cause, err)
	}
	var found *cas.OrderSummary
	for i, o := range orders {
		if o.ProductCode == in.ProductCode && domains.SameNames(strings.Split(o.Domain, ","), in.Domains) &&
			!o.BuyDate.Before(started.Add(-2*time.Minute)) && (found == nil || o.OrderID > found.OrderID) {
			found = &orders[i]
		}
	}
	if found == nil {
		return 0, fmt.Errorf("%w; %w", cause, errNothingBought)
	}
	tflog.Warn(ctx, "the application's answer was lost; adopting the order it created", map[string]any{"order_id": found.OrderID})
	return found.OrderID, nil
}

// waitForRecords waits until the order has left "payed" and, in domain_verify, shows its
// validation instructions. A renewal is created pending its application (cas-certs.md §4), which
// no API action submits: for it, "payed" is an answer too.
func (r *certificateOrderResource) waitForRecords(ctx context.Context, id int64, timeout time.Duration, renewal bool) (*cas.OrderState, error) {
	pending, target := []string{"payed", "domain_verify_pending"}, []string{"domain_verify", "process", "certificate", "verify_fail"}
	if renewal {
		pending, target = pending[1:], append(target, "payed")
	}
	return wait.StateChange[*cas.OrderState]{
		What:    fmt.Sprintf("certificate order %d", id),
		Pending: pending,
		Target:  target,
		Refresh: func(ctx context.Context) (*cas.OrderState, string, error) {
			s, err := r.client.DescribeCertificateState(ctx, id)
			if err != nil {
				return nil, "", err
			}
			if s.Type == "domain_verify" && s.RecordValue == "" && s.FileContent == "" {
				return s, "domain_verify_pending", nil
			}
			return s, s.Type, nil
		},
		Timeout: timeout, MinInterval: time.Second, MaxInterval: 15 * time.Second,
	}.Wait(ctx)
}

func (r *certificateOrderResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m certificateOrderModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.OrderID.ValueInt64()
	s, err := r.client.DescribeCertificateState(ctx, id)
	if cas.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Certificate order deleted outside Terraform",
			fmt.Sprintf("Order %d no longer exists; it is removed from the state. The next apply applies for a new certificate, which consumes quota.", id))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not read the certificate order", err)
		return
	}
	if m.ProductCode.IsNull() {
		resp.Diagnostics.Append(r.readImported(ctx, &m, s)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if s.Type == "verify_fail" {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Certificate order %d failed the CA's review", id),
			"The CA refused the application (verify_fail): the domain validation or the application data was not accepted "+
				"(R-21, R-25). Fix the records or data and replace this resource (terraform apply -replace=...); with "+
				"deletion_policy = \"cancel\" the failed application is deleted and its quota returned.")
	}
	resp.Diagnostics.Append(m.applyState(ctx, r.client.Region(), s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// readImported fills, after an import, what only the order list knows: the product and domains.
func (r *certificateOrderResource) readImported(ctx context.Context, m *certificateOrderModel, s *cas.OrderState) diag.Diagnostics {
	var diags diag.Diagnostics
	orders, err := r.client.FindOrders(ctx)
	if err != nil {
		addAPIError(&diags, "Could not list the orders to import one", err)
		return diags
	}
	for _, o := range orders {
		if o.OrderID != m.OrderID.ValueInt64() {
			continue
		}
		m.ProductCode = types.StringValue(o.ProductCode)
		names := strings.Split(o.Domain, ",")
		m.Domains, diags = types.ListValueFrom(ctx, types.StringType, names)
		if s.ValidateType != "" {
			m.ValidationMethod = types.StringValue(s.ValidateType)
		}
		m.EffectiveDomains = effectiveDomains(ctx, *m)
		return diags
	}
	diags.AddError("Certificate order not found among the account's orders",
		fmt.Sprintf("Order %d answers DescribeCertificateState but is not in ListUserCertificateOrder (OrderType CPACK): only applications from resource plans can be imported.", m.OrderID.ValueInt64()))
	return diags
}

// Update renews (when the plan says so) and records the arguments that change nothing at the
// service (renew_before_days, deletion_policy, tags, timeouts).
func (r *certificateOrderResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state certificateOrderModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !renewalPlanned(plan) {
		plan.copyComputed(state)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, 10*time.Minute)
	resp.Diagnostics.Append(diags...)
	old := state.OrderID.ValueInt64()
	newID, err := r.client.RenewOrder(ctx, old, plan.CSR.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not renew certificate order %d", old), err)
		return
	}
	tflog.Info(ctx, "renewed a certificate order", map[string]any{"old_order_id": old, "order_id": newID})
	renewed := append(int64List(ctx, state.RenewedCertificateIDs), state.CertificateID.ValueInt64())
	plan.copyComputed(state)
	plan.ID, plan.OrderID = types.StringValue(strconv.FormatInt(newID, 10)), types.Int64Value(newID)
	plan.RenewedCertificateIDs, diags = types.ListValueFrom(ctx, types.Int64Type, renewed)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...) // the renewal exists: record it before waiting
	s, err := r.waitForRecords(ctx, newID, timeout, true)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Renewal order %d: the validation records did not come", newID), err)
		return
	}
	if s.Type == "payed" {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Renewal order %d awaits its application", newID),
			"The service creates a renewal as an order pending application, and the API has no action to submit it: "+
				"submit it in the console (pending application), or let the service apply by itself, which it does when "+
				"the domain's DNS is in this account (R-28, R-29). The next refresh shows its validation records.")
	}
	resp.Diagnostics.Append(plan.applyState(ctx, r.client.Region(), s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Delete keeps the order (retain) or cancels what the service lets be cancelled.
func (r *certificateOrderResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m certificateOrderModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.DeletionPolicy.ValueString() != deletionCancel {
		return
	}
	id := m.OrderID.ValueInt64()
	s, err := r.client.DescribeCertificateState(ctx, id)
	if cas.IsNotFound(err) {
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not read the certificate order before cancelling it", err)
		return
	}
	switch s.Type {
	case "payed", "domain_verify":
		err = r.client.CancelOrderRequest(ctx, id)
	case "verify_fail":
		err = r.client.DeleteCertificateRequest(ctx, id) // gives the quota back
	default:
		resp.Diagnostics.AddError(fmt.Sprintf("Certificate order %d cannot be cancelled", id), cancelRefusal(s.Type))
		return
	}
	if err != nil && !cas.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not cancel certificate order %d", id), err)
	}
}

// cancelRefusal says why an order cannot be cancelled and what to do instead.
func cancelRefusal(status string) string {
	if status == "certificate" {
		return "The certificate is issued: cancelling it now would revoke it, which this provider never does on destroy. " +
			"Revoke it in the console if you mean to, or set deletion_policy = \"retain\" and apply, then destroy."
	}
	return fmt.Sprintf("The order is %q: once the CA processes an application it cannot be cancelled (R-22). Wait for the "+
		"result, or set deletion_policy = \"retain\" and apply, then destroy to leave it.", status)
}

// ImportState takes an order id. The arguments that only the configuration knows (contacts, csr,
// renew_before_days) stay empty until the configuration sets them.
func (r *certificateOrderResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := strconv.ParseInt(req.ID, 10, 64)
	if err != nil || id <= 0 {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("%q is not a certificate order id (a number).", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("order_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_policy"), deletionRetain)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("validation_method"), domains.ValidateDNS)...)
}
