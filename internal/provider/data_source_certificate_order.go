package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

var (
	_ datasource.DataSource              = (*certificateOrderDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*certificateOrderDataSource)(nil)
)

// NewCertificateOrderDataSource returns the alicloudcas_certificate_order data source.
func NewCertificateOrderDataSource() datasource.DataSource { return &certificateOrderDataSource{} }

type certificateOrderDataSource struct{ client *cas.Client }

func (d *certificateOrderDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_order"
}

// Schema describes the order's attributes with the order resource's own descriptions, so that the
// two cannot drift apart.
func (d *certificateOrderDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	var rs resource.SchemaResponse
	(&certificateOrderResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	desc := func(name string) string { return rs.Schema.Attributes[name].GetMarkdownDescription() }
	str := func(name string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc(name)}
	}
	record := map[string]schema.Attribute{}
	if nested, ok := rs.Schema.Attributes["validation_records"].(rschema.MapNestedAttribute); ok {
		for name, a := range nested.NestedObject.Attributes {
			record[name] = schema.StringAttribute{Computed: true, MarkdownDescription: a.GetMarkdownDescription()}
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One certificate order (an application from a resource plan) by its id, for orders made " +
			"outside Terraform: its state, the validation it awaits, and the certificate once issued. The private key is " +
			"never read. To wait for an order to be issued, use the `alicloudcas_certificate_order_validation` resource.",
		Attributes: map[string]schema.Attribute{
			"order_id": schema.Int64Attribute{Required: true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				MarkdownDescription: "The order's id (`OrderId`). An unknown order is an error."},
			"status": str("status"),
			"product_code": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Specification of the resource plan the order applies from, e.g. `geotrust-dv-1-starter`."},
			"domains": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Names of the certificate as the order lists them, the first being its Common Name."},
			"validation_records": schema.MapNestedAttribute{Computed: true,
				MarkdownDescription: "Domain validation the order awaits, keyed by the domain the CA validates, in the shape of " +
					"`alicloudcas_certificate_order`'s. DNS: create a record of `type` at `name` with `value`. FILE: serve " +
					"`content` at `https://<key><path>`. Empty outside `domain_verify`: the service shows the instructions only " +
					"while it waits for them.",
				NestedObject: schema.NestedAttributeObject{Attributes: record}},
			"certificate_id":         schema.Int64Attribute{Computed: true, MarkdownDescription: desc("certificate_id")},
			"certificate_identifier": str("certificate_identifier"),
			"certificate_pem":        str("certificate_pem"),
			"certificate_chain_pem":  str("certificate_chain_pem"),
			"not_before":             str("not_before"),
			"not_after":              str("not_after"),
		},
	}
}

func (d *certificateOrderDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

type certificateOrderDataModel struct {
	OrderID               types.Int64  `tfsdk:"order_id"`
	Status                types.String `tfsdk:"status"`
	ProductCode           types.String `tfsdk:"product_code"`
	Domains               types.List   `tfsdk:"domains"`
	ValidationRecords     types.Map    `tfsdk:"validation_records"`
	CertificateID         types.Int64  `tfsdk:"certificate_id"`
	CertificateIdentifier types.String `tfsdk:"certificate_identifier"`
	CertificatePEM        types.String `tfsdk:"certificate_pem"`
	CertificateChainPEM   types.String `tfsdk:"certificate_chain_pem"`
	NotBefore             types.String `tfsdk:"not_before"`
	NotAfter              types.String `tfsdk:"not_after"`
}

// Read takes the state from DescribeCertificateState and the product and domains from the order
// list, then reads them as alicloudcas_certificate_order does (applyState).
func (d *certificateOrderDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m certificateOrderDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.OrderID.ValueInt64()
	s, err := d.client.DescribeCertificateState(ctx, id)
	if cas.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("order_id"), fmt.Sprintf("Certificate order %d not found", id),
			fmt.Sprintf("No order %d exists in region %s (DescribeCertificateState answered not found): it was deleted, or "+
				"belongs to another account or region.", id, d.client.Region()))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read certificate order %d", id), err)
		return
	}
	orders, err := d.client.FindOrders(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Could not list the certificate orders", err)
		return
	}
	var order certificateOrderModel
	for _, o := range orders {
		if o.OrderID == id {
			order.ProductCode = types.StringValue(o.ProductCode)
			order.Domains, _ = types.ListValueFrom(ctx, types.StringType, strings.Split(o.Domain, ","))
		}
	}
	if order.ProductCode.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("order_id"), fmt.Sprintf("Certificate order %d is not an application from a resource plan", id),
			fmt.Sprintf("Order %d answers DescribeCertificateState but is not in ListUserCertificateOrder (OrderType CPACK): "+
				"only applications from resource plans can be read.", id))
		return
	}
	// No prior records: outside domain_verify the map is empty.
	order.ValidationRecords = types.MapValueMust(validationRecordType, map[string]attr.Value{})
	resp.Diagnostics.Append(order.applyState(ctx, d.client.Region(), s)...)
	m.Status, m.ProductCode, m.Domains, m.ValidationRecords = order.Status, order.ProductCode, order.Domains, order.ValidationRecords
	m.CertificateID, m.CertificateIdentifier = order.CertificateID, order.CertificateIdentifier
	m.CertificatePEM, m.CertificateChainPEM = order.CertificatePEM, order.CertificateChainPEM
	m.NotBefore, m.NotAfter = order.NotBefore, order.NotAfter
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
