package provider_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/provider"
)

const validationAddr = "alicloudcas_certificate_order_validation.test"

// validationTest prepares a test of the validation resource: quota for DV orders, the emulated
// clock at rate (emulated seconds per real second; 0 leaves it) and the provider polling every
// 100 ms instead of every 5 s.
func validationTest(t *testing.T, rate float64) *acctest.Env {
	t.Helper()
	env := acctest.New(t)
	env.RequireEmulator("the CA's decisions and the clock are played through the emulator")
	t.Cleanup(provider.SetOrderPollIntervalForTest(100 * time.Millisecond))
	seedPackage(t, env, "geotrust-dv-1-starter", 5, 0, 0)
	if rate != 0 {
		if _, err := env.Control.SetClockRate(env.Context(), rate); err != nil {
			t.Fatal(err)
		}
	}
	return env
}

// orderAndValidation is a DV order for domain and, unless validation is "", its validation with
// the given arguments.
func orderAndValidation(env *acctest.Env, domain, validation string) string {
	config := fmt.Sprintf(`
resource "alicloudcas_certificate_order" "test" {
  product_code = "geotrust-dv-1-starter"
  domains      = [%q]
%s
}
`, domain, dvContact)
	if validation != "" {
		config += `
resource "alicloudcas_certificate_order_validation" "test" {
  order_id = alicloudcas_certificate_order.test.order_id
` + validation + `
}
`
	}
	return env.Config(config)
}

// fqdnsFromOrder lists the records the order asks for, as a configuration would.
const fqdnsFromOrder = `  validation_record_fqdns = [for r in values(alicloudcas_certificate_order.test.validation_records) : r.name]`

// issuedChecks: the validation holds the certificate the service issued for the order.
func issuedChecks(env *acctest.Env) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(validationAddr, tfjsonpath.New("status"), knownvalue.StringExact("certificate")),
		statecheck.ExpectKnownValue(validationAddr, tfjsonpath.New("certificate_id"), knownvalue.NotNull()),
		statecheck.ExpectKnownValue(validationAddr, tfjsonpath.New("certificate_identifier"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+-cn-hangzhou$`))),
	}
}

// sameCertificateAsService compares the state's certificate_id with the order's at the service.
func sameCertificateAsService(env *acctest.Env) resource.TestCheckFunc {
	return func(s *terraformState) error {
		attrs := s.RootModule().Resources[validationAddr].Primary.Attributes
		id, _ := strconv.ParseInt(attrs["order_id"], 10, 64)
		o, err := env.API.DescribeCertificateState(env.Context(), id)
		if err != nil {
			return err
		}
		if got := attrs["certificate_id"]; o.Type != "certificate" || got != strconv.FormatInt(o.CertID, 10) {
			return fmt.Errorf("state certificate_id %s, service: order %d is %s with certificate %d", got, id, o.Type, o.CertID)
		}
		return nil
	}
}

// orderUntouched is a CheckDestroy: destroying the validation (and an order with deletion_policy
// = "retain") leaves the order issued at the service.
func orderUntouched(env *acctest.Env, id *string) resource.TestCheckFunc {
	return func(*terraformState) error {
		n, _ := strconv.ParseInt(*id, 10, 64)
		o, err := env.API.DescribeCertificateState(env.Context(), n)
		if err != nil {
			return fmt.Errorf("order %d after destroy: %w", n, err)
		}
		if o.Type != "certificate" {
			return fmt.Errorf("order %d is %s after destroy, want certificate", n, o.Type)
		}
		for _, action := range []string{"CancelOrderRequest", "DeleteCertificateRequest", "CancelCertificateForPackageRequest"} {
			if c := env.Calls(action); c != 0 {
				return fmt.Errorf("destroy sent %s %d times", action, c)
			}
		}
		return nil
	}
}

// One apply does it all: the order, the records' names, the wait. The zone's DNS is hosted in the
// account, so the service validates by itself and the CA issues after its review.
func TestAccCertificateOrderValidation_hostedZoneOneApply(t *testing.T) {
	env := validationTest(t, 100) // approval after 0.3 s, review 3 s
	if err := env.Control.AddHostedZone(env.Context(), "example.com"); err != nil {
		t.Fatal(err)
	}
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             orderUntouched(env, &id),
		Steps: []resource.TestStep{{
			Config: orderAndValidation(env, "www.example.com", fqdnsFromOrder),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(validationAddr, tfjsonpath.New("certificate_id")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: issuedChecks(env),
			Check: resource.ComposeAggregateTestCheckFunc(sameCertificateAsService(env), func(s *terraformState) error {
				id = orderIDOf(s)
				return nil
			}),
		}},
	})
}

// The order exists from an earlier run; the records' names are checked at plan time; the CA
// approves while the provider waits, then issues after its review.
func TestAccCertificateOrderValidation_approvedDuringWait(t *testing.T) {
	env := validationTest(t, 300) // review: 1 s
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             orderUntouched(env, &id),
		Steps: []resource.TestStep{
			{
				Config: orderAndValidation(env, "wait.example.com", ""),
				Check:  func(s *terraformState) error { id = orderIDOf(s); return nil },
			},
			{
				PreConfig: func() {
					// The CA approves a moment later, while terraform plans or the provider waits.
					go func() {
						time.Sleep(time.Second)
						if err := env.Control.Post(env.Context(), "orders/"+id+"/validation", map[string]string{"result": "approve"}, nil); err != nil {
							t.Error(err)
						}
					}()
				},
				Config: orderAndValidation(env, "wait.example.com", fqdnsFromOrder),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: issuedChecks(env),
				Check:             sameCertificateAsService(env),
			},
			// A second run changes nothing and waits for nothing.
			{
				Config: orderAndValidation(env, "wait.example.com", fqdnsFromOrder),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// The CA refuses the application while the provider waits: the apply fails with the reason and
// what to do, and the order is left as it is.
func TestAccCertificateOrderValidation_verifyFail(t *testing.T) {
	env := validationTest(t, 0) // real time: the 5-minute review outlasts the test
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: orderAndValidation(env, "fail.example.com", ""),
				Check:  func(s *terraformState) error { id = orderIDOf(s); return nil },
			},
			{
				PreConfig: func() {
					ctx := env.Context()
					if err := env.Control.Post(ctx, "orders/"+id+"/validation", map[string]string{"result": "approve"}, nil); err != nil {
						t.Fatal(err)
					}
					go func() {
						time.Sleep(time.Second)
						if err := env.Control.Post(ctx, "orders/"+id+"/validation", map[string]string{"result": "fail"}, nil); err != nil {
							t.Error(err)
						}
					}()
				},
				Config:      orderAndValidation(env, "fail.example.com", fqdnsFromOrder),
				ExpectError: regexp.MustCompile(`(?s)was not issued.*verify_fail.*R-21.*-replace=.*quota.*DeleteCertificateRequest`),
			},
		},
	})
	n, _ := strconv.ParseInt(id, 10, 64)
	if o, err := env.API.DescribeCertificateState(env.Context(), n); err != nil || o.Type != "verify_fail" {
		t.Errorf("order %s after the failed wait: %+v, %v; want verify_fail, untouched", id, o, err)
	}
}

// The order exists and validation_record_fqdns misses its record: the plan fails, naming it.
func TestAccCertificateOrderValidation_missingRecordAtPlan(t *testing.T) {
	env := validationTest(t, 0)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: orderAndValidation(env, "missing.example.com", ""),
				Check:  func(s *terraformState) error { id = orderIDOf(s); return nil },
			},
			{
				Config:      orderAndValidation(env, "missing.example.com", `  validation_record_fqdns = ["_dnsauth.other.example.com"]`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)R-24.*_dnsauth\.missing\.example\.com.*is not in.*validation_record_fqdns`),
			},
		},
	})
	if id == "" {
		t.Fatal("the order was not created")
	}
}

// Order and validation in one apply, with a record name that is not the order's: the order id is
// unknown at plan time; the apply's own plan of the validation, once the order exists, fails at
// once instead of waiting out the timeout.
func TestAccCertificateOrderValidation_missingRecordAtCreate(t *testing.T) {
	env := validationTest(t, 0)
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: orderAndValidation(env, "typo.example.com", `  validation_record_fqdns = ["_dnsauth.typo.example.org"]
  timeouts = {
    create = "2m"
  }`),
			ExpectError: regexp.MustCompile(`(?s)R-24.*_dnsauth\.typo\.example\.com.*is not in.*validation_record_fqdns`),
		}},
	})
	if d := time.Since(start); d > time.Minute {
		t.Errorf("the missing record took %s to report: it waited", d)
	}
}

// An order made outside Terraform and already issued: create returns at once. When the order is
// deleted behind Terraform's back, the validation leaves the state with a warning.
func TestAccCertificateOrderValidation_existingOrderThenGone(t *testing.T) {
	env := validationTest(t, 0)
	ctx := env.Context()
	n, err := env.API.CreateOrder(ctx, cas.OrderRequest{ProductCode: "geotrust-dv-1-starter", Domains: []string{"api.example.com"}, ValidateType: "DNS",
		Username: "Ops", Phone: "13800000000", Email: "pki@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(n, 10)
	approveAndIssue(t, env, id)
	config := env.Config(fmt.Sprintf(`
resource "alicloudcas_certificate_order_validation" "test" {
  order_id = %s
}
`, id))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: issuedChecks(env),
				Check:             sameCertificateAsService(env),
			},
			{
				PreConfig: func() {
					if err := env.Control.DeleteObject(env.Context(), "orders", id); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true, // removed from the state: planned again
			},
		},
	})
}
