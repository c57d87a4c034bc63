package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
)

// With TF_LOG=TRACE, neither the terraform CLI's log nor the provider's contains the secret key,
// the STS session's secret or its token; the log does contain the provider's API call records,
// so the check is made on a log that really holds the provider's output.
func TestAccProvider_secretsAreNotLogged(t *testing.T) {
	isolateEnv(t)
	env := acctest.New(t)
	env.RequireEmulator("STS is the emulator's and its sessions are read back from it")
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)

	// The keys come from the environment: the test harness itself logs the configuration text.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", emulator.DemoAccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", emulator.DemoAccessKeySecret)
	applies(t, `
provider "alicloudcas" {
  endpoint     = "`+env.URL+`"
  sts_endpoint = "`+env.URL+`"
  assume_role {
    role_arn = "acs:ram::`+emulator.DemoAccountID+`:role/terraform"
  }
}
`+onePackage)

	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	if !strings.Contains(log, "CAS API call") || !strings.Contains(log, "DescribePackageState") {
		t.Fatalf("the trace log (%d bytes) has no provider API call records: the check would prove nothing", len(data))
	}
	secrets := map[string]string{"secret_key": emulator.DemoAccessKeySecret}
	for name, v := range stsSecrets(t, env) {
		secrets[name] = v
	}
	for name, secret := range secrets {
		if i := strings.Index(log, secret); i >= 0 {
			t.Logf("context: %q", log[max(0, i-600):min(len(log), i+100)])
			t.Errorf("the trace log contains the %s", name)
		}
	}
}

// stsSecrets are the secrets of every STS session the emulator handed out.
func stsSecrets(t *testing.T, env *acctest.Env) map[string]string {
	t.Helper()
	sessions := env.Emulator.Sessions()
	if len(sessions) == 0 {
		t.Fatal("the emulator handed out no STS session: the provider did not assume the role")
	}
	out := map[string]string{}
	for i, s := range sessions {
		out[fmt.Sprintf("STS session %d secret", i)] = s.AccessKeySecret
		out[fmt.Sprintf("STS session %d token", i)] = s.SecurityToken
	}
	return out
}

// With the write-only key, the private key's text is nowhere: not in the TRACE log of terraform
// and the provider, not in the state (attributes or state files on disk), and the emulator's log
// masks it.
func TestAccUploadedCertificate_privateKeyNotLoggedOrStored(t *testing.T) {
	env := acctest.New(t)
	p := newPKI(t, "secret.example.com", certtest.RSA2048, 1)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	workDirs := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_ACC_TEMP_DIR", workDirs)
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")
	// One full base64 line from the middle of the key: PEM armour lines are not secret, its
	// content is, and a line is found whatever the line ends around it.
	keyBody := strings.Split(strings.TrimSpace(p.keyPEM), "\n")[3]
	uploadedTest(t, env, resource.TestStep{
		Config: uploadedConfig(env, p, "secret-test", ""),
		Check: func(s *terraformState) error {
			for _, rs := range s.RootModule().Resources {
				for k, v := range rs.Primary.Attributes {
					if strings.Contains(v, keyBody) {
						return fmt.Errorf("state attribute %s holds the private key", k)
					}
				}
			}
			return nil
		},
	})
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "UploadUserCertificate") {
		t.Fatalf("the trace log (%d bytes) has no record of the upload: the check would prove nothing", len(data))
	}
	if strings.Contains(string(data), keyBody) {
		t.Error("the TRACE log contains the private key")
	}
	states := 0
	_ = filepath.WalkDir(workDirs, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), ".tfstate") {
			states++
			if b, _ := os.ReadFile(path); strings.Contains(string(b), keyBody) {
				t.Errorf("state file %s contains the private key", path)
			}
		}
		return nil
	})
	if states == 0 {
		t.Fatal("no state file was found under TF_ACC_TEMP_DIR: the check would prove nothing")
	}
	if env.Emulator != nil {
		for _, r := range env.Emulator.Requests("UploadUserCertificate") {
			if r.Params["Key"] != "***" {
				t.Errorf("the emulator's log holds the key: %q", r.Params["Key"])
			}
		}
	}
}
