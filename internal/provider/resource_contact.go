package provider

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

var (
	_ resource.Resource                = (*contactResource)(nil)
	_ resource.ResourceWithConfigure   = (*contactResource)(nil)
	_ resource.ResourceWithImportState = (*contactResource)(nil)
)

// NewContactResource returns the alicloudcas_contact resource.
func NewContactResource() resource.Resource { return &contactResource{} }

type contactResource struct{ client *cas.Client }

func (r *contactResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_contact"
}

func (r *contactResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A contact of the Certificate Management Service's information management: a person " +
			"that deployment jobs notify (a job notifies up to 10 contacts, R-63) and, as the most recently added " +
			"contact, the applicant the service uses for a certificate order that gives none (R-18).\n\n" +
			"Every argument changes in place (`UpdateContact`, which the service wants with every field: the " +
			"provider always sends them all). The mobile number and the email address are each **unique within " +
			"the account**: a value another contact has is refused; import that contact instead. The service " +
			"verifies both (the person follows a link or enters a code); a changed value is unverified until then.\n\n" +
			"**Personal data.** `mobile`, `email` and `idcard` are sensitive. The service answers them masked " +
			"(`139******01`): the provider keeps the values of the configuration while the service's masked form " +
			"agrees with them, and reads them in clear from the contact list after an import or when they no " +
			"longer agree. A change outside Terraform that keeps the visible characters cannot be seen.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The contact's id (`ContactId`) as a string; the import id."},
			"contact_id": schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				MarkdownDescription: "The contact's id (`ContactId`), the value deployment jobs take in their contacts."},
			"name": schema.StringAttribute{Required: true,
				MarkdownDescription: "The contact's name.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), trimmedValidator}},
			"mobile": schema.StringAttribute{Required: true, Sensitive: true,
				MarkdownDescription: "Mobile number, unique in the account: an 11-digit mainland China number " +
					"(`13800000000`) or an international one with its country code (`+6591234567` or `65-91234567`), " +
					"digits only. Other forms are refused at plan time: the service refuses them (`" + contactMobileRule + "`).",
				Validators: []validator.String{contactMobileValidator}},
			"email": schema.StringAttribute{Optional: true, Sensitive: true,
				MarkdownDescription: "Email address, unique in the account, such as `pki@example.com` (no display name). " +
					"Removing it clears it.",
				Validators: []validator.String{contactEmailValidator}},
			"idcard": schema.StringAttribute{Optional: true, Sensitive: true,
				MarkdownDescription: "Identity card number, needed only for certificates of the CFCA brand. The service " +
					"never answers it in clear: after an import it holds the masked value until the configuration's is " +
					"applied. Because every update sends every field, leaving it out of the configuration clears one set in " +
					"the console.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"webhooks": schema.ListAttribute{ElementType: types.StringType, Optional: true,
				MarkdownDescription: "`https` URLs of the DingTalk, WeCom or Lark chat robots to notify as well. " +
					"Omit the argument for none.",
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(webhookURLValidator)}},
			"email_verified": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether the person has verified the email address (`EmailStatus`)."},
			"mobile_verified": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether the person has verified the mobile number (`MobileStatus`)."},
		},
	}
}

func (r *contactResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

func (r *contactResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan contactModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := plan.contact(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := r.client.CreateContact(ctx, in)
	if err != nil {
		r.addWriteError(ctx, &resp.Diagnostics, "Could not create the contact", in, err)
		return
	}
	// Saved at once: whatever happens next, Terraform knows the contact exists.
	plan.ID, plan.ContactID = types.StringValue(strconv.FormatInt(id, 10)), types.Int64Value(id)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), plan.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("contact_id"), plan.ContactID)...)
	r.readBack(ctx, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *contactResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state contactModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, err := r.read(ctx, &state)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not read the contact", err)
		return
	}
	if !found {
		resp.Diagnostics.AddWarning("Contact deleted outside Terraform",
			fmt.Sprintf("Contact %d no longer exists; it is removed from the state and the next plan creates it again.", state.ContactID.ValueInt64()))
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *contactResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state contactModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := plan.contact(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	in.ID = state.ContactID.ValueInt64()
	if err := r.client.UpdateContact(ctx, in); err != nil {
		r.addWriteError(ctx, &resp.Diagnostics, "Could not update the contact", in, err)
		return
	}
	plan.ID, plan.ContactID = state.ID, state.ContactID
	r.readBack(ctx, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Delete deletes the contact; one already gone is done. Deployment jobs that named it keep their
// other contacts.
func (r *contactResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state contactModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.DeleteContact(ctx, state.ContactID.ValueInt64()); err != nil && !cas.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Could not delete the contact", err)
	}
}

// ImportState takes a contact id (`ContactId`). Read then fills every argument from the service,
// the mobile number and email address from the contact list (in clear).
func (r *contactResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := strconv.ParseInt(strings.TrimSpace(req.ID), 10, 64)
	if err != nil || id <= 0 {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("%q is not a contact id (a positive number such as 507742).", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), strconv.FormatInt(id, 10))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("contact_id"), id)...)
}

// readBack reads the contact after a write into m, which holds the values just sent.
func (r *contactResource) readBack(ctx context.Context, m *contactModel, diags *diag.Diagnostics) {
	found, err := r.read(ctx, m)
	if err != nil || !found { // a state holds no unknown value
		if m.EmailVerified.IsUnknown() {
			m.EmailVerified = types.BoolNull()
		}
		if m.MobileVerified.IsUnknown() {
			m.MobileVerified = types.BoolNull()
		}
	}
	switch {
	case err != nil:
		addAPIError(diags, "Could not read the contact after writing it", err)
	case !found:
		diags.AddError("Contact not found after writing it",
			fmt.Sprintf("The service accepted contact %d but does not find it now; it may have been deleted meanwhile. Apply again.", m.ContactID.ValueInt64()))
	}
}

// read refreshes m from the service: GetContact, then, when a masked value does not agree with
// the one m holds (an import, or a change outside Terraform), the contact list for the clear one.
func (r *contactResource) read(ctx context.Context, m *contactModel) (found bool, err error) {
	id := m.ContactID.ValueInt64()
	got, err := r.client.GetContact(ctx, id)
	if cas.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	mobile, mobileAgrees := unmask(m.Mobile, got.Mobile)
	email, emailAgrees := unmask(m.Email, got.Email)
	if !mobileAgrees || !emailAgrees {
		listed, err := r.client.ListContacts(ctx, "")
		if err != nil {
			return false, err
		}
		for _, it := range listed {
			if it.ID == id {
				mobile, _ = unmask(mobile, it.Mobile)
				email, _ = unmask(email, it.Email)
			}
		}
	}
	idcard, _ := unmask(m.IDCard, got.IDCard) // no clear source: the list has no IdCard
	m.Name, m.Mobile, m.Email, m.IDCard = types.StringValue(got.Name), mobile, email, idcard
	m.Webhooks = stringListOrNull(got.Webhooks)
	m.EmailVerified, m.MobileVerified = types.BoolValue(got.EmailVerified), types.BoolValue(got.MobileVerified)
	return true, nil
}

// addWriteError explains a refused write; a value another contact holds names that contact.
func (r *contactResource) addWriteError(ctx context.Context, diags *diag.Diagnostics, summary string, in cas.Contact, err error) {
	field, taken := cas.IsContactTaken(err)
	if !taken {
		addAPIError(diags, summary, err)
		return
	}
	attr, value := "mobile", in.Mobile
	if field == "Email" {
		attr, value = "email", in.Email
	}
	holder := "another contact"
	if items, lerr := r.client.ListContacts(ctx, value); lerr == nil {
		for _, it := range items {
			if it.ID != in.ID && (it.Mobile == value || strings.EqualFold(it.Email, value)) {
				holder = fmt.Sprintf("contact %d", it.ID)
			}
		}
	}
	diags.AddAttributeError(path.Root(attr), summary+": the "+attr+" is taken",
		fmt.Sprintf("%s of the account already has this %s, and each contact's mobile number and email address are "+
			"unique in the account. Use another value, or manage that contact with this resource: terraform import "+
			"<address> <its id>. (%v)", holder, attr, err))
}

// unmask is the value to keep of a field the service may answer masked ("139******01"): its
// answer when it is in clear, the known value when the mask agrees with it (agrees true), else the
// masked answer (agrees false: the value changed, or nothing is known). An empty answer is none.
func unmask(known types.String, served string) (v types.String, agrees bool) {
	switch {
	case served == "":
		return types.StringNull(), true
	case !strings.Contains(served, "*"):
		return types.StringValue(served), true
	case !known.IsNull() && !known.IsUnknown() && maskAgrees(served, known.ValueString()):
		return known, true
	}
	return types.StringValue(served), false
}

// maskAgrees reports whether value could be masked as masked: each run of "*" hides at least one
// character (the email mask hides any number behind four stars), the rest is as written.
func maskAgrees(masked, value string) bool {
	var re strings.Builder
	re.WriteString(`(?is)^`)
	for rest := masked; rest != ""; {
		if i := strings.IndexByte(rest, '*'); i < 0 {
			re.WriteString(regexp.QuoteMeta(rest))
			rest = ""
		} else {
			re.WriteString(regexp.QuoteMeta(rest[:i]) + `.+`)
			rest = strings.TrimLeft(rest[i:], "*")
		}
	}
	re.WriteString(`$`)
	ok, err := regexp.MatchString(re.String(), value)
	return err == nil && ok
}

func stringListOrNull(values []string) types.List {
	if len(values) == 0 {
		return types.ListNull(types.StringType)
	}
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

// contactModel is the resource's state and plan.
type contactModel struct {
	ID             types.String `tfsdk:"id"`
	ContactID      types.Int64  `tfsdk:"contact_id"`
	Name           types.String `tfsdk:"name"`
	Mobile         types.String `tfsdk:"mobile"`
	Email          types.String `tfsdk:"email"`
	IDCard         types.String `tfsdk:"idcard"`
	Webhooks       types.List   `tfsdk:"webhooks"`
	EmailVerified  types.Bool   `tfsdk:"email_verified"`
	MobileVerified types.Bool   `tfsdk:"mobile_verified"`
}

// contact is every writable field of m, as CreateContact and UpdateContact send them.
func (m contactModel) contact(ctx context.Context) (cas.Contact, diag.Diagnostics) {
	var hooks []string
	var diags diag.Diagnostics
	if !m.Webhooks.IsNull() && !m.Webhooks.IsUnknown() {
		diags = m.Webhooks.ElementsAs(ctx, &hooks, false)
	}
	return cas.Contact{Name: m.Name.ValueString(), Mobile: m.Mobile.ValueString(), Email: m.Email.ValueString(),
		IDCard: m.IDCard.ValueString(), Webhooks: hooks}, diags
}

// Plan-time checks of a contact's values. The service refuses a malformed value with
// IncorrectFormat.<Param> (CreateContact, UpdateContact) but documents no form; these checks
// accept the forms the API pages and console show. The values are personal data: diagnostics
// never repeat them.

const contactMobileRule = "IncorrectFormat.Mobile"

var (
	mainlandMobile      = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	internationalMobile = regexp.MustCompile(`^(\+[1-9][0-9]{6,14}|[1-9][0-9]{0,3}-[0-9]{5,14})$`)
)

var contactMobileValidator = stringCheck{
	description: "must be a mainland China mobile number (13800000000) or an international one with its country code (+6591234567)",
	check: func(s string) (string, string) {
		if mainlandMobile.MatchString(s) || internationalMobile.MatchString(s) {
			return "", ""
		}
		return "The mobile number is not in a form the service accepts",
			"The service refuses it (" + contactMobileRule + "). Write an 11-digit mainland China mobile number such as " +
				"13800000000, or an international number with its country code, either +6591234567 or 65-91234567: digits " +
				"only, no spaces or brackets."
	},
}

var contactEmailValidator = stringCheck{
	description: "must be a plain email address such as pki@example.com",
	check: func(s string) (string, string) {
		addr, err := mail.ParseAddress(s)
		at := strings.LastIndexByte(s, '@')
		if err == nil && addr.Address == s && at > 0 && strings.Contains(strings.Trim(s[at+1:], "."), ".") {
			return "", ""
		}
		return "The email address is not valid",
			"The service sends the contact's verification and the deployment notices to this address and refuses a " +
				"malformed one (IncorrectFormat.Email). Give a plain address with a domain, such as pki@example.com: no " +
				"display name, no angle brackets, no spaces. To give none, remove the argument."
	},
}

var webhookURLValidator = stringCheck{
	description: "must be the https URL of a chat robot",
	check: func(s string) (string, string) {
		if u, err := url.Parse(s); err == nil && u.Scheme == "https" && u.Host != "" {
			return "", ""
		}
		return "The webhook is not an https URL",
			"A webhook is the https URL of a DingTalk, WeCom or Lark chat robot, such as " +
				"https://oapi.dingtalk.com/robot/send?access_token=...; the service refuses other values (IncorrectFormat.Webhooks)."
	},
}

// trimmedValidator refuses surrounding white space, which the service drops: the name would
// differ from the configuration at every plan.
var trimmedValidator = stringCheck{
	description: "must not begin or end with white space",
	check: func(s string) (string, string) {
		switch {
		case strings.TrimSpace(s) == "":
			return "Blank value", "The service refuses a blank value (IncorrectFormat); write one."
		case s != strings.TrimSpace(s):
			return "Surrounding white space",
				fmt.Sprintf("The service drops white space around the value, so %q would never match what it stores; write %q.", s, strings.TrimSpace(s))
		}
		return "", ""
	},
}
