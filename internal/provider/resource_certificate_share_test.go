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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

const (
	shareAddr = "alicloudcas_certificate_share.test"
	// Two receiving accounts (16-digit UIDs, like the SDK's example).
	targetA = "1622883344556677"
	targetB = "1899000011112222"
)

// purchasedCertificates buys one certificate per domain from a seeded resource plan, has the CA
// issue each, and answers their certificate ids: what a share needs.
func purchasedCertificates(t *testing.T, env *acctest.Env, domains ...string) []int64 {
	t.Helper()
	const product = "geotrust-dv-1-starter"
	seedPackage(t, env, product, len(domains), 0, 0)
	ids := make([]int64, 0, len(domains))
	for _, d := range domains {
		order, err := env.API.CreateOrder(env.Context(), cas.OrderRequest{ProductCode: product, Domains: []string{d},
			ValidateType: "DNS", Username: "Ops", Phone: "13800000000", Email: "pki@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		approveAndIssue(t, env, strconv.FormatInt(order, 10))
		st, err := env.API.DescribeCertificateState(env.Context(), order)
		if err != nil || st.CertID == 0 {
			t.Fatalf("order %d after issuance: %+v, %v", order, st, err)
		}
		ids = append(ids, st.CertID)
	}
	return ids
}

func shareConfig(env *acctest.Env, certID int64, target string) string {
	return env.Config(shareBlock("test", certID, target))
}

func shareBlock(name string, certID int64, target string) string {
	return fmt.Sprintf(`
resource "alicloudcas_certificate_share" %q {
  certificate_id    = %d
  target_account_id = %q
}
`, name, certID, target)
}

// emulatorShares are the shares the emulator holds (the API cannot list them).
func emulatorShares(env *acctest.Env) ([]map[string]any, error) {
	all, err := env.Control.Objects(env.Context(), "shares")
	if err != nil {
		return nil, err
	}
	list, _ := all.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// sharedWith checks that the emulator holds exactly one share of certID, to target.
func sharedWith(env *acctest.Env, certID int64, target string) error {
	shares, err := emulatorShares(env)
	if err != nil {
		return err
	}
	var found []string
	for _, s := range shares {
		if fmt.Sprint(s["certificate_id"]) == strconv.FormatInt(certID, 10) {
			found = append(found, fmt.Sprint(s["target_user_id"]))
		}
	}
	if len(found) != 1 || found[0] != target {
		return fmt.Errorf("the emulator shares certificate %d with %v, want [%s]", certID, found, target)
	}
	return nil
}

// shareStillThere is the CheckDestroy of shares: destroy sends nothing, so the service still holds
// every share the state had, and nothing was revoked, cancelled or deleted to undo it.
func shareStillThere(env *acctest.Env, certID int64, target string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if err := sharedWith(env, certID, target); err != nil {
			return fmt.Errorf("after destroy: %w", err)
		}
		for _, action := range []string{"CancelCertificateForPackageRequest", "CancelOrderRequest", "DeleteCertificateRequest", "DeleteUserCertificate"} {
			if n := env.Calls(action); n != 0 {
				return fmt.Errorf("destroy sent %d %s: a share is only forgotten", n, action)
			}
		}
		return nil
	}
}

// wrapped matches text however Terraform wraps it into lines: each space matches any run of
// white space.
func wrapped(text string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(text, " ", `\s+`))
}

func shareCalls(env *acctest.Env, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := env.Calls("ShareCertificate"); n != want {
			return fmt.Errorf("%d ShareCertificate calls, want %d", n, want)
		}
		return nil
	}
}

func TestAccCertificateShare_lifecycle(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("a purchased certificate is issued and shares are seen through the control API")
	cert := purchasedCertificates(t, env, "www.example.com")[0]
	id := fmt.Sprintf("%d:%s", cert, targetA)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             shareStillThere(env, cert, targetA),
		Steps: []resource.TestStep{
			{
				Config: shareConfig(env, cert, targetA),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(shareAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(shareAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					plancheck.ExpectUnknownValue(shareAddr, tfjsonpath.New("shared_at")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(shareAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(shareAddr, tfjsonpath.New("certificate_id"), knownvalue.Int64Exact(cert)),
					statecheck.ExpectKnownValue(shareAddr, tfjsonpath.New("target_account_id"), knownvalue.StringExact(targetA)),
					statecheck.ExpectKnownValue(shareAddr, tfjsonpath.New("shared_at"),
						knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error { return sharedWith(env, cert, targetA) },
					shareCalls(env, 1),
				),
			},
			// Nothing to do on the next plan: the share is not read back, the certificate is.
			{
				Config: shareConfig(env, cert, targetA),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: shareCalls(env, 1),
			},
			// Import: everything but the time, which the service does not tell.
			{
				ResourceName:            shareAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"shared_at"},
			},
			// Another receiver for the same certificate: refused at plan, nothing sent.
			{
				Config:      shareConfig(env, cert, targetB),
				ExpectError: wrapped(`R-52: Certificate \d+ is already shared.*account ` + targetA),
			},
			{
				Config: shareConfig(env, cert, targetA),
				Check:  shareCalls(env, 1),
			},
		},
	})
}

// Every check the plan can make stops it before anything is shared: the account ID's form (no
// API call), and, with one free read, the certificate and the configuration's other
// shares.
func TestAccCertificateShare_planTimeRefusals(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("certificates of every source are seeded and calls are counted through the control API")
	bought := purchasedCertificates(t, env, "www.example.com", "old.example.com")
	expired := bought[1]
	if err := env.Control.PatchObject(env.Context(), "certificates", strconv.FormatInt(expired, 10),
		map[string]any{"not_after": time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	s := newCertSeeder(t, env)
	now := time.Now().UTC()
	uploaded := s.upload("uploaded-shop", now.Add(-time.Hour), now.Add(90*24*time.Hour), "shop.example.com")
	received := s.upload("received-mail", now.Add(-time.Hour), now.Add(90*24*time.Hour), "mail.example.com")
	s.setSource(received, "share", "cas-cn-sharedmail01")

	for _, tt := range []struct {
		name, config, want string
		reads              bool // the refusal needs the certificate read at plan
	}{
		{"uploaded certificate (R-51)", shareBlock("test", uploaded.id, targetA),
			`R-51: Certificate \d+ was uploaded.*only certificates purchased`, true},
		{"received share (R-52)", shareBlock("test", received.id, targetA),
			`R-52: Certificate \d+ was shared with this account.*cannot be shared again`, true},
		{"expired certificate (R-51)", shareBlock("test", expired, targetA),
			`R-51: Certificate \d+ has expired`, true},
		{"unknown certificate", shareBlock("test", bought[0]+100000, targetA),
			`Certificate \d+ does not exist`, true},
		{"two receivers in one configuration (R-52)", shareBlock("a", bought[0], targetA) + shareBlock("b", bought[0], targetB),
			`R-52: Certificate \d+ is shared twice in this configuration`, false},
		{"account id too short", shareBlock("test", bought[0], "162288334455"), `Invalid account ID.*16 digits`, false},
		{"account id too long", shareBlock("test", bought[0], "16228833445566770"), `Invalid account ID`, false},
		{"login email", shareBlock("test", bought[0], "ops@example.com"), `Invalid account ID.*not its login email`, false},
		{"leading zero", shareBlock("test", bought[0], "0622883344556677"), `Invalid account ID`, false},
		{"AccessKey ID", shareBlock("test", bought[0], "LTAI5tExampleKey"), `Invalid account ID`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := env.Control.ClearRequests(env.Context()); err != nil {
				t.Fatal(err)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      env.Config(tt.config),
					ExpectError: wrapped(tt.want),
				}},
			})
			if n := env.Calls("ShareCertificate"); n != 0 {
				t.Errorf("%d ShareCertificate calls reached the service, want 0", n)
			}
			if n := env.Calls("GetUserCertificateDetail"); tt.reads && n == 0 {
				t.Errorf("the certificate was not read at plan")
			}
		})
	}
	if shares, err := emulatorShares(env); err != nil || len(shares) != 0 {
		t.Fatalf("the emulator holds shares %v (%v), want none", shares, err)
	}
}

// Two resources with the same certificate and the same account look, to the plan, like one
// resource planned twice; the apply sends the first and refuses the second without a call.
func TestAccCertificateShare_sameShareTwice(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("calls are counted through the control API")
	cert := purchasedCertificates(t, env, "www.example.com")[0]
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             shareStillThere(env, cert, targetA),
		Steps: []resource.TestStep{{
			Config:      env.Config(shareBlock("a", cert, targetA) + shareBlock("b", cert, targetA)),
			ExpectError: wrapped(`R-52: Certificate \d+ is shared by another resource of this configuration.*nothing was sent`),
		}},
	})
	if n := env.Calls("ShareCertificate"); n != 1 {
		t.Fatalf("%d ShareCertificate calls, want 1", n)
	}
}

// A share whose answer is lost is not resent: it stays in the state as tainted, with the way to
// settle it. Here it did happen, so applying again is refused by the service, and the
// share is recorded by import.
func TestAccCertificateShare_unknownOutcome(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the lost answer is a fault injected through the control API")
	cert := purchasedCertificates(t, env, "www.example.com")[0]
	config := shareConfig(env, cert, targetA)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             shareStillThere(env, cert, targetA),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := env.Control.SetFaults(env.Context(), control.Faults{DropAfterCommitRate: 1, Actions: []string{"ShareCertificate"}}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				ExpectError: wrapped(`may or may not have happened.*terraform untaint`),
			},
			{
				PreConfig: func() {
					if err := env.Control.ClearFaults(env.Context()); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // a tainted share is replaced by the next apply
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error {
						rs, ok := s.RootModule().Resources[shareAddr]
						if !ok || !rs.Primary.Tainted {
							return fmt.Errorf("the share is not in the state as tainted: %+v", rs)
						}
						return sharedWith(env, cert, targetA)
					},
					shareCalls(env, 1),
				),
			},
			// Applying again replaces the tainted share: the service refuses (it happened), and the
			// error says how to record it.
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(shareAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ExpectError: wrapped(`refused to share certificate.*terraform import <address> \d+:` + targetA),
			},
			{
				ResourceName:       shareAddr,
				ImportState:        true,
				ImportStateId:      fmt.Sprintf("%d:%s", cert, targetA),
				ImportStatePersist: true,
				Config:             config,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: shareCalls(env, 2),
			},
		},
	})
}

// A share whose request was lost before the service ran it: the tainted share is replaced by the
// next apply, which shares it, once.
func TestAccCertificateShare_unknownOutcomeNotShared(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the lost request is a fault injected through the control API")
	cert := purchasedCertificates(t, env, "www.example.com")[0]
	config := shareConfig(env, cert, targetA)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             shareStillThere(env, cert, targetA),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := env.Control.SetFaults(env.Context(), control.Faults{DropBeforeCommitRate: 1, Actions: []string{"ShareCertificate"}}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				ExpectError: wrapped("may or may not have happened.*run `terraform apply` again"),
			},
			{
				PreConfig: func() {
					if err := env.Control.ClearFaults(env.Context()); err != nil {
						t.Fatal(err)
					}
					if shares, err := emulatorShares(env); err != nil || len(shares) != 0 {
						t.Fatalf("shares after the lost request: %v (%v), want none", shares, err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(shareAddr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectUnknownValue(shareAddr, tfjsonpath.New("shared_at")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(shareAddr, tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprintf("%d:%s", cert, targetA))),
				},
				Check: func(s *terraform.State) error {
					if s.RootModule().Resources[shareAddr].Primary.Tainted {
						return fmt.Errorf("the share is still tainted")
					}
					return sharedWith(env, cert, targetA)
				},
			},
		},
	})
}

// A certificate deleted from the account takes its share out of the state (with a warning), and
// a configuration that still names it fails at plan.
func TestAccCertificateShare_certificateDeleted(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the certificate is deleted behind Terraform's back through the control API")
	cert := purchasedCertificates(t, env, "www.example.com")[0]
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             shareStillThere(env, cert, targetA),
		Steps: []resource.TestStep{
			{Config: shareConfig(env, cert, targetA)},
			{
				PreConfig: func() {
					if err := env.Control.DeleteObject(env.Context(), "certificates", strconv.FormatInt(cert, 10)); err != nil {
						t.Fatal(err)
					}
				},
				Config:      shareConfig(env, cert, targetA),
				ExpectError: wrapped(`Certificate \d+ does not exist`),
			},
			{
				Config: env.Config(""),
				Check:  shareCalls(env, 1),
			},
		},
	})
}

// Import ids: the form is checked, and the certificate must exist and be purchased here.
func TestAccCertificateShare_importRefusals(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("an uploaded certificate is seeded")
	cert := purchasedCertificates(t, env, "www.example.com")[0]
	s := newCertSeeder(t, env)
	now := time.Now().UTC()
	uploaded := s.upload("uploaded-shop", now.Add(-time.Hour), now.Add(90*24*time.Hour), "shop.example.com")
	steps := []resource.TestStep{{Config: env.Config("")}}
	for _, tt := range []struct{ id, want string }{
		{fmt.Sprint(cert), `Invalid import id`},
		{fmt.Sprintf("%d:12345", cert), `Invalid import id`},
		{fmt.Sprintf("%d:%s", cert+100000, targetA), `Certificate \d+ does not exist`},
		{fmt.Sprintf("%d:%s", uploaded.id, targetA), `R-51: Certificate \d+ was uploaded`},
	} {
		steps = append(steps, resource.TestStep{
			Config: shareConfig(env, cert, targetA), ResourceName: shareAddr, ImportState: true, ImportStateId: tt.id,
			ExpectError: wrapped(tt.want),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
	if n := env.Calls("ShareCertificate"); n != 0 {
		t.Fatalf("%d ShareCertificate calls, want 0", n)
	}
}
