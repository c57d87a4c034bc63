package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
)

// pemType is a string holding PEM text, compared by meaning: CRLF or LF, trailing newlines,
// white space and the width of base64 lines never make a diff (certcheck.SamePEM).
type pemType struct{ basetypes.StringType }

var (
	_ basetypes.StringTypable                    = pemType{}
	_ basetypes.StringValuableWithSemanticEquals = pemValue{}
)

func (t pemType) Equal(o attr.Type) bool {
	other, ok := o.(pemType)
	return ok && t.StringType.Equal(other.StringType)
}

func (t pemType) String() string { return "pemType" }

func (t pemType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return pemValue{StringValue: in}, nil
}

func (t pemType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return pemValue{StringValue: s}, nil
}

func (t pemType) ValueType(context.Context) attr.Value { return pemValue{} }

// pemValue is a value of pemType.
type pemValue struct{ basetypes.StringValue }

func (v pemValue) Equal(o attr.Value) bool {
	other, ok := o.(pemValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

func (v pemValue) Type(context.Context) attr.Type { return pemType{} }

// StringSemanticEquals keeps the prior value when the new text holds the same PEM blocks.
func (v pemValue) StringSemanticEquals(_ context.Context, newValue basetypes.StringValuable) (bool, diag.Diagnostics) {
	n, ok := newValue.(pemValue)
	if !ok {
		return false, nil
	}
	return certcheck.SamePEM(v.ValueString(), n.ValueString()), nil
}

func newPEMValue(s string) pemValue { return pemValue{StringValue: basetypes.NewStringValue(s)} }

func nullPEMValue() pemValue { return pemValue{StringValue: basetypes.NewStringNull()} }
