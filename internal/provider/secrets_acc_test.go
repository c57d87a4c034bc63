package provider_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
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

	applies(t, env.ProviderBlock(`sts_endpoint = "`+env.URL+`"`, `assume_role {
    role_arn = "acs:ram::`+emulator.DemoAccountID+`:role/terraform"
  }`)+onePackage)

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
		if strings.Contains(log, secret) {
			t.Errorf("the trace log contains the %s", name)
		}
	}
}
