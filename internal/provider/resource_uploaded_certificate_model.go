package provider

import (
	"context"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck"
)

// Expand and flatten of alicloudcas_uploaded_certificate.

// uploadedPEM is the Cert the service stores: the certificate followed by its chain, canonical.
func uploadedPEM(m uploadedCertificateModel) string {
	return certcheck.CanonicalPEM(m.Certificate.ValueString()) + certcheck.CanonicalPEM(m.Chain.ValueString())
}

// keyOf is the key from the argument or its write-only twin (read from the configuration: a
// write-only value is never in the plan).
func keyOf(key pemValue, writeOnly types.String) string {
	if !writeOnly.IsNull() && !writeOnly.IsUnknown() {
		return writeOnly.ValueString()
	}
	return key.ValueString()
}

// applyFacts sets the attributes known from the PEM.
func applyFacts(ctx context.Context, m *uploadedCertificateModel, f *certcheck.Facts) diag.Diagnostics {
	sans, diags := types.SetValueFrom(ctx, types.StringType, f.SANs)
	m.SANs = sans
	m.CommonName = types.StringValue(f.CommonName)
	m.Issuer = types.StringValue(f.Issuer)
	m.SerialNumber = types.StringValue(f.SerialNumber)
	m.FingerprintSHA256 = types.StringValue(f.FingerprintSHA256)
	m.KeyAlgorithm = types.StringValue(f.KeyAlgorithm)
	m.KeySize = types.Int64Value(int64(f.KeySize))
	m.NotBefore = types.StringValue(certcheck.FormatTime(f.NotBefore))
	m.NotAfter = types.StringValue(certcheck.FormatTime(f.NotAfter))
	return diags
}

// applyDetail sets what the service says of the certificate and may change behind Terraform's
// back: name, resource group, tags; and the ids. The PEM facts stay as planned: a CertId's content
// never changes.
func applyDetail(ctx context.Context, m *uploadedCertificateModel, c *cas.Certificate) diag.Diagnostics {
	m.ID = types.StringValue(strconv.FormatInt(c.ID, 10))
	m.CertificateID = types.Int64Value(c.ID)
	m.Identifier = types.StringValue(c.Identifier)
	m.InstanceID = types.StringValue(c.InstanceID)
	m.Name = types.StringValue(c.Name)
	m.ResourceGroupID = types.StringValue(c.ResourceGroupID)
	var diags diag.Diagnostics
	if len(c.Tags) == 0 && (m.Tags.IsNull() || len(m.Tags.Elements()) == 0) {
		return diags // keep null or {} as configured
	}
	m.Tags, diags = types.MapValueFrom(ctx, types.StringType, c.Tags)
	return diags
}

// applyImported fills what an import can know: the certificate as the service stores it (the
// certificate followed by its chain, all in certificate) and its facts. Keys stay empty.
func applyImported(ctx context.Context, m *uploadedCertificateModel, c *cas.Certificate) diag.Diagnostics {
	text := c.PEM
	if text == "" {
		m.SignCertificate = newPEMValue(certcheck.CanonicalPEM(c.SignPEM))
		m.EncryptCertificate = newPEMValue(certcheck.CanonicalPEM(c.EncryptPEM))
		text = c.SignPEM
	} else {
		m.Certificate = newPEMValue(certcheck.CanonicalPEM(c.PEM))
	}
	m.Chain, m.PrivateKey, m.SignPrivateKey, m.EncryptPrivateKey = nullPEMValue(), nullPEMValue(), nullPEMValue(), nullPEMValue()
	facts, err := certcheck.ReadFacts(text)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Could not read the imported certificate", err.Error())
		return diags
	}
	return applyFacts(ctx, m, facts)
}

// stringMap reads a map(string) attribute; null and unknown are empty.
func stringMap(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// diffTags is what changes from before to after: tags to set (new or changed) and keys to remove.
func diffTags(before, after map[string]string) (set map[string]string, removed []string) {
	set = map[string]string{}
	for k, v := range after {
		if old, ok := before[k]; !ok || old != v {
			set[k] = v
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			removed = append(removed, k)
		}
	}
	sort.Strings(removed)
	return set, removed
}
