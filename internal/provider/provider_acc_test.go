package provider_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// credentialEnv lists every environment variable the provider reads for credentials, region,
// profile and endpoint; isolateEnv blanks them all and points HOME at an empty directory, so a
// test sees only what it sets.
var credentialEnv = []string{
	"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY",
	"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_REGION", "ALICLOUD_REGION",
	"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE", "ALIBABA_CLOUD_CONFIG_FILE", "ALICLOUD_SHARED_CREDENTIALS_FILE",
	"ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ROLE_ARN", "ALICLOUD_ASSUME_ROLE_ARN",
	"ALIBABA_CLOUD_ROLE_SESSION_NAME", "ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_STS_ENDPOINT",
	"ALIBABA_CLOUD_CAS_ENDPOINT",
}

func isolateEnv(t *testing.T) (home string) {
	t.Helper()
	for _, v := range credentialEnv {
		t.Setenv(v, "")
	}
	home = t.TempDir()
	t.Setenv("HOME", home)
	return home
}

// addKey registers another key pair in the emulator and returns its id and secret.
func addKey(t *testing.T, env *acctest.Env, id string) (string, string) {
	t.Helper()
	secret := "secret-of-" + id
	if err := env.Control.AddCredential(env.Context(), control.Credential{AccessKeyID: id, AccessKeySecret: secret, AccountID: emulator.DemoAccountID}); err != nil {
		t.Fatal(err)
	}
	return id, secret
}

// signedWith asserts that every CAS call the emulator answered was signed with key id (or, when
// id ends in "*", a key id with that prefix) and that there was at least one.
func signedWith(t *testing.T, env *acctest.Env, id string) {
	t.Helper()
	n := 0
	for _, r := range mustRequests(t, env, "DescribePackageState") {
		n++
		if got := r.AccessKeyID; got != id && !(strings.HasSuffix(id, "*") && strings.HasPrefix(got, strings.TrimSuffix(id, "*"))) {
			t.Errorf("DescribePackageState was signed with %q, want %q", got, id)
		}
	}
	if n == 0 {
		t.Error("no DescribePackageState call reached the emulator")
	}
}

func writeProfiles(t *testing.T, path, current string, profiles ...map[string]any) {
	t.Helper()
	data, err := json.Marshal(map[string]any{"current": current, "profiles": profiles})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

const onePackage = `
data "alicloudcas_packages" "test" {
  product_codes = ["geotrust-dv-1-starter"]
}`

func endpointOnly(env *acctest.Env, extra ...string) string {
	lines := append([]string{`endpoint = "` + env.URL + `"`}, extra...)
	return "provider \"alicloudcas\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n" + onePackage
}

func applies(t *testing.T, config string) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config}},
	})
}

func fails(t *testing.T, config string, want *regexp.Regexp) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ExpectError: want}},
	})
}

// Precedence step 1: keys in the provider block win over the environment and a profile.
func TestAccProvider_configurationWinsOverEnvironmentAndProfile(t *testing.T) {
	home := isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log shows which key signed")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIunknownEnvironmentKey")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong")
	writeProfiles(t, filepath.Join(home, ".aliyun", "config.json"), "default",
		map[string]any{"name": "default", "mode": "AK", "access_key_id": "LTAIunknownProfileKey", "access_key_secret": "wrong"})
	applies(t, env.Config(onePackage))
	signedWith(t, env, emulator.DemoAccessKeyID)
}

// Precedence step 2: the environment wins over a profile; ALIBABA_CLOUD_* wins over ALICLOUD_*.
func TestAccProvider_environmentWinsOverProfile(t *testing.T) {
	home := isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log shows which key signed")
	id, secret := addKey(t, env, "LTAIenvironmentKey")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", id)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALICLOUD_ACCESS_KEY", "LTAIunknownLegacyKey")
	t.Setenv("ALICLOUD_SECRET_KEY", "wrong")
	writeProfiles(t, filepath.Join(home, ".aliyun", "config.json"), "default",
		map[string]any{"name": "default", "mode": "AK", "access_key_id": "LTAIunknownProfileKey", "access_key_secret": "wrong"})
	applies(t, endpointOnly(env))
	signedWith(t, env, id)
}

// The legacy ALICLOUD_* names are read when the ALIBABA_CLOUD_* ones are not set.
func TestAccProvider_legacyEnvironmentNames(t *testing.T) {
	isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log shows which key signed")
	id, secret := addKey(t, env, "LTAIlegacyKey")
	t.Setenv("ALICLOUD_ACCESS_KEY", id)
	t.Setenv("ALICLOUD_SECRET_KEY", secret)
	applies(t, endpointOnly(env))
	signedWith(t, env, id)
}

// Precedence step 3: a profile of the aliyun CLI's file: the named one, else the current one.
func TestAccProvider_profile(t *testing.T) {
	home := isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log shows which key signed")
	a, as := addKey(t, env, "LTAIprofileA")
	b, bs := addKey(t, env, "LTAIprofileB")
	writeProfiles(t, filepath.Join(home, ".aliyun", "config.json"), "a",
		map[string]any{"name": "a", "mode": "AK", "access_key_id": a, "access_key_secret": as},
		map[string]any{"name": "b", "mode": "AK", "access_key_id": b, "access_key_secret": bs})

	applies(t, endpointOnly(env))
	signedWith(t, env, a)

	if err := env.Control.ClearRequests(env.Context()); err != nil {
		t.Fatal(err)
	}
	applies(t, endpointOnly(env, `profile = "b"`))
	signedWith(t, env, b)
}

// A RamRoleArn profile assumes its role through STS and signs with the session.
func TestAccProvider_ramRoleArnProfile(t *testing.T) {
	home := isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("STS is the emulator's")
	file := filepath.Join(t.TempDir(), "aliyun.json")
	writeProfiles(t, file, "role", map[string]any{
		"name": "role", "mode": "RamRoleArn", "access_key_id": emulator.DemoAccessKeyID,
		"access_key_secret": emulator.DemoAccessKeySecret, "ram_role_arn": "acs:ram::" + emulator.DemoAccountID + ":role/terraform",
		"ram_session_name": "ci",
	})
	_ = home
	applies(t, endpointOnly(env, `shared_credentials_file = "`+file+`"`, `sts_endpoint = "`+env.URL+`"`))
	signedWith(t, env, "STS.*")
	if len(mustRequests(t, env, "AssumeRole")) == 0 {
		t.Error("no AssumeRole call reached the emulator's STS")
	}
}

// assume_role exchanges the configured keys for a role session; every CAS call uses the session.
func TestAccProvider_assumeRole(t *testing.T) {
	isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("STS is the emulator's")
	applies(t, env.ProviderBlock(`sts_endpoint = "`+env.URL+`"`, `assume_role {
    role_arn         = "acs:ram::`+emulator.DemoAccountID+`:role/terraform"
    session_name     = "acceptance"
    session_expiration = 900
  }`)+threePackages)
	signedWith(t, env, "STS.*")
	roles := mustRequests(t, env, "AssumeRole")
	reads := mustRequests(t, env, "DescribePackageState")
	// Every terraform command configures the provider anew, so each may assume the role once;
	// within one command the three reads share the session.
	if len(roles) == 0 || len(roles)*3 > len(reads) {
		t.Fatalf("AssumeRole calls = %d for %d DescribePackageState calls; want at most one per command (3 reads each)", len(roles), len(reads))
	}
	for _, r := range roles {
		if got := r.Params["RoleSessionName"]; got != "acceptance" {
			t.Errorf("RoleSessionName = %q, want acceptance", got)
		}
		if got := r.Params["DurationSeconds"]; got != "900" {
			t.Errorf("DurationSeconds = %q, want 900", got)
		}
	}
}

const threePackages = `
data "alicloudcas_packages" "test" {
  product_codes = ["geotrust-dv-1-starter", "digicert-free-1-free", "globalsign-ov-1-personal"]
}`

// No credentials anywhere: one error, at the first API call, naming every way to give them.
func TestAccProvider_noCredentials(t *testing.T) {
	isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("the provider is pointed at the emulator without keys")
	fails(t, endpointOnly(env), regexp.MustCompile(`(?s)No Alibaba Cloud credentials.*access_key and secret_key.*ALIBABA_CLOUD_ACCESS_KEY_ID.*config\.json.*ecs_role_name`))
	if n := env.Calls(""); n != 0 {
		t.Errorf("%d calls reached the emulator without credentials", n)
	}
}

// A wrong secret is reported as rejected credentials, not as raw SDK text.
func TestAccProvider_wrongSecret(t *testing.T) {
	isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("the emulator checks the signature")
	fails(t, endpointOnly(env, `access_key = "`+emulator.DemoAccessKeyID+`"`, `secret_key = "not-the-secret"`),
		regexp.MustCompile(`(?s)credentials rejected.*secret does not match the access key ID.*SignatureDoesNotMatch`))
}

// A region without a CAS endpoint is a configuration error listing the supported regions.
func TestAccProvider_unsupportedRegion(t *testing.T) {
	isolateEnv(t)
	acctest.PreCheck(t)
	fails(t, `
provider "alicloudcas" {
  region     = "mars-north-1"
  access_key = "LTAIx"
  secret_key = "y"
}
`+onePackage, regexp.MustCompile(`(?s)region "mars-north-1" has no Certificate Management Service endpoint.*ap-southeast-1.*cn-hangzhou`))
}
