package provider_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
	"github.com/certforge/terraform-provider-alicloudcas/internal/provider"
)

const orderAddr = "alicloudcas_certificate_order.test"

// orderConfig is one alicloudcas_certificate_order with the given arguments.
func orderConfig(env *acctest.Env, args string) string {
	return env.Config("resource \"alicloudcas_certificate_order\" \"test\" {\n" + args + "\n}\n")
}

const dvContact = `
  contact_name  = "Ops"
  contact_phone = "13800000000"
  contact_email = "pki@example.com"`

func orderTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

// orderIDOf reads the order id from the state.
func orderIDOf(s *terraformState) string { return s.RootModule().Resources[orderAddr].Primary.ID }

func TestAccCertificateOrder_dvWildcard(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("quota is seeded and the order is approved through the emulator")
	seedPackage(t, env, "geotrust-dv-w-starter", 2, 0, 0)
	config := orderConfig(env, `
  product_code = "geotrust-dv-w-starter"
  domains      = ["*.Example.com"]`+dvContact)
	var id string
	orderTest(t,
		resource.TestStep{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				// Known at plan time: what GeoTrust will issue, and the records' keys.
				plancheck.ExpectKnownValue(orderAddr, tfjsonpath.New("effective_domains"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("*.example.com"), knownvalue.StringExact("example.com"),
				})),
				plancheck.ExpectUnknownValue(orderAddr, tfjsonpath.New("validation_records").AtMapKey("example.com")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("domain_verify")),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("validation_records").AtMapKey("example.com"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"type":  knownvalue.StringExact("TXT"),
					"name":  knownvalue.StringExact("_dnsauth.example.com"),
					"value": knownvalue.StringRegexp(regexp.MustCompile(`^\w{16,}$`)),
				})),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("certificate_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("deletion_policy"), knownvalue.StringExact("retain")),
			},
			Check: func(s *terraformState) error {
				id = orderIDOf(s)
				if n := env.Calls("CreateCertificateForPackageRequest"); n != 1 {
					return fmt.Errorf("%d applications sent, want 1", n)
				}
				return nil
			},
		},
		// The CA validates and issues: the refresh shows the certificate; the records stay.
		resource.TestStep{
			PreConfig: func() {
				approveAndIssue(t, env, id)
			},
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("certificate")),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("certificate_identifier"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+-cn-hangzhou$`))),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("certificate_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----`))),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("validation_records").AtMapKey("example.com").AtMapKey("type"), knownvalue.StringExact("TXT")),
			},
		},
		resource.TestStep{ResourceName: orderAddr, ImportState: true, ImportStateVerify: true,
			// Only the configuration knows the applicant; the service shows the validation records only
			// while it waits for them, so an import after issuance has none.
			ImportStateVerifyIgnore: []string{"contact_name", "contact_phone", "contact_email", "domains.0", "timeouts", "validation_records"}},
	)
	if n := env.Calls("CreateCertificateForPackageRequest"); n != 1 {
		t.Errorf("%d applications in all, want 1", n)
	}
	if n := env.Calls("CancelOrderRequest"); n != 0 {
		t.Errorf("destroy with deletion_policy = retain sent %d cancellations", n)
	}
}

// approveAndIssue plays the CA: the domain validation succeeds and the certificate is issued.
func approveAndIssue(t *testing.T, env *acctest.Env, id string) {
	t.Helper()
	ctx := env.Context()
	if err := env.Control.Post(ctx, "orders/"+id+"/validation", map[string]string{"result": "approve"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := env.Control.Post(ctx, "orders/"+id+"/issue", nil, nil); err != nil {
		t.Fatal(err)
	}
}

// Every rule the plan can check stops it, with the rule and the fix, before any API call.
func TestAccCertificateOrder_planTimeRefusals(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator counts the API calls")
	for _, tt := range []struct {
		name, args, want string
	}{
		{"unknown product", `product_code = "geotrust-dv-9-starter"
  domains = ["www.example.com"]`, `(?s)product_code.*geotrust-dv-1-starter`},
		{"R-04 two wildcard labels", `product_code = "geotrust-dv-w-starter"
  domains = ["*.*.example.com"]`, `(?s)R-04.*"\*\.example\.com"`},
		{"R-03 wildcard on a single-name product", `product_code = "geotrust-dv-1-starter"
  domains = ["*.example.com"]`, `(?s)R-03.*wildcard product`},
		{"R-03 wildcard on a public suffix", `product_code = "geotrust-dv-w-starter"
  domains = ["*.co.jp"]`, `(?s)R-03.*public suffix`},
		{"R-02 private IP", `product_code = "geotrust-dv-1-starter"
  domains = ["10.0.0.1"]`, `(?s)R-02.*private`},
		{"R-15 mixed through the API", `product_code = "globalsign-ov-w-advanced"
  domains = ["*.example.com", "www.example.org"]
  company_name = "Example Ltd"`, `(?s)R-0[36]|R-15`},
		{"R-05 six names", `product_code = "geotrust-dv-1-starter"
  domains = ["a.example.com", "b.example.com", "c.example.com", "d.example.com", "e.example.com", "f.example.com"]`, `(?s)domains`},
		{"R-07 duplicate after normalisation", `product_code = "geotrust-dv-1-starter"
  domains = ["www.example.com", "WWW.example.com."]`, `(?s)R-07`},
		{"R-12 non-ASCII name", `product_code = "geotrust-dv-1-starter"
  domains = ["ドメイン.com"]`, `(?s)R-12.*xn--`},
		{"R-24 file validation of a wildcard", `product_code = "geotrust-dv-w-starter"
  domains = ["*.example.com"]
  validation_method = "FILE"`, `(?s)R-24.*DNS`},
		{"R-25 OV without company", `product_code = "geotrust-ov-1-personal"
  domains = ["www.example.com"]`, `(?s)R-25.*company_name`},
		{"R-25 EV with free mail", `product_code = "cfca-ev-w-advanced"
  domains = ["*.example.com"]
  company_name = "Example Ltd"
  contact_name = "Boss"
  contact_phone = "13800000000"
  contact_email = "boss@qq.com"`, `(?s)R-25.*free mail`},
		{"R-18 partial contact", `product_code = "geotrust-dv-1-starter"
  domains = ["www.example.com"]
  contact_name = "Ops"`, `(?s)R-18`},
		{"R-26 renewal of a multi-domain certificate", `product_code = "geotrust-dv-1-starter"
  domains = ["a.example.com", "b.example.com"]
  renew_before_days = 20`, `(?s)R-26.*new alicloudcas_certificate_order`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			orderTest(t, resource.TestStep{Config: orderConfig(env, tt.args), PlanOnly: true, ExpectError: regexp.MustCompile(tt.want)})
		})
	}
	if n := env.Calls(""); n != 0 {
		t.Errorf("%d API calls reached the emulator during plans that failed validation", n)
	}
}

// The application's answer is lost after the service created the order: the provider finds and
// adopts that order; it never applies (and pays) twice.
func TestAccCertificateOrder_lostAnswerMakesOneOrder(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator drops the connection after committing")
	seedPackage(t, env, "geotrust-dv-1-starter", 5, 0, 0)
	if err := env.Control.SetFaults(env.Context(), control.Faults{DropAfterCommitRate: 1, Actions: []string{"CreateCertificateForPackageRequest"}}); err != nil {
		t.Fatal(err)
	}
	orderTest(t, resource.TestStep{
		Config: orderConfig(env, `
  product_code = "geotrust-dv-1-starter"
  domains      = ["lost.example.com"]`+dvContact),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("domain_verify")),
		},
		Check: func(s *terraformState) error {
			orders, err := env.Control.Objects(env.Context(), "orders")
			if err != nil {
				return err
			}
			if n := len(orders.(map[string]any)); n != 1 {
				return fmt.Errorf("%d orders exist after one lost answer, want 1", n)
			}
			if n := env.Calls("CreateCertificateForPackageRequest"); n != 1 {
				return fmt.Errorf("the application was sent %d times, want 1", n)
			}
			if _, ok := orders.(map[string]any)[orderIDOf(s)]; !ok {
				return fmt.Errorf("the state's order %s is not the one the service created", orderIDOf(s))
			}
			return nil
		},
	})
}

// deletion_policy = cancel: an application awaiting validation is cancelled; one in the CA's
// review cannot be, and destroy says why.
func TestAccCertificateOrder_cancel(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the order is moved into review through the emulator")
	seedPackage(t, env, "geotrust-dv-1-starter", 5, 0, 0)
	args := `
  product_code    = "geotrust-dv-1-starter"
  domains         = ["cancel.example.com"]
  deletion_policy = "cancel"` + dvContact
	orderTest(t, resource.TestStep{Config: orderConfig(env, args)})
	if n := env.Calls("CancelOrderRequest"); n != 1 {
		t.Errorf("destroy sent %d cancellations, want 1", n)
	}

	env2 := acctest.New(t)
	seedPackage(t, env2, "geotrust-dv-1-starter", 5, 0, 0)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: orderConfig(env2, args), Check: func(s *terraformState) error { id = orderIDOf(s); return nil }},
			{
				PreConfig: func() {
					if err := env2.Control.Post(env2.Context(), "orders/"+id+"/validation", map[string]string{"result": "approve"}, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:      orderConfig(env2, args),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)cannot be cancelled.*R-22.*retain`),
			},
			// Leave it with retain, as the error says.
			{Config: orderConfig(env2, strings.Replace(args, `"cancel"`, `"retain"`, 1))},
		},
	})
	if n := env2.Calls("CancelOrderRequest"); n != 0 {
		t.Errorf("%d cancellations sent for an order in review", n)
	}
}

// Inside renew_before_days the plan shows an in-place renewal; apply renews; the next plan is
// empty while the renewal awaits validation.
func TestAccCertificateOrder_renewal(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the clock is moved and the CA is played through the emulator")
	seedPackage(t, env, "geotrust-dv-1-starter", 5, 0, 0)
	config := orderConfig(env, `
  product_code      = "geotrust-dv-1-starter"
  domains           = ["renew.example.com"]
  renew_before_days = 20`+dvContact)
	var id, certID string
	orderTest(t,
		resource.TestStep{Config: config, Check: func(s *terraformState) error { id = orderIDOf(s); return nil }},
		resource.TestStep{
			PreConfig: func() { approveAndIssue(t, env, id) },
			Config:    config,
			Check: func(s *terraformState) error {
				certID = s.RootModule().Resources[orderAddr].Primary.Attributes["certificate_id"]
				if certID == "" {
					return fmt.Errorf("no certificate after issuance")
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig: func() {
				// 350 days later for the service and for the provider: 15 days are left.
				if _, err := env.Control.Advance(env.Context(), 350*24*time.Hour); err != nil {
					t.Fatal(err)
				}
				restore := provider.SetNowForTest(func() time.Time { return time.Now().Add(350 * 24 * time.Hour) })
				t.Cleanup(restore)
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(orderAddr, plancheck.ResourceActionUpdate),
				plancheck.ExpectUnknownValue(orderAddr, tfjsonpath.New("order_id")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				// The service creates the renewal pending its application (cas-certs.md §4).
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("payed")),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("renewed_certificate_ids"), knownvalue.ListSizeExact(1)),
			},
			Check: func(s *terraformState) error {
				if orderIDOf(s) == id {
					return fmt.Errorf("the order id did not change after renewal")
				}
				if n := env.Calls("RenewCertificateOrderForPackageRequest"); n != 1 {
					return fmt.Errorf("%d renewals sent, want 1", n)
				}
				if got := s.RootModule().Resources[orderAddr].Primary.Attributes["renewed_certificate_ids.0"]; got != certID {
					return fmt.Errorf("renewed_certificate_ids[0] = %s, want %s", got, certID)
				}
				_, err := strconv.ParseInt(orderIDOf(s), 10, 64)
				return err
			},
		},
	)
}

// A failed review shows in the plan (a warning with the reason) and in status.
func TestAccCertificateOrder_failedReview(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the CA's refusal is played through the emulator")
	seedPackage(t, env, "geotrust-dv-1-starter", 5, 0, 0)
	config := orderConfig(env, `
  product_code = "geotrust-dv-1-starter"
  domains      = ["fail.example.com"]`+dvContact)
	var id string
	orderTest(t,
		resource.TestStep{Config: config, Check: func(s *terraformState) error { id = orderIDOf(s); return nil }},
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.Post(env.Context(), "orders/"+id+"/validation", map[string]string{"result": "fail"}, nil); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("verify_fail")),
			},
		},
	)
}

// The whole flow in one configuration and one apply: the order, DNS records made with for_each
// over validation_records (terraform_data stands in for a DNS provider; the emulator's hosted zone
// plays the DNS the CA reads, R-24), the wait for issuance, and a consumer of the certificate.
func TestAccCertificateOrder_fullFlow(t *testing.T) {
	env := acctest.New(t, func(o *emulator.Options) { o.ClockRate = 200 })
	env.RequireEmulator("the emulator's clock and hosted zone play the CA")
	restore := provider.SetOrderPollIntervalForTest(100 * time.Millisecond)
	t.Cleanup(restore)
	seedPackage(t, env, "geotrust-dv-w-starter", 1, 0, 0)
	if err := env.Control.AddHostedZone(env.Context(), "example.net"); err != nil {
		t.Fatal(err)
	}
	orderTest(t, resource.TestStep{
		Config: env.Config(`
resource "alicloudcas_certificate_order" "test" {
  product_code = "geotrust-dv-w-starter"
  domains      = ["*.example.net"]` + dvContact + `
}

# Any DNS provider. The map's keys are known at plan time, so for_each (or, as here, count: the
# test harness's state reader does not take string instance keys) plans in the same apply.
locals {
  records = values(alicloudcas_certificate_order.test.validation_records)
}

resource "terraform_data" "dns" {
  count = length(alicloudcas_certificate_order.test.validation_records)
  input = { name = local.records[count.index].name, type = local.records[count.index].type, value = local.records[count.index].value }
}

resource "alicloudcas_certificate_order_validation" "test" {
  order_id                = alicloudcas_certificate_order.test.order_id
  validation_record_fqdns = [for r in terraform_data.dns : r.output.name]
}

data "alicloudcas_certificate" "issued" {
  certificate_id = alicloudcas_certificate_order_validation.test.certificate_id
}

output "served_names" {
  value = data.alicloudcas_certificate.issued.subject_alternative_names
}

output "dns_records" {
  value = [for r in terraform_data.dns : r.output.name]
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("dns_records", knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("_dnsauth.example.net"),
			})),
			statecheck.ExpectKnownValue("alicloudcas_certificate_order_validation.test", tfjsonpath.New("status"), knownvalue.StringExact("certificate")),
			// GeoTrust adds the base domain to a wildcard of a registrable domain.
			statecheck.ExpectKnownOutputValue("served_names", knownvalue.SetExact([]knownvalue.Check{
				knownvalue.StringExact("*.example.net"), knownvalue.StringExact("example.net"),
			})),
		},
	})
}

// A FILE-validated DV order and an OV order, side by side.
func TestAccCertificateOrder_fileAndOV(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("quota is seeded through the emulator")
	seedPackage(t, env, "geotrust-dv-1-starter", 1, 0, 0)
	seedPackage(t, env, "geotrust-ov-1-personal", 1, 0, 0)
	orderTest(t, resource.TestStep{
		Config: env.Config(`
resource "alicloudcas_certificate_order" "file" {
  product_code      = "geotrust-dv-1-starter"
  domains           = ["files.example.com"]
  validation_method = "FILE"` + dvContact + `
}

resource "alicloudcas_certificate_order" "ov" {
  product_code = "geotrust-ov-1-personal"
  domains      = ["www.example.org"]
  company_name = "Example Ltd"` + dvContact + `
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("alicloudcas_certificate_order.file", tfjsonpath.New("validation_records").AtMapKey("files.example.com"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"type":    knownvalue.StringExact("FILE"),
				"path":    knownvalue.StringRegexp(regexp.MustCompile(`^/\.well-known/pki-validation/`)),
				"content": knownvalue.NotNull(),
				"name":    knownvalue.Null(),
			})),
			statecheck.ExpectKnownValue("alicloudcas_certificate_order.ov", tfjsonpath.New("status"), knownvalue.StringExact("domain_verify")),
			statecheck.ExpectKnownValue("alicloudcas_certificate_order.ov", tfjsonpath.New("effective_domains"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("www.example.org"), knownvalue.StringExact("example.org"),
			})),
		},
	})
	reqs := mustRequests(t, env, "CreateCertificateForPackageRequest")
	if len(reqs) != 2 {
		t.Fatalf("%d applications, want 2", len(reqs))
	}
	for _, r := range reqs {
		if r.Params["ProductCode"] == "geotrust-ov-1-personal" && r.Params["CompanyName"] != "Example Ltd" {
			t.Errorf("the OV application was sent without its company: %v", r.Params)
		}
	}
}

// A China-site product ordered through an international-site region fails the plan,
// before any API call.
func TestAccCertificateOrder_chinaOnlyProductOnInternationalSite(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator counts the API calls")
	orderTest(t, resource.TestStep{
		Config: env.ProviderBlock(`region = "ap-southeast-1"`) + `
resource "alicloudcas_certificate_order" "test" {
  product_code = "digicert-free-1-free"
  domains      = ["www.example.com"]` + dvContact + `
}`,
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)R-19.*China site`),
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("%d API calls reached the emulator", n)
	}
}
