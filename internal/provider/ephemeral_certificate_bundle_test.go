package provider_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

// withEcho adds the echo provider, which copies its configuration's data into echo resources'
// state: the one way to see an ephemeral value in a test without the value being stored anywhere
// else. Only digests of keys are given to it.
func withEcho() map[string]func() (tfprotov6.ProviderServer, error) {
	f := map[string]func() (tfprotov6.ProviderServer, error){"echo": echoprovider.NewProviderServer()}
	for k, v := range acctest.ProviderFactories {
		f[k] = v
	}
	return f
}

// ephemeralTest runs steps with the echo provider; ephemeral resources exist from Terraform 1.10,
// and an older CLI fails the test rather than skipping it.
func ephemeralTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.RequireAbove(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: withEcho(),
		Steps:                    steps,
	})
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// keyBody is a key's base64 content: the PEM armour lines are not secret, this is.
func keyBody(keyPEM string) string {
	lines := strings.Split(strings.TrimSpace(keyPEM), "\n")
	return strings.Join(lines[1:len(lines)-1], "")
}

func echoed(key string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey(key), check)
}

// The bundle gives the certificate, its chain and the key the service holds — of a purchased
// certificate, of an uploaded one (the API answers its key too), none for one applied for with
// the caller's CSR, and both SM2 pairs — and none of the keys is in any state file or in the
// TRACE log of terraform and the provider.
func TestAccCertificateBundleEphemeral_keysInMemoryOnly(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("purchased certificates are seeded through the control API")
	logFile := filepath.Join(t.TempDir(), "trace.log")
	workDirs := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_ACC_TEMP_DIR", workDirs)
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")

	s := newCertSeeder(t, env)
	now := time.Now().UTC()
	inter := s.ca.Intermediate(t, certtest.Spec{CommonName: "Certforge Test OV CA", KeyType: certtest.P256})
	bought := s.uploadSpec("bought", certtest.Spec{CommonName: "shop.example.com", DNSNames: []string{"shop.example.com"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(90 * 24 * time.Hour), KeyType: certtest.P256}, inter, inter, s.ca)
	s.setSource(bought, "buy", "cas-cn-bundlebought1")
	uploaded := s.upload("uploaded", now.Add(-time.Hour), now.Add(90*24*time.Hour), "upload.example.com")
	ownCSR := s.upload("own-csr", now.Add(-time.Hour), now.Add(90*24*time.Hour), "own.example.com")
	s.setSource(ownCSR, "buy", "cas-cn-bundleowncsr1")
	if err := env.Control.PatchObject(env.Context(), "certificates", fmt.Sprint(ownCSR.id), map[string]any{"key": nil}); err != nil {
		t.Fatal(err) // a certificate applied for with the caller's CSR: the service holds no key
	}
	sm := certtest.NewSM2Dual(t, certtest.Spec{CommonName: "sm2.example.com", DNSNames: []string{"sm2.example.com"}})
	signKey, encKey := sm.Sign.KeyPEM(t, certtest.SEC1), sm.Encrypt.KeyPEM(t, certtest.SEC1)
	smID, err := env.API.UploadUserCertificate(env.Context(), cas.Upload{Name: "sm2",
		SignCert: sm.Sign.PEM(), SignPrivateKey: signKey, EncryptCert: sm.Encrypt.PEM(), EncryptPrivateKey: encKey})
	if err != nil {
		t.Fatal(err)
	}

	ephemeralTest(t, resource.TestStep{
		Config: env.Config(fmt.Sprintf(`
ephemeral "alicloudcas_certificate_bundle" "bought" {
  certificate_id = %d
}
ephemeral "alicloudcas_certificate_bundle" "uploaded" {
  certificate_id = %d
}
ephemeral "alicloudcas_certificate_bundle" "own_csr" {
  certificate_id = %d
}
ephemeral "alicloudcas_certificate_bundle" "sm2" {
  certificate_id = %d
}

provider "echo" {
  data = {
    bought_certificate   = ephemeral.alicloudcas_certificate_bundle.bought.certificate
    bought_chain         = ephemeral.alicloudcas_certificate_bundle.bought.certificate_chain
    bought_key_sha256    = sha256(ephemeral.alicloudcas_certificate_bundle.bought.private_key)
    uploaded_certificate = ephemeral.alicloudcas_certificate_bundle.uploaded.certificate
    uploaded_chain       = ephemeral.alicloudcas_certificate_bundle.uploaded.certificate_chain
    uploaded_key_sha256  = sha256(ephemeral.alicloudcas_certificate_bundle.uploaded.private_key)
    own_csr_certificate  = ephemeral.alicloudcas_certificate_bundle.own_csr.certificate
    own_csr_key_is_null  = ephemeral.alicloudcas_certificate_bundle.own_csr.private_key == null
    sm2_certificate_null = ephemeral.alicloudcas_certificate_bundle.sm2.certificate == null
    sm2_sign_certificate = ephemeral.alicloudcas_certificate_bundle.sm2.sign_certificate
    sm2_sign_key_sha256  = sha256(ephemeral.alicloudcas_certificate_bundle.sm2.sign_private_key)
    sm2_encrypt_key      = sha256(ephemeral.alicloudcas_certificate_bundle.sm2.encrypt_private_key)
  }
}

resource "echo" "test" {}
`, bought.id, uploaded.id, ownCSR.id, smID)),
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("bought_certificate", knownvalue.StringExact(bought.leaf.PEM())),
			echoed("bought_chain", knownvalue.StringExact(inter.PEM()+s.ca.PEM())),
			echoed("bought_key_sha256", knownvalue.StringExact(sha256Hex(bought.keyPEM))),
			echoed("uploaded_certificate", knownvalue.StringExact(uploaded.leaf.PEM())),
			echoed("uploaded_chain", knownvalue.StringExact(s.ca.PEM())),
			echoed("uploaded_key_sha256", knownvalue.StringExact(sha256Hex(uploaded.keyPEM))),
			echoed("own_csr_certificate", knownvalue.StringExact(ownCSR.leaf.PEM())),
			echoed("own_csr_key_is_null", knownvalue.Bool(true)),
			echoed("sm2_certificate_null", knownvalue.Bool(true)),
			echoed("sm2_sign_certificate", knownvalue.StringExact(sm.Sign.PEM())),
			echoed("sm2_sign_key_sha256", knownvalue.StringExact(sha256Hex(signKey))),
			echoed("sm2_encrypt_key", knownvalue.StringExact(sha256Hex(encKey))),
			stateLacks{text: "PRIVATE KEY", present: "BEGIN CERTIFICATE"},
		},
	})

	secrets := map[string]string{"bought key": keyBody(bought.keyPEM), "uploaded key": keyBody(uploaded.keyPEM),
		"SM2 signing key": keyBody(signKey), "SM2 encryption key": keyBody(encKey)}
	states := 0
	_ = filepath.WalkDir(workDirs, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(d.Name(), ".tfstate") {
			return nil
		}
		states++
		data, _ := os.ReadFile(path)
		for name, secret := range secrets {
			if strings.Contains(string(data), secret) {
				t.Errorf("state file %s contains the %s", path, name)
			}
		}
		return nil
	})
	if states == 0 {
		t.Fatal("no state file was found under TF_ACC_TEMP_DIR: the check would prove nothing")
	}
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "GetUserCertificateDetail") {
		t.Fatalf("the trace log (%d bytes) has no record of the read: the check would prove nothing", len(log))
	}
	for name, secret := range secrets {
		if strings.Contains(string(log), secret) {
			t.Errorf("the TRACE log contains the %s", name)
		}
	}
	for _, r := range mustRequests(t, env, "GetUserCertificateDetail") {
		if r.Params["CertFilter"] != "false" {
			t.Errorf("GetUserCertificateDetail CertFilter = %q; the bundle asks for the text and keys (false)", r.Params["CertFilter"])
		}
	}
}

// An id that names no certificate is an error naming it; an id below 1 fails at plan time.
func TestAccCertificateBundleEphemeral_errors(t *testing.T) {
	env := acctest.New(t)
	config := func(id string) string {
		return env.Config(`
ephemeral "alicloudcas_certificate_bundle" "test" {
  certificate_id = ` + id + `
}
provider "echo" {
  data = ephemeral.alicloudcas_certificate_bundle.test.certificate
}
resource "echo" "test" {}
`)
	}
	ephemeralTest(t,
		resource.TestStep{Config: config("987654321"), ExpectError: regexp.MustCompile(`(?s)Certificate 987654321 not found`)},
		resource.TestStep{Config: config("0"), ExpectError: regexp.MustCompile(`(?s)certificate_id.*at least 1`)},
	)
}
