package provider_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

const orderDataAddr = "data.alicloudcas_certificate_order.test"

func orderDataConfig(env *acctest.Env, id string) string {
	return env.Config(fmt.Sprintf(`
data "alicloudcas_certificate_order" "test" {
  order_id = %s
}
`, id))
}

// An order made outside Terraform (through the API) is read while it awaits validation, then once
// issued; an unknown order is an error naming it.
func TestAccCertificateOrderDataSource_outsideTerraform(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("quota is seeded and the CA is played through the emulator")
	seedPackage(t, env, "geotrust-dv-w-starter", 2, 0, 0)
	n, err := env.API.CreateOrder(env.Context(), cas.OrderRequest{
		ProductCode: "geotrust-dv-w-starter", Domains: []string{"*.shop.example.com"}, ValidateType: "DNS",
		Username: "Ops", Phone: "13800000000", Email: "pki@example.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(n, 10)
	dateTime := knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: orderDataConfig(env, id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("status"), knownvalue.StringExact("domain_verify")),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("product_code"), knownvalue.StringExact("geotrust-dv-w-starter")),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("domains"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("*.shop.example.com"),
					})),
					// The resource's shape: keyed by the validated domain, the record's full name.
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("validation_records"), knownvalue.MapExact(map[string]knownvalue.Check{
						"shop.example.com": knownvalue.ObjectExact(map[string]knownvalue.Check{
							"type":    knownvalue.StringExact("TXT"),
							"name":    knownvalue.StringExact("_dnsauth.shop.example.com"),
							"value":   knownvalue.StringRegexp(regexp.MustCompile(`^\w{16,}$`)),
							"path":    knownvalue.Null(),
							"content": knownvalue.Null(),
						}),
					})),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("certificate_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("certificate_pem"), knownvalue.Null()),
				},
			},
			{
				PreConfig: func() { approveAndIssue(t, env, id) },
				Config:    orderDataConfig(env, id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("status"), knownvalue.StringExact("certificate")),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("validation_records"), knownvalue.MapSizeExact(0)),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("certificate_identifier"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+-cn-hangzhou$`))),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("certificate_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----\n[^-]+\n-----END CERTIFICATE-----\n$`))),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("certificate_chain_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----`))),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("not_before"), dateTime),
					statecheck.ExpectKnownValue(orderDataAddr, tfjsonpath.New("not_after"), dateTime),
				},
				Check: func(s *terraformState) error {
					o, err := env.API.DescribeCertificateState(env.Context(), n)
					if err != nil {
						return err
					}
					if got := s.RootModule().Resources[orderDataAddr].Primary.Attributes["certificate_id"]; got != strconv.FormatInt(o.CertID, 10) {
						return fmt.Errorf("certificate_id = %s, the service issued %d", got, o.CertID)
					}
					return nil
				},
			},
			{
				Config:      orderDataConfig(env, "987654321"),
				ExpectError: regexp.MustCompile(`(?s)Certificate order 987654321 not found`),
			},
		},
	})
}
