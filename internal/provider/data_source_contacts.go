package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

var (
	_ datasource.DataSource              = (*contactsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*contactsDataSource)(nil)
)

// NewContactsDataSource returns the alicloudcas_contacts data source.
func NewContactsDataSource() datasource.DataSource { return &contactsDataSource{} }

type contactsDataSource struct{ client *cas.Client }

func (d *contactsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_contacts"
}

func (d *contactsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the account's contacts (`ListContact`): the people deployment jobs can notify " +
			"(up to 10 per job, R-63). Use their `id` where a job takes contacts.\n\n" +
			"Reading costs one call per 20 contacts; the provider pages through all of them. `mobile` and `email` are " +
			"personal data and sensitive; they are shown as the service lists them (in clear in the answers seen so " +
			"far; the service may mask them, `139****8888`).",
		Attributes: map[string]schema.Attribute{
			"keyword": schema.StringAttribute{Optional: true,
				MarkdownDescription: "The service's fuzzy search (`Keyword`): a part of a name, an email address or a mobile number.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)}},
			"contacts": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "The contacts that match, sorted by `id`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   schema.Int64Attribute{Computed: true, MarkdownDescription: "The contact's id (`ContactId`), the `contact_id` of `alicloudcas_contact`."},
					"name": schema.StringAttribute{Computed: true, MarkdownDescription: "The contact's name."},
					"mobile": schema.StringAttribute{Computed: true, Sensitive: true,
						MarkdownDescription: "Mobile number, unique in the account."},
					"email": schema.StringAttribute{Computed: true, Sensitive: true,
						MarkdownDescription: "Email address, unique in the account; null when the contact has none."},
					"email_verified": schema.BoolAttribute{Computed: true,
						MarkdownDescription: "Whether the person has verified the email address (`EmailStatus`)."},
					"mobile_verified": schema.BoolAttribute{Computed: true,
						MarkdownDescription: "Whether the person has verified the mobile number (`MobileStatus`)."},
					"webhooks": schema.ListAttribute{Computed: true, ElementType: types.StringType,
						MarkdownDescription: "URLs of the chat robots notified as well; empty when there is none."},
				}},
			},
		},
	}
}

func (d *contactsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

type contactsModel struct {
	Keyword  types.String          `tfsdk:"keyword"`
	Contacts []contactSummaryModel `tfsdk:"contacts"`
}

type contactSummaryModel struct {
	ContactID      types.Int64  `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	Mobile         types.String `tfsdk:"mobile"`
	Email          types.String `tfsdk:"email"`
	EmailVerified  types.Bool   `tfsdk:"email_verified"`
	MobileVerified types.Bool   `tfsdk:"mobile_verified"`
	Webhooks       []string     `tfsdk:"webhooks"`
}

func (d *contactsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m contactsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	items, err := d.client.ListContacts(ctx, m.Keyword.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not list contacts", err)
		return
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
	m.Contacts = make([]contactSummaryModel, 0, len(items))
	for _, it := range items {
		m.Contacts = append(m.Contacts, contactSummaryModel{
			ContactID: types.Int64Value(it.ID), Name: types.StringValue(it.Name), Mobile: types.StringValue(it.Mobile),
			Email: nullIfEmpty(it.Email), EmailVerified: types.BoolValue(it.EmailVerified),
			MobileVerified: types.BoolValue(it.MobileVerified), Webhooks: append([]string{}, it.Webhooks...),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
