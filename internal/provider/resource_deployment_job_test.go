package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
	"github.com/certforge/terraform-provider-alicloudcas/internal/provider"
)

const jobAddr = "alicloudcas_deployment_job.test"

// deployTargets seeds an ALB listener and a CDN domain and one contact; it answers their ids.
func deployTargets(t *testing.T, env *acctest.Env, albDomain, cdnDomain string) (alb, cdn, contact int64) {
	t.Helper()
	ctx := env.Context()
	var out struct {
		ID int64 `json:"id"`
	}
	if err := env.Control.Post(ctx, "cloud_resources", map[string]any{"cloud_product": "ALB", "domain": albDomain}, &out); err != nil {
		t.Fatal(err)
	}
	alb = out.ID
	if err := env.Control.Post(ctx, "cloud_resources", map[string]any{"cloud_product": "CDN", "domain": cdnDomain}, &out); err != nil {
		t.Fatal(err)
	}
	cdn = out.ID
	contact = 990001
	if err := env.Control.PutObject(ctx, "contacts", fmt.Sprint(contact), map[string]any{
		"id": contact, "name": "Ops", "mobile": "13800000000", "email": "ops@example.com",
	}); err != nil {
		t.Fatal(err)
	}
	return alb, cdn, contact
}

// jobConfig: an uploaded certificate and a job deploying it to the targets.
func jobConfig(env *acctest.Env, p *pki, name string, alb, cdn, contact int64, extra string) string {
	return uploadedConfig(env, p, "deploy-cert", "") + fmt.Sprintf(`
resource "alicloudcas_deployment_job" "test" {
  name            = %q
  certificate_ids = [alicloudcas_uploaded_certificate.test.certificate_id]
  resource_ids    = [%d, %d]
  contact_ids     = [%d]

  certificate_domains = alicloudcas_uploaded_certificate.test.subject_alternative_names
  target_domains      = { "%d" = "www.example.com", "%d" = "api.www.example.com" }
%s
}
`, name, alb, cdn, contact, alb, cdn, extra)
}

// A job scheduled an hour ahead: it waits (pending), is renamed in place, runs when the clock gets
// there, and records success per target; import restores it.
func TestAccDeploymentJob_scheduled(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("targets are emulated and the clock is moved")
	p := newPKI(t, "www.example.com", certtest.RSA2048, 1)
	alb, cdn, contact := deployTargets(t, env, "www.example.com", "api.www.example.com")
	at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	schedule := fmt.Sprintf("  schedule_time = %q", at)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	uploadedTest(t, env,
		resource.TestStep{
			Config: jobConfig(env, p, "nightly", alb, cdn, contact, schedule),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("targets"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("deployed_at"), knownvalue.Null()),
				sameID.AddStateValue(jobAddr, tfjsonpath.New("job_id")),
			},
		},
		resource.TestStep{
			Config: jobConfig(env, p, "nightly-renamed", alb, cdn, contact, schedule),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(jobAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("name"), knownvalue.StringExact("nightly-renamed")),
				sameID.AddStateValue(jobAddr, tfjsonpath.New("job_id")),
			},
		},
		resource.TestStep{
			PreConfig: func() {
				if _, err := env.Control.Advance(env.Context(), 2*time.Hour); err != nil {
					t.Fatal(err)
				}
			},
			Config: jobConfig(env, p, "nightly-renamed", alb, cdn, contact, schedule),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("deployed_at"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("targets"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"status": knownvalue.StringExact("success")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"status": knownvalue.StringExact("success")}),
				})),
				sameID.AddStateValue(jobAddr, tfjsonpath.New("job_id")),
			},
			Check: func(s *terraformState) error {
				certID := s.RootModule().Resources[uploadedAddr].Primary.ID
				for _, id := range []int64{alb, cdn} {
					obj, _, err := env.Control.Object(env.Context(), "cloud_resources", fmt.Sprint(id))
					if err != nil {
						return err
					}
					if fmt.Sprint(obj["cert_id"]) != certID {
						return fmt.Errorf("resource %d holds certificate %v after the job, want %s", id, obj["cert_id"], certID)
					}
				}
				return nil
			},
		},
		resource.TestStep{ResourceName: jobAddr, ImportState: true, ImportStateVerify: true,
			// Only the configuration knows these; the service stores the schedule as a timestamp.
			ImportStateVerifyIgnore: []string{"certificate_ids", "certificate_domains", "target_domains", "schedule_time", "timeouts"}},
	)
}

// A target whose domain the certificates do not cover fails the plan, before any API call.
func TestAccDeploymentJob_uncoveredTargetRefused(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator counts the API calls")
	orderTest(t, resource.TestStep{
		Config: env.Config(`
resource "alicloudcas_deployment_job" "test" {
  name                = "uncovered"
  certificate_ids     = [1001]
  resource_ids        = [2001, 2002, 2003]
  contact_ids         = [3001]
  certificate_domains = ["*.example.com"]
  target_domains      = { "2001" = "www.example.com", "2002" = "example.com", "2003" = "a.b.example.com" }
}`),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)R-62.*a\.b\.example\.com.*2003.*example\.com.*2002`),
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("%d API calls reached the emulator", n)
	}
}

// A target that fails in the service: the apply that waits fails naming it, and the state shows it.
func TestAccDeploymentJob_failedTarget(t *testing.T) {
	env := acctest.New(t, func(o *emulator.Options) { o.ClockRate = 100 })
	env.RequireEmulator("the failure is injected in the emulator")
	t.Cleanup(provider.SetJobPollIntervalForTest(100 * time.Millisecond))
	p := newPKI(t, "www.example.com", certtest.RSA2048, 1)
	alb, cdn, contact := deployTargets(t, env, "www.example.com", "api.www.example.com")
	if err := env.Control.Post(env.Context(), fmt.Sprintf("cloud_resources/%d/fail_next", cdn), map[string]string{"code": "DomainOffline", "message": "the CDN domain is offline"}, nil); err != nil {
		t.Fatal(err)
	}
	uploadedTest(t, env, resource.TestStep{
		Config:      jobConfig(env, p, "will-fail", alb, cdn, contact, "  wait_for_completion = true"),
		ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)ended in error.*CDN resource %d`, cdn)),
	})
}

// A running job cannot be changed: the plan says so. Deleted behind Terraform's back, it is
// planned again.
func TestAccDeploymentJob_runningAndDrift(t *testing.T) {
	// A slow clock keeps the job in processing (10 emulated seconds) for the whole test.
	env := acctest.New(t, func(o *emulator.Options) { o.ClockRate = 0.001 })
	env.RequireEmulator("the clock and the job are driven through the emulator")
	p := newPKI(t, "www.example.com", certtest.RSA2048, 1)
	alb, cdn, contact := deployTargets(t, env, "www.example.com", "api.www.example.com")
	var jobID string
	uploadedTest(t, env,
		resource.TestStep{
			Config: jobConfig(env, p, "running", alb, cdn, contact, ""),
			Check: func(s *terraformState) error {
				jobID = s.RootModule().Resources[jobAddr].Primary.ID
				return nil
			},
		},
		resource.TestStep{
			Config:      jobConfig(env, p, "running-renamed", alb, cdn, contact, ""),
			ExpectError: regexp.MustCompile(`(?s)is running and cannot be changed`),
		},
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.DeleteObject(env.Context(), "jobs", jobID); err != nil {
					t.Fatal(err)
				}
			},
			Config: jobConfig(env, p, "running", alb, cdn, contact, ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(jobAddr, plancheck.ResourceActionCreate),
			}},
			Check: func(s *terraformState) error {
				if got := s.RootModule().Resources[jobAddr].Primary.Attributes["status"]; !strings.Contains("processing pending scheduling", got) {
					return fmt.Errorf("status %q after recreation", got)
				}
				return nil
			},
		},
		// Let the job finish, so that it can be destroyed.
		resource.TestStep{
			PreConfig: func() {
				if _, err := env.Control.Advance(env.Context(), time.Minute); err != nil {
					t.Fatal(err)
				}
			},
			Config: jobConfig(env, p, "running", alb, cdn, contact, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
			},
		},
	)
}
