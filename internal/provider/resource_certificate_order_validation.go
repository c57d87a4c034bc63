package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/wait"
)

var (
	_ resource.Resource               = (*certificateOrderValidationResource)(nil)
	_ resource.ResourceWithConfigure  = (*certificateOrderValidationResource)(nil)
	_ resource.ResourceWithModifyPlan = (*certificateOrderValidationResource)(nil)
)

// How often the wait for issuance asks the service: from orderPollInterval, doubling up to
// orderPollMaxInterval. Tests shorten both (export_test.go).
var (
	orderPollInterval    = 5 * time.Second
	orderPollMaxInterval = 60 * time.Second
)

// defaultValidationTimeout covers a DV order: validation, then 1 to 15 minutes of review.
const defaultValidationTimeout = 45 * time.Minute

// NewCertificateOrderValidationResource returns the alicloudcas_certificate_order_validation resource.
func NewCertificateOrderValidationResource() resource.Resource {
	return &certificateOrderValidationResource{}
}

type certificateOrderValidationResource struct{ client *cas.Client }

func (r *certificateOrderValidationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_order_validation"
}

func (r *certificateOrderValidationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Waits until a certificate order is issued, like `aws_acm_certificate_validation`: " +
			"create the order with `alicloudcas_certificate_order`, its DNS validation records with your DNS provider, " +
			"then this resource, which completes when the CA has issued the certificate (status `certificate`) and fails " +
			"with the reason when the CA refuses the application (`verify_fail`, R-21).\n\n" +
			"DV certificates are issued within minutes of validation, which the default create timeout of 45 minutes " +
			"covers. OV and EV certificates take about 5 calendar days (R-20): set a longer `timeouts.create`, or leave this " +
			"resource out of the run that orders the certificate and add it in a later run. A wait that times out changes " +
			"nothing: the order goes on at the service and the next apply waits again.\n\n" +
			"The resource is Terraform's record that the order was issued; it has no object of its own at the service. " +
			"Destroying it never touches the order (cancel or keep the order with its own `deletion_policy`), and there is " +
			"nothing to import: declare it and apply, which returns at once for an order already issued.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "The order id as a string."},
			"order_id": schema.Int64Attribute{Required: true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				MarkdownDescription: "The order to wait for (`alicloudcas_certificate_order`'s `order_id`). A renewal gives the " +
					"order resource a new `order_id`, which replaces this resource: the new order is waited for in turn."},
			"validation_record_fqdns": schema.SetAttribute{ElementType: types.StringType, Optional: true,
				PlanModifiers: []planmodifier.Set{setplanmodifier.RequiresReplace()},
				MarkdownDescription: "Names of the DNS records you created for the order's DNS validation (R-24), e.g. " +
					"`[for r in values(alicloudcas_certificate_order.this.validation_records) : r.name]` or your DNS " +
					"resources' names. When set, every record the order asks for must be listed (letter case and a trailing dot " +
					"do not matter): a missing one fails at once, naming it, instead of waiting for a validation that cannot " +
					"succeed. Checked at plan time when the order already exists, and again before the wait. Not for orders " +
					"validated by file. Omit it to wait without the check."},
			"status": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "The order's state: `certificate` once issued."},
			"certificate_id": schema.Int64Attribute{Computed: true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				MarkdownDescription: "The issued certificate's id (`CertId`)."},
			"certificate_identifier": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "`<certificate_id>-<region>`, the form ALB, CDN and others take."},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true}),
		},
	}
}

func (r *certificateOrderValidationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks, when the order already exists, that validation_record_fqdns names every
// record it asks for. In a run that also creates the order, the id is unknown at plan time;
// Terraform plans the resource again during apply, once the order exists, and the check runs
// then. A failed read is left to Create, which checks again: the plan does not depend on the API.
func (r *certificateOrderValidationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	var plan, state certificateOrderValidationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if plan.OrderID.Equal(state.OrderID) && plan.ValidationRecordFQDNs.Equal(state.ValidationRecordFQDNs) {
			return // nothing to create: no check
		}
	}
	fqdns, known := plan.fqdns(ctx)
	if resp.Diagnostics.HasError() || !known || fqdns == nil || plan.OrderID.IsUnknown() {
		return
	}
	id := plan.OrderID.ValueInt64()
	s, err := r.client.DescribeCertificateState(ctx, id)
	if cas.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("order_id"), fmt.Sprintf("Certificate order %d not found", id),
			fmt.Sprintf("No order %d exists in region %s (DescribeCertificateState answered not found): it was deleted, or "+
				"belongs to another account or region. Use the order_id of an alicloudcas_certificate_order.", id, r.client.Region()))
		return
	}
	if err == nil {
		var diags diag.Diagnostics
		if diags, err = r.checkRecords(ctx, id, s, fqdns); err == nil {
			resp.Diagnostics.Append(diags...)
			return
		}
	}
	tflog.Debug(ctx, "could not check the validation records at plan time; create checks them", map[string]any{"order_id": id, "error": err.Error()})
}

// Create checks the records, then waits for issuance.
func (r *certificateOrderValidationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan certificateOrderValidationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultValidationTimeout)
	resp.Diagnostics.Append(diags...)
	id := plan.OrderID.ValueInt64()
	s, err := r.client.DescribeCertificateState(ctx, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read certificate order %d", id), err)
		return
	}
	if fqdns, _ := plan.fqdns(ctx); fqdns != nil {
		diags, err := r.checkRecords(ctx, id, s, fqdns)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Could not list the orders to check validation_record_fqdns", err)
		}
		resp.Diagnostics.Append(diags...)
	}
	if resp.Diagnostics.HasError() {
		return // no wait: the validation cannot succeed
	}
	s, err = r.waitIssued(ctx, id, timeout)
	var unexpected *wait.UnexpectedStateError
	var late *wait.TimeoutError
	switch {
	case errors.As(err, &unexpected):
		resp.Diagnostics.AddError(fmt.Sprintf("Certificate order %d was not issued", id), unexpected.Reason)
		return
	case errors.As(err, &late):
		resp.Diagnostics.AddError(fmt.Sprintf("Certificate order %d is not issued yet", id), timeoutAdvice(id, late))
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not wait for certificate order %d", id), err)
		return
	}
	plan.ID = types.StringValue(strconv.FormatInt(id, 10))
	resp.Diagnostics.Append(plan.apply(ctx, r.client.Region(), s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *certificateOrderValidationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m certificateOrderValidationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.OrderID.ValueInt64()
	s, err := r.client.DescribeCertificateState(ctx, id)
	switch {
	case cas.IsNotFound(err):
		resp.Diagnostics.AddWarning(fmt.Sprintf("Certificate order %d deleted outside Terraform", id),
			"The order no longer exists, so its validation is removed from the state; the next apply fails until order_id names an existing order.")
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read certificate order %d", id), err)
		return
	case s.Type != "certificate":
		resp.Diagnostics.AddWarning(fmt.Sprintf("Certificate order %d is no longer issued", id),
			fmt.Sprintf("The order is now %q (revoked, or changed outside Terraform), so its validation is removed from the "+
				"state; the next apply waits for it again and says why it cannot be issued.", s.Type))
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(m.apply(ctx, r.client.Region(), s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// Update records a new timeouts value: every other argument replaces the resource.
func (r *certificateOrderValidationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan certificateOrderValidationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Delete only forgets the wait: the order and its certificate are left as they are.
func (r *certificateOrderValidationResource) Delete(ctx context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	tflog.Debug(ctx, "destroying an order validation changes nothing at the service")
}

// checkRecords reports the DNS records the order asks for that fqdns does not name; the
// error is a failure to read the order list. Outside domain_verify the service no longer shows the
// records, and nothing is checked: the CA has validated. The service may give a record's name
// relative to the domain ("_dnsauth"): only when the name as given is not listed is the order
// list read, for the domain, to name the record as the order's validation_records does.
func (r *certificateOrderValidationResource) checkRecords(ctx context.Context, id int64, s *cas.OrderState, fqdns []string) (diag.Diagnostics, error) {
	var diags diag.Diagnostics
	at := path.Root("validation_record_fqdns")
	switch {
	case s.Type != "domain_verify":
		return diags, nil
	case s.ValidateType == "FILE":
		diags.AddAttributeError(at, fmt.Sprintf("R-24: Certificate order %d is validated by file, not DNS", id),
			"The CA checks a file under /.well-known/pki-validation/ (the order's validation_records give its path and "+
				"content), so there are no DNS records to list. Remove validation_record_fqdns.")
		return diags, nil
	case s.RecordDomain == "":
		return diags, nil // the records are not shown yet
	}
	given := map[string]bool{}
	for _, f := range fqdns {
		given[normalizeFQDN(f)] = true
	}
	name := strings.TrimSuffix(s.RecordDomain, ".")
	if given[normalizeFQDN(name)] {
		return diags, nil
	}
	orders, err := r.client.FindOrders(ctx)
	if err != nil {
		return diags, err
	}
	for _, o := range orders {
		if o.OrderID == id {
			names, _ := types.ListValueFrom(ctx, types.StringType, strings.Split(o.Domain, ","))
			name = recordFQDN(s.RecordDomain, certificateOrderModel{Domains: names}.validatedDomain(ctx))
		}
	}
	if given[normalizeFQDN(name)] {
		return diags, nil
	}
	listed := slices.Clone(fqdns)
	slices.Sort(listed)
	diags.AddAttributeError(at, fmt.Sprintf("R-24: The validation record %s is not in validation_record_fqdns", name),
		fmt.Sprintf("Certificate order %d validates by DNS (R-24): the CA looks for a %s record named %q, with the value in the "+
			"order's validation_records. validation_record_fqdns lists %q, which does not include it, so the wait could "+
			"only end at its timeout. Create the record with your DNS provider (for_each over the order's validation_records) "+
			"and list its name, e.g. [for r in values(alicloudcas_certificate_order.<name>.validation_records) : r.name].",
			id, s.RecordType, name, listed))
	return diags, nil
}

func normalizeFQDN(name string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
}

// waitIssued waits until the CA issues the order (R-21: validation, then review).
func (r *certificateOrderValidationResource) waitIssued(ctx context.Context, id int64, timeout time.Duration) (*cas.OrderState, error) {
	return wait.StateChange[*cas.OrderState]{
		What:    fmt.Sprintf("certificate order %d", id),
		Pending: []string{"domain_verify", "process"},
		Target:  []string{"certificate"},
		Refresh: func(ctx context.Context) (*cas.OrderState, string, error) {
			s, err := r.client.DescribeCertificateState(ctx, id)
			if err != nil {
				return nil, "", err
			}
			return s, s.Type, nil
		},
		Timeout: timeout, MinInterval: orderPollInterval, MaxInterval: orderPollMaxInterval,
		Failure: func(_ *cas.OrderState, state string) string { return notIssuedReason(id, state) },
	}.Wait(ctx)
}

// notIssuedReason says why an order in state will not be issued, and what to do.
func notIssuedReason(id int64, state string) string {
	switch state {
	case "verify_fail":
		return fmt.Sprintf("The CA refused the application of order %d (verify_fail): the domain validation failed or the "+
			"application data (company, contact) was not accepted (R-21, R-24, R-25). The API gives no reason: see the "+
			"order in the console. A failed application is not resubmitted as it is (R-21): fix the DNS records or the "+
			"application data, then apply for the certificate again by replacing the order (terraform apply "+
			"-replace=<the alicloudcas_certificate_order>), which takes a new unit of quota. The failed order keeps its "+
			"unit until it is deleted (DeleteCertificateRequest), which gives it back; an order resource with "+
			"deletion_policy = \"cancel\" deletes it when it is replaced.", id)
	case "payed":
		return fmt.Sprintf("Order %d awaits its application (payed): it was cancelled, or it is a renewal not yet submitted, "+
			"so the CA has nothing to validate (R-21). Submit it (\"apply\" in the console) or replace the order, then apply again.", id)
	default:
		return fmt.Sprintf("The service gives order %d the state %q (revoked, or a state it does not name): it will not be "+
			"issued. Look at the order in the console.", id, state)
	}
}

// timeoutAdvice: what to do when the wait outlasts timeouts.create.
func timeoutAdvice(id int64, e *wait.TimeoutError) string {
	where := "The CA is reviewing the application."
	if e.LastState == "domain_verify" {
		where = "The CA is still waiting for the domain validation: check that the record in the order's validation_records " +
			"exists with its exact value and is visible in public DNS (R-24)."
	}
	return fmt.Sprintf("Order %d was still %q after %s. %s DV certificates are issued within minutes of validation; OV and "+
		"EV take about 5 calendar days (R-20). Nothing was changed: the order goes on at the service. Apply again to go on "+
		"waiting, set a longer timeouts.create, or, for OV and EV, add this resource in a later run.", id, e.LastState, e.Timeout, where)
}

// certificateOrderValidationModel is alicloudcas_certificate_order_validation's plan and state.
type certificateOrderValidationModel struct {
	ID                    types.String   `tfsdk:"id"`
	OrderID               types.Int64    `tfsdk:"order_id"`
	ValidationRecordFQDNs types.Set      `tfsdk:"validation_record_fqdns"`
	Status                types.String   `tfsdk:"status"`
	CertificateID         types.Int64    `tfsdk:"certificate_id"`
	CertificateIdentifier types.String   `tfsdk:"certificate_identifier"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

// fqdns is validation_record_fqdns (nil when not set); known is false while any part is unknown.
func (m certificateOrderValidationModel) fqdns(ctx context.Context) (names []string, known bool) {
	if m.ValidationRecordFQDNs.IsNull() {
		return nil, true
	}
	if m.ValidationRecordFQDNs.IsUnknown() {
		return nil, false
	}
	var values []types.String
	_ = m.ValidationRecordFQDNs.ElementsAs(ctx, &values, false)
	names = []string{}
	for _, v := range values {
		if v.IsUnknown() {
			return nil, false
		}
		names = append(names, v.ValueString())
	}
	return names, true
}

// apply records the issued order, read the way alicloudcas_certificate_order reads it.
func (m *certificateOrderValidationModel) apply(ctx context.Context, region string, s *cas.OrderState) diag.Diagnostics {
	var order certificateOrderModel
	diags := order.applyState(ctx, region, s)
	m.Status, m.CertificateID, m.CertificateIdentifier = order.Status, order.CertificateID, order.CertificateIdentifier
	return diags
}
