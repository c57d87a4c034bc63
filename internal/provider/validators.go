package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// stringCheck is a plan-time check of one string argument, made without any API call: check
// answers an empty summary when the value is fine, else the error's summary and detail (what is
// wrong, why, how to fix it). Null and unknown values are not checked.
type stringCheck struct {
	description string
	check       func(value string) (summary, detail string)
}

var _ validator.String = stringCheck{}

func (c stringCheck) Description(context.Context) string { return c.description }

func (c stringCheck) MarkdownDescription(context.Context) string { return c.description }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if summary, detail := c.check(req.ConfigValue.ValueString()); summary != "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary, detail)
	}
}
