package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// Faults survived: the provider under throttling, server errors, latency, lost answers, an
// interrupted apply and timeouts leaves the account holding exactly what the state says.

// stateIDs are the ids of the state's resources of a type.
func stateIDs(s *terraform.State, typ string) map[string]bool {
	ids := map[string]bool{}
	for _, rs := range s.RootModule().Resources {
		if rs.Type == typ {
			ids[rs.Primary.ID] = true
		}
	}
	return ids
}

// sameIDs compares the state's ids of a type with the emulator's objects of a kind.
func sameIDs(t *testing.T, env *acctest.Env, s *terraform.State, typ, kind string, want int) error {
	inState := stateIDs(s, typ)
	inEmu := objectIDs(t, env, kind)
	if len(inState) != want || len(inEmu) != want {
		return fmt.Errorf("%s: %d in the state, %d in the emulator, want %d in both", typ, len(inState), len(inEmu), want)
	}
	for id := range inState {
		if _, ok := inEmu[id]; !ok {
			return fmt.Errorf("%s %s is in the state but not in the emulator", typ, id)
		}
	}
	return nil
}

// committed counts the logged requests of an action that ran in the emulator (answered or not).
func committed(t *testing.T, env *acctest.Env, action string) (n int) {
	t.Helper()
	for _, r := range mustRequests(t, env, action) {
		if r.Committed {
			n++
		}
	}
	return n
}

// 30 % throttling, 5 % server errors and 0-200 ms of latency on every CAS action, through one
// apply of 50 uploaded certificates, 10 orders and 5 deployment jobs, the empty plan after it, and
// the destroy: the emulator ends up holding exactly what Terraform believes, nothing twice.
func TestAccFaults_throttlingAnd5xx(t *testing.T) {
	const nCerts, nOrders, nJobs = 50, 10, 5
	env := acctest.New(t)
	env.RequireEmulator("faults are injected by the emulator")
	started := time.Now()
	certs := newLeafSet(t, "bulk", nCerts)
	seedPackage(t, env, "geotrust-dv-1-starter", nOrders+5, 0, 0)
	targets := make([]string, nJobs)
	var contact int64
	for i := range targets {
		var alb, cdn int64
		alb, cdn, contact = deployTargets(t, env, fmt.Sprintf("www%d.faults.example.com", i), fmt.Sprintf("cdn%d.faults.example.com", i))
		targets[i] = fmt.Sprintf("[%d, %d]", alb, cdn)
	}
	seed := time.Now().UnixNano()
	t.Logf("fault seed %d (the draws also depend on the order of concurrent requests)", seed)
	if err := env.Control.SetFaults(env.Context(), control.Faults{
		ThrottleRate: 0.30, Error5xxRate: 0.05, LatencyMS: 0, LatencyJitterMS: 200, Seed: seed,
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	cfg := faultsProviderBlock(env, "max_retries = 20") + fmt.Sprintf(`
locals {
  dir     = %q
  targets = [%s]
}

resource "alicloudcas_uploaded_certificate" "bulk" {
  count                  = %d
  name                   = "faults-bulk-${count.index}"
  certificate            = file("${local.dir}/cert-${count.index}.pem")
  certificate_chain      = file("${local.dir}/chain.pem")
  private_key_wo         = file("${local.dir}/key-${count.index}.pem")
  private_key_wo_version = 1
}

resource "alicloudcas_certificate_order" "bulk" {
  count        = %d
  product_code = "geotrust-dv-1-starter"
  domains      = ["order${count.index}.faults.example.com"]%s
}

# Scheduled hours ahead: the jobs wait in pending, so that destroy finds none running.
resource "alicloudcas_deployment_job" "bulk" {
  count           = %d
  name            = "faults-job-${count.index}"
  certificate_ids = [alicloudcas_uploaded_certificate.bulk[count.index].certificate_id]
  resource_ids    = local.targets[count.index]
  contact_ids     = [%d]
  schedule_time   = %q
}
`, certs.dir, strings.Join(targets, ", "), nCerts, nOrders, dvContact, nJobs, contact, at)

	var applied time.Duration
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.RequireAbove(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				applied = time.Since(started)
				if err := sameIDs(t, env, s, "alicloudcas_uploaded_certificate", "certificates", nCerts); err != nil {
					return err
				}
				if err := sameIDs(t, env, s, "alicloudcas_certificate_order", "orders", nOrders); err != nil {
					return err
				}
				if err := sameIDs(t, env, s, "alicloudcas_deployment_job", "jobs", nJobs); err != nil {
					return err
				}
				// Retried throttled and failed calls never made an order or a job twice.
				if n := committed(t, env, "CreateCertificateForPackageRequest"); n != nOrders {
					return fmt.Errorf("%d applications ran in the emulator, want %d", n, nOrders)
				}
				if n := committed(t, env, "CreateDeploymentJob"); n != nJobs {
					return fmt.Errorf("%d job creations ran in the emulator, want %d", n, nJobs)
				}
				return nil
			},
		}},
		CheckDestroy: func(s *terraform.State) error {
			if n := objectCount(t, env, "certificates"); n != 0 {
				return fmt.Errorf("%d uploaded certificates left after destroy, want 0", n)
			}
			if n := objectCount(t, env, "jobs"); n != 0 {
				return fmt.Errorf("%d deployment jobs left after destroy, want 0", n)
			}
			// deletion_policy = retain: destroy leaves the orders, exactly the ten applied for.
			if n := objectCount(t, env, "orders"); n != nOrders {
				return fmt.Errorf("%d orders after destroy, want %d (retained, none twice)", n, nOrders)
			}
			return nil
		},
	})
	var total int
	byFault := map[string]int{}
	for _, r := range mustRequests(t, env, "") {
		total++
		if r.Fault != "" {
			byFault[r.Fault]++
		}
	}
	t.Logf("setup, apply and checks took %s, all with the plan and destroy %s; %d API requests, faults injected: %v",
		applied.Round(time.Millisecond), time.Since(started).Round(time.Millisecond), total, byFault)
	if byFault["throttle"] == 0 || byFault["error_5xx"] == 0 {
		t.Errorf("the run saw no throttling or no 5xx (%v): the faults were not injected", byFault)
	}
}

// lazyVariable is a configuration variable whose value is known only when its step runs.
type lazyVariable func() string

func (v lazyVariable) MarshalJSON() ([]byte, error) { return json.Marshal(v()) }

// A create whose connection drops after the service committed it, as the resources handle it
// across a second step.
//
// Upload: the retries of the upload (same ClientToken) find the same certificate but their
// answers are lost too, and so is the search by name: step 1 fails and the state has nothing.
// Step 2 uploads again under the same name: NameRepeat, the search finds the certificate with the
// same fingerprint, and the resource adopts it: one certificate.
//
// Deployment job: CreateDeploymentJob is not repeatable and the resource does not look for the
// job, so step 1 fails saying the job may exist and to import it. Step 2 follows that advice with
// an import block: one job, the state's.
func TestAccFaults_droppedCreateAdopted(t *testing.T) {
	t.Run("upload", func(t *testing.T) {
		env := acctest.New(t)
		env.RequireEmulator("the emulator drops the connection after committing")
		p := newPKI(t, "www.example.com", certtest.P256, 1)
		config := uploadedConfig(env, p, "dropped-upload", "")
		uploadedTest(t, env,
			resource.TestStep{
				PreConfig: func() {
					if err := env.Control.SetFaults(env.Context(), control.Faults{DropAfterCommitRate: 1,
						Actions: []string{"UploadUserCertificate", "ListUserCertificateOrder"}}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)UploadUserCertificate.*looking for the certificate by name failed too`),
			},
			resource.TestStep{
				PreConfig: func() {
					if n := objectCount(t, env, "certificates"); n != 1 {
						t.Fatalf("%d certificates after the lost uploads, want 1 (the ClientToken makes the retries one upload)", n)
					}
					if err := env.Control.ClearFaults(env.Context()); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadedAddr, plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error {
					if err := sameIDs(t, env, s, "alicloudcas_uploaded_certificate", "certificates", 1); err != nil {
						return err
					}
					reqs := mustRequests(t, env, "UploadUserCertificate")
					if last := reqs[len(reqs)-1]; last.Code != "NameRepeat" {
						return fmt.Errorf("the second step's upload answered %q, want NameRepeat (then adoption)", last.Code)
					}
					return nil
				},
			},
		)
	})

	t.Run("deployment job", func(t *testing.T) {
		env := acctest.New(t)
		env.RequireEmulator("the emulator drops the connection after committing")
		p := newPKI(t, "www.example.com", certtest.P256, 1)
		alb, cdn, contact := deployTargets(t, env, "www.example.com", "api.www.example.com")
		at := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
		job := jobConfig(env, p, "dropped-job", alb, cdn, contact, fmt.Sprintf("  schedule_time = %q", at))
		uploadedTest(t, env,
			resource.TestStep{
				PreConfig: func() {
					if err := env.Control.SetFaults(env.Context(), control.Faults{DropAfterCommitRate: 1,
						Actions: []string{"CreateDeploymentJob"}}); err != nil {
						t.Fatal(err)
					}
				},
				// The answer is lost: the provider finds the editing job of this name and adopts it.
				Config: job,
				Check: func(s *terraform.State) error {
					if err := sameIDs(t, env, s, "alicloudcas_deployment_job", "jobs", 1); err != nil {
						return err
					}
					if n := committed(t, env, "CreateDeploymentJob"); n != 1 {
						return fmt.Errorf("CreateDeploymentJob ran %d times, want 1", n)
					}
					// Adopted and scheduled: not left in editing, where it would never run.
					for id, obj := range objectIDs(t, env, "jobs") {
						if obj["status"] != "pending" {
							return fmt.Errorf("the adopted job %s is %v in the emulator, want pending", id, obj["status"])
						}
					}
					return nil
				},
			},
		)
	})
}

// Reads that time out (emulator latency above request_timeout, no retries) fail the refresh with
// an error that says so; the resources stay in the state, and once the faults are gone the plan
// is empty.
func TestAccFaults_readTimeoutKeepsState(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("latency is injected by the emulator")
	p := newPKI(t, "www.example.com", certtest.P256, 1)
	seedPackage(t, env, "geotrust-dv-1-starter", 2, 0, 0)
	alb, cdn, contact := deployTargets(t, env, "www.example.com", "api.www.example.com")
	at := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	body := strings.TrimPrefix(jobConfig(env, p, "timeouts", alb, cdn, contact, fmt.Sprintf("  schedule_time = %q", at)), env.ProviderBlock()) + `
resource "alicloudcas_certificate_order" "test" {
  product_code = "geotrust-dv-1-starter"
  domains      = ["timeout.example.com"]` + dvContact + `
}
`
	cfg := faultsProviderBlock(env, `request_timeout = "1s"`, "max_retries = 0") + body
	ids := map[string]string{}
	remember := func(s *terraform.State) error {
		for _, addr := range []string{uploadedAddr, orderAddr, jobAddr} {
			rs, ok := s.RootModule().Resources[addr]
			if !ok {
				return fmt.Errorf("%s is not in the state", addr)
			}
			if ids[addr] == "" {
				ids[addr] = rs.Primary.ID
			} else if ids[addr] != rs.Primary.ID {
				return fmt.Errorf("%s is %s, was %s", addr, rs.Primary.ID, ids[addr])
			}
		}
		return nil
	}
	uploadedTest(t, env,
		resource.TestStep{Config: cfg, Check: remember},
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.SetFaults(env.Context(), control.Faults{LatencyMS: 2500}); err != nil {
					t.Fatal(err)
				}
			},
			Config:   cfg,
			PlanOnly: true,
			// Each resource's read fails and says why; none is planned for creation.
			ExpectError: regexp.MustCompile(`(?s)Could not read the (uploaded certificate|certificate order|deployment job).*(deadline|[Tt]imeout)`),
		},
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.ClearFaults(env.Context()); err != nil {
					t.Fatal(err)
				}
				if n := objectCount(t, env, "orders"); n != 1 {
					t.Fatalf("%d orders after the failed refresh, want 1", n)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			Check: remember,
		},
	)
	for _, action := range []string{"UploadUserCertificate", "CreateCertificateForPackageRequest", "CreateDeploymentJob"} {
		if n := committed(t, env, action); n != 1 {
			t.Errorf("%s ran %d times, want 1", action, n)
		}
	}
}

// terraformRun is one terraform CLI command of a working directory, with a dev_overrides CLI
// configuration that serves the provider binary built for the test.
type terraformRun struct {
	t        *testing.T
	tf, dir  string
	cliEnv   []string
	lastLogs string
}

func newTerraformRun(t *testing.T, binDir, dir string) *terraformRun {
	t.Helper()
	rc := filepath.Join(dir, "dev.tfrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "certforge/alicloudcas" = %q
  }
  direct {}
}
`, filepath.ToSlash(binDir))), 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		// The test decides the CLI's arguments, logging and credentials.
		if strings.HasPrefix(name, "TF_CLI_ARGS") || strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "ALIBABA_CLOUD_") ||
			strings.HasPrefix(name, "ALICLOUD_") || name == "TF_CLI_CONFIG_FILE" || name == "TF_DATA_DIR" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
	return &terraformRun{t: t, tf: terraformCLI(t), dir: dir, cliEnv: env}
}

func (r *terraformRun) command(args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(r.tf, args...)
	cmd.Dir, cmd.Env = r.dir, r.cliEnv
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs a command to its end and answers its output; a failure fails the test.
func (r *terraformRun) run(args ...string) string {
	r.t.Helper()
	cmd, out := r.command(args...)
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out.String()
}

// stateOrders reads the state's orders (terraform show -json): address → order id.
func (r *terraformRun) stateOrders() map[string]string {
	r.t.Helper()
	var show struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Type    string         `json:"type"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(r.run("show", "-json", "-no-color")), &show); err != nil {
		r.t.Fatalf("terraform show -json: %v", err)
	}
	out := map[string]string{}
	for _, res := range show.Values.RootModule.Resources {
		if res.Type == "alicloudcas_certificate_order" {
			out[res.Address] = fmt.Sprint(res.Values["id"])
		}
	}
	return out
}

// `terraform apply` interrupted (SIGINT) while orders are being created, then run again to its
// end: every order the service created is in the state exactly once, and the state holds no
// order the service lacks. The CLI runs as a subprocess against the provider binary built here.
func TestAccFaults_interruptedApply(t *testing.T) {
	const nOrders = 8
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log times the interrupt")
	binDir := providerBinary(t)
	dir := t.TempDir()
	run := newTerraformRun(t, binDir, dir)
	seedPackage(t, env, "geotrust-dv-1-starter", nOrders+4, 0, 0)
	// Every call takes 300-500 ms: with two resources at a time the apply lasts several seconds.
	if err := env.Control.SetFaults(env.Context(), control.Faults{LatencyMS: 300, LatencyJitterMS: 200}); err != nil {
		t.Fatal(err)
	}
	main := fmt.Sprintf(`terraform {
  required_providers {
    alicloudcas = { source = "certforge/alicloudcas" }
  }
}

%s
resource "alicloudcas_certificate_order" "bulk" {
  count        = %d
  product_code = "geotrust-dv-1-starter"
  domains      = ["interrupted${count.index}.example.com"]%s
}
`, faultsProviderBlock(env, "max_retries = 5"), nOrders, dvContact)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}

	started := time.Now()
	cmd, out := run.command("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=2")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	interrupted := false
	for deadline := time.Now().Add(2 * time.Minute); !interrupted && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("terraform apply ended (%v) before any application was logged:\n%s", err, out)
		case <-time.After(10 * time.Millisecond):
		}
		if len(mustRequests(t, env, "CreateCertificateForPackageRequest")) > 0 {
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			interrupted = true
		}
	}
	if !interrupted {
		_ = cmd.Process.Kill()
		t.Fatalf("no application was logged within 2 minutes:\n%s", out)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Logf("the interrupted apply still ended well (it had finished before the signal took effect)")
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("terraform apply did not exit within 2 minutes of the interrupt:\n%s", out)
	}
	firstRun := time.Since(started)
	afterInterrupt := len(objectIDs(t, env, "orders"))
	inState := len(run.stateOrders())
	t.Logf("interrupted after %s: %d orders in the emulator, %d in the state\n%s", firstRun.Round(time.Millisecond), afterInterrupt, inState, out)
	if afterInterrupt == nOrders {
		t.Errorf("all %d orders existed when the interrupt took effect: the test did not interrupt the creation", nOrders)
	}

	second := run.run("apply", "-auto-approve", "-input=false", "-no-color")
	defer func() {
		if t.Failed() {
			t.Logf("the second apply:\n%s", second)
		}
	}()
	state := run.stateOrders()
	emu := objectIDs(t, env, "orders")
	seen := map[string]string{}
	for addr, id := range state {
		if other, dup := seen[id]; dup {
			t.Errorf("order %s is in the state twice: %s and %s", id, other, addr)
		}
		seen[id] = addr
		if _, ok := emu[id]; !ok {
			t.Errorf("%s is order %s, which the emulator does not have", addr, id)
		}
	}
	for id, o := range emu {
		if _, ok := seen[id]; !ok {
			t.Errorf("orphan: order %s (%v) exists in the emulator but not in the state", id, o["domains"])
		}
	}
	if len(state) != nOrders || len(emu) != nOrders {
		t.Errorf("%d orders in the state, %d in the emulator, want %d in both", len(state), len(emu), nOrders)
	}
	if n := committed(t, env, "CreateCertificateForPackageRequest"); n != nOrders {
		t.Errorf("%d applications ran in the emulator, want %d", n, nOrders)
	}
	cmd, planOut := run.command("plan", "-detailed-exitcode", "-input=false", "-no-color")
	if err := cmd.Run(); err != nil {
		t.Errorf("the plan after the second apply is not empty (%v):\n%s", err, planOut)
	}
	t.Logf("whole test %s", time.Since(started).Round(time.Millisecond))
}
