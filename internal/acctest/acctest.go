// Package acctest is the harness of the provider's acceptance tests. Each test gets its own
// in-process CAS emulator (a real HTTP server) and a provider block pointing at it, so tests run
// the real terraform CLI and the real SDK over HTTP, in parallel, offline.
//
// With ALICLOUDCAS_LIVE=1 and credentials in the environment (ALIBABA_CLOUD_ACCESS_KEY_ID, ...),
// the same tests run against the real service instead: the provider block is empty (everything
// comes from the environment), checks that read the service use the API client, and steps that
// need the emulator's control API (drift, faults, clock) are skipped with a logged reason.
//
// This package is test support: it may start the emulator, but the provider's own code never
// imports the emulator, and the emulator imports nothing of the provider.
package acctest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
	"github.com/certforge/terraform-provider-alicloudcas/internal/provider"
)

// EnvLive switches the acceptance tests to the real service.
const EnvLive = "ALICLOUDCAS_LIVE"

// ProviderFactories serve the provider in-process for resource.Test.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	provider.TypeName: providerserver.NewProtocol6WithError(provider.New("test")()),
}

// Env is one test's target: an emulator of its own, or the real service.
type Env struct {
	t    *testing.T
	Live bool
	// URL is the emulator's base URL ("" when live).
	URL string
	// Control drives the emulator (nil when live).
	Control *control.Client
	// API is a client of the target, for checks that read the service (CheckDestroy and the like).
	API *cas.Client
	// Emulator is the in-process emulator (nil when live).
	Emulator *emulator.Emulator
}

// Live reports whether the tests target the real service.
func Live() bool { return os.Getenv(EnvLive) == "1" }

// PreCheck fails (never skips) when the acceptance tests cannot run as asked: TF_ACC unset means
// resource.Test would skip, which must not pass silently, and the terraform CLI must exist.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Fatal("TF_ACC is not set: acceptance tests would be skipped. Run them with `make test` (or TF_ACC=1 go test ./...).")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		path, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatal("the terraform CLI is not on PATH: install Terraform ≥ 1.11 (https://developer.hashicorp.com/terraform/install) " +
				"or set TF_ACC_TERRAFORM_PATH to its binary")
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", path)
	}
	if Live() {
		for _, v := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"} {
			if os.Getenv(v) == "" {
				t.Fatalf("%s=1 needs %s in the environment", EnvLive, v)
			}
		}
	}
}

// New prepares a test's target: an emulator started for this test alone (stopped at cleanup) or,
// in live mode, the real service.
func New(t *testing.T, opts ...func(*emulator.Options)) *Env {
	t.Helper()
	PreCheck(t)
	if Live() {
		region := os.Getenv("ALIBABA_CLOUD_REGION")
		if region == "" {
			region = cas.DefaultRegion
		}
		ep, err := cas.ResolveEndpoint(region, os.Getenv(provider.EnvEndpoint))
		if err != nil {
			t.Fatal(err)
		}
		creds := credentials.NewStaticAKCredentialsProvider(os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"))
		return &Env{t: t, Live: true, API: cas.New(cas.Config{Region: region, Endpoint: ep, Credentials: creds, Retry: cas.DefaultRetryPolicy})}
	}
	o := emulator.Options{Seed: 1}
	for _, f := range opts {
		f(&o)
	}
	srv, emu := emulator.NewTestServer(o)
	t.Cleanup(srv.Close)
	ep, err := cas.ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &Env{
		t: t, URL: srv.URL, Control: control.New(srv.URL), Emulator: emu,
		API: cas.New(cas.Config{Region: cas.DefaultRegion, Endpoint: ep, Retry: cas.DefaultRetryPolicy,
			Credentials: credentials.NewStaticAKCredentialsProvider(emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret)}),
	}
}

// RequireEmulator skips the calling test, with the reason logged, when it targets the real
// service: some steps (drift, fault injection, the clock) can only be done with the emulator.
func (e *Env) RequireEmulator(reason string) {
	e.t.Helper()
	if e.Live {
		e.t.Skipf("needs the emulator's control API (%s): not run against the real service", reason)
	}
}

// ProviderBlock is the provider configuration for this target. extra lines go inside the block.
func (e *Env) ProviderBlock(extra ...string) string {
	var b strings.Builder
	b.WriteString("provider \"alicloudcas\" {\n")
	if !e.Live {
		fmt.Fprintf(&b, "  endpoint   = %q\n  access_key = %q\n  secret_key = %q\n  max_retries = 3\n",
			e.URL, emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret)
	}
	for _, l := range extra {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// Config is the provider block followed by the given configuration.
func (e *Env) Config(body string) string { return e.ProviderBlock() + "\n" + body }

// Context is a context for direct API and control calls in checks.
func (e *Env) Context() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	e.t.Cleanup(cancel)
	return ctx
}

// Calls returns how many API calls of an action (all actions when "") the emulator answered.
func (e *Env) Calls(action string) int {
	e.t.Helper()
	reqs, err := e.Control.Requests(e.Context(), action)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(reqs)
}

// Realistic is an option of New: the emulator enforces the service's documented per-action rate
// limits, answering Throttling.User as a real account would (cas-api.md, "Protocol").
func Realistic(o *emulator.Options) { o.Realistic = true }
