package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
)

var _ provider.ProviderWithEphemeralResources = (*casProvider)(nil)

// EphemeralResources are the provider's ephemeral resources (Terraform 1.10 and later): values
// read at each run and kept in memory only, never in plan or state. They get the API client from
// Configure's EphemeralResourceData.
func (p *casProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewCertificateBundleEphemeralResource,
	}
}
