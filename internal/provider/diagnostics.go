package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/certforge/terraform-provider-alicloudcas/internal/auth"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

// providerClient takes the API client from a Configure request; nil data means the provider is
// not configured yet (validation), which is not an error.
func providerClient(data any, diags *diag.Diagnostics) *cas.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*cas.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *cas.Client, got %T: this is a bug in the provider, please report it", data))
	}
	return c
}

// addAPIError turns a client error into a diagnostic with a summary that says what failed, and a
// detail that says why and what to do.
func addAPIError(diags *diag.Diagnostics, summary string, err error) {
	var none *auth.NoCredentialsError
	switch {
	case errors.As(err, &none):
		diags.AddError("No Alibaba Cloud credentials", err.Error())
	case cas.IsAuth(err):
		diags.AddError("Alibaba Cloud credentials rejected", err.Error())
	default:
		diags.AddError(summary, err.Error())
	}
}
