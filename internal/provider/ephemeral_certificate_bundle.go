package provider

import (
	"context"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

var (
	_ ephemeral.EphemeralResource              = (*certificateBundleEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*certificateBundleEphemeralResource)(nil)
)

// NewCertificateBundleEphemeralResource returns the alicloudcas_certificate_bundle ephemeral
// resource.
func NewCertificateBundleEphemeralResource() ephemeral.EphemeralResource {
	return &certificateBundleEphemeralResource{}
}

type certificateBundleEphemeralResource struct{ client *cas.Client }

func (r *certificateBundleEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_bundle"
}

func (r *certificateBundleEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	pemResult := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	keyResult := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Sensitive: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A certificate with its chain and, when the service holds it, its private key, read " +
			"(`GetUserCertificateDetail`) every time Terraform needs it and kept in memory only: an ephemeral resource " +
			"is never written to the plan or the state (Terraform 1.10 and later). Use its results in other " +
			"providers' write-only arguments (`*_wo`), in provider configurations, or in other ephemeral resources.\n\n" +
			"**Which certificates have a key.** The service holds the key of a purchased certificate applied for with " +
			"a system-generated CSR, and answers it; a certificate applied for with your own CSR has none there " +
			"(R-23), and `private_key` is then null. For an **uploaded** certificate the API answers the key that was " +
			"uploaded (although the console does not export it, R-47), and the bundle returns it: it is the same key " +
			"your configuration or secret store already holds. For a certificate shared with this account (R-52: the " +
			"receiver cannot download it) the bundle returns whatever the service answers, which may be no key.\n\n" +
			"The provider logs the call (action, attempt, duration, request id) but never its answer.",
		Attributes: map[string]schema.Attribute{
			"certificate_id": schema.Int64Attribute{
				Required:            true,
				MarkdownDescription: "The certificate's ID (`CertId`), e.g. an `alicloudcas_certificate` data source's `certificate_id`.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"certificate": pemResult("The server certificate (the first PEM block the service stores), in PEM. Null for an " +
				"SM2 dual certificate: see `sign_certificate`."),
			"certificate_chain": pemResult("The certificates stored after the server certificate (intermediates, and the root " +
				"when it was uploaded, R-43), in PEM; null when there are none."),
			"private_key": keyResult("The server certificate's private key in PEM, as the service answers it; null when the " +
				"service does not hold one."),
			"sign_certificate":    pemResult("SM2 dual certificates (R-44): the signing certificate, in PEM; null otherwise."),
			"sign_private_key":    keyResult("SM2: the signing certificate's private key, in PEM; null when none."),
			"encrypt_certificate": pemResult("SM2: the encryption certificate, in PEM; null otherwise."),
			"encrypt_private_key": keyResult("SM2: the encryption certificate's private key, in PEM; null when none."),
		},
	}
}

func (r *certificateBundleEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.client = providerClient(req.ProviderData, &resp.Diagnostics)
}

type certificateBundleModel struct {
	CertificateID      types.Int64  `tfsdk:"certificate_id"`
	Certificate        types.String `tfsdk:"certificate"`
	CertificateChain   types.String `tfsdk:"certificate_chain"`
	PrivateKey         types.String `tfsdk:"private_key"`
	SignCertificate    types.String `tfsdk:"sign_certificate"`
	SignPrivateKey     types.String `tfsdk:"sign_private_key"`
	EncryptCertificate types.String `tfsdk:"encrypt_certificate"`
	EncryptPrivateKey  types.String `tfsdk:"encrypt_private_key"`
}

func (r *certificateBundleEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m certificateBundleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.client == nil {
		resp.Diagnostics.AddError("Provider not configured",
			"The alicloudcas provider gave ephemeral resources no API client (its Configure must set "+
				"EphemeralResourceData): this is a bug in the provider, please report it.")
		return
	}
	id := m.CertificateID.ValueInt64()
	b, err := r.client.GetCertificateBundle(ctx, id)
	switch {
	case cas.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("certificate_id"), fmt.Sprintf("Certificate %d not found", id),
			fmt.Sprintf("No certificate %d exists in region %s (GetUserCertificateDetail answered not found): it was deleted, "+
				"or belongs to another account or region.", id, r.client.Region()))
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not read certificate %d", id), err)
		return
	}
	leaf, chain := splitCertificateChain(b.Cert)
	m.Certificate, m.CertificateChain = nullIfEmpty(leaf), nullIfEmpty(chain)
	m.PrivateKey = nullIfEmpty(b.Key)
	m.SignCertificate, m.SignPrivateKey = nullIfEmpty(b.SignCert), nullIfEmpty(b.SignPrivateKey)
	m.EncryptCertificate, m.EncryptPrivateKey = nullIfEmpty(b.EncryptCert), nullIfEmpty(b.EncryptPrivateKey)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

// splitCertificateChain cuts the service's certificate text into the first PEM block (the server
// certificate) and the rest (its chain), each as given and ending in one newline. Text without
// PEM is all "leaf", for the caller to see.
func splitCertificateChain(text string) (leaf, chain string) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return "", ""
	}
	block, rest := pem.Decode([]byte(text))
	if block == nil {
		return text + "\n", ""
	}
	first := text[:len(text)-len(rest)]
	if i := strings.Index(first, "-----BEGIN"); i > 0 {
		first = first[i:]
	}
	leaf = strings.TrimSpace(first) + "\n"
	if r := strings.TrimSpace(string(rest)); r != "" {
		chain = r + "\n"
	}
	return leaf, chain
}
