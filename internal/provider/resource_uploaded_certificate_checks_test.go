package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
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
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// Every PEM mistake fails the plan with the rule and the fix, before any API call.
func TestAccUploadedCertificate_planTimeErrors(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator counts the API calls")
	p := newPKI(t, "www.example.com", certtest.RSA2048, 1)
	other := certtest.CachedKey(t, certtest.RSA2048, 2)
	expired := p.inter.Leaf(t, certtest.Spec{CommonName: "old.example.com", Key: p.leaf.Key,
		NotBefore: time.Now().AddDate(-1, 0, 0), NotAfter: time.Now().AddDate(0, 0, -1)})
	p.write(t, "other-key.pem", certtest.KeyPEM(t, other, certtest.PKCS8))
	p.write(t, "encrypted-key.pem", p.leaf.KeyPEM(t, certtest.LegacyEncrypted))
	p.write(t, "reversed.pem", p.chainPEM+p.leafPEM)
	p.write(t, "expired.pem", expired.PEM())
	p.write(t, "cert.der", string(p.leaf.DER()))
	config := func(cert, chain, key string) string {
		return env.Config(fmt.Sprintf(`
resource "alicloudcas_uploaded_certificate" "test" {
  name                   = "plan-time"
  certificate            = %s
  certificate_chain      = %s
  private_key_wo         = file(%q)
  private_key_wo_version = 1
}`, cert, chain, p.path(key)))
	}
	file := func(name string) string { return fmt.Sprintf("file(%q)", p.path(name)) }
	for _, tt := range []struct {
		name   string
		config string
		want   string
	}{
		{"R-41 key of another certificate", config(file("cert.pem"), file("chain.pem"), "other-key.pem"), `(?s)R-41.*private_key_wo`},
		{"R-42 encrypted key", config(file("cert.pem"), file("chain.pem"), "encrypted-key.pem"), `(?s)R-42.*openssl`},
		{"R-43 chain before the certificate", config(file("reversed.pem"), "null", "key.pem"), `(?s)R-43`},
		{"R-40 DER instead of PEM", config(`filebase64(`+fmt.Sprintf("%q", p.path("cert.der"))+`)`, "null", "key.pem"), `(?s)R-40`},
		{"R-60 expired certificate", config(file("expired.pem"), file("chain.pem"), "key.pem"), `(?s)R-60.*expired`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tt.config, PlanOnly: true, ExpectError: regexp.MustCompile(tt.want)}},
			})
		})
	}
	if n := env.Calls(""); n != 0 {
		t.Errorf("%d API calls reached the emulator during plans that failed validation", n)
	}
}

// Deleted behind Terraform's back: the refresh drops it and the plan uploads it again. Renamed
// behind its back: the plan renames it back, in place.
func TestAccUploadedCertificate_drift(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("drift is made through the emulator's control API")
	p := newPKI(t, "drift.example.com", certtest.P256, 3)
	config := uploadedConfig(env, p, "drift-cert", "")
	var id string
	uploadedTest(t, env,
		resource.TestStep{Config: config, Check: func(s *terraformState) error {
			id = s.RootModule().Resources[uploadedAddr].Primary.ID
			return nil
		}},
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.PatchObject(env.Context(), "certificates", id, map[string]any{"name": "renamed-in-console"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(uploadedAddr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("name"), knownvalue.StringExact("drift-cert")),
			}},
		},
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.DeleteObject(env.Context(), "certificates", id); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(uploadedAddr, plancheck.ResourceActionCreate),
			}},
		},
	)
}

// CRLF line ends, trailing blank lines and indentation are the same certificate: no replacement
// and nothing sent to the service. (Terraform requires a planned value to equal the configuration's
// text, so the new text is recorded by an in-place update that makes no write call.)
func TestAccUploadedCertificate_semanticPEM(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator counts the write calls")
	p := newPKI(t, "pem.example.com", certtest.RSA2048, 1)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	uploadedTest(t, env,
		resource.TestStep{Config: uploadedConfig(env, p, "pem-form", ""), ConfigStateChecks: []statecheck.StateCheck{
			sameID.AddStateValue(uploadedAddr, tfjsonpath.New("certificate_id")),
		}},
		resource.TestStep{
			PreConfig: func() {
				p.write(t, "cert.pem", strings.ReplaceAll(p.leafPEM, "\n", "\r\n")+"\r\n\r\n")
				p.write(t, "chain.pem", "\n  "+strings.TrimSpace(p.chainPEM)+"  \n\n")
			},
			Config: uploadedConfig(env, p, "pem-form", ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(uploadedAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(uploadedAddr, tfjsonpath.New("certificate_id"))},
			Check: func(*terraformState) error {
				for action, want := range map[string]int{"UploadUserCertificate": 1, "DeleteUserCertificate": 0, "CreateCertificateName": 0, "TagResources": 0} {
					if n := env.Calls(action); n != want {
						return fmt.Errorf("%d %s calls, want %d", n, action, want)
					}
				}
				return nil
			},
		},
	)
}

// Several key types and encodings in one apply; import by the identifier form.
func TestAccUploadedCertificate_keyTypes(t *testing.T) {
	env := acctest.New(t)
	var blocks []string
	var checks []statecheck.StateCheck
	for i, kt := range []struct {
		kind   certtest.KeyType
		format certtest.KeyFormat
		algo   string
		size   int64
	}{
		{certtest.RSA4096, certtest.PKCS1, "RSA", 4096},
		{certtest.P256, certtest.SEC1, "ECC", 256},
		{certtest.P384, certtest.PKCS8, "ECC", 384},
	} {
		p := newPKI(t, fmt.Sprintf("k%d.example.com", i), kt.kind, 10+i)
		p.write(t, "key.pem", p.leaf.KeyPEM(t, kt.format))
		addr := fmt.Sprintf("alicloudcas_uploaded_certificate.k%d", i)
		blocks = append(blocks, fmt.Sprintf(`
resource "alicloudcas_uploaded_certificate" "k%d" {
  name        = "key-type-%d"
  certificate = file(%q)
  certificate_chain = file(%q)
  private_key = file(%q)
}`, i, i, p.path("cert.pem"), p.path("chain.pem"), p.path("key.pem")))
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("key_algorithm"), knownvalue.StringExact(kt.algo)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("key_size"), knownvalue.Int64Exact(kt.size)))
	}
	uploadedTest(t, env,
		resource.TestStep{Config: env.Config(strings.Join(blocks, "\n")), ConfigStateChecks: checks},
		resource.TestStep{
			ResourceName: "alicloudcas_uploaded_certificate.k1",
			ImportState:  true,
			ImportStateIdFunc: func(s *terraformState) (string, error) {
				return s.RootModule().Resources["alicloudcas_uploaded_certificate.k1"].Primary.Attributes["certificate_identifier"], nil
			},
			ImportStateVerify: true,
			// Keys are never read back; the certificate comes back followed by its chain.
			ImportStateVerifyIgnore: []string{"private_key", "certificate", "certificate_chain"},
		},
	)
}

// An SM2 dual certificate: two pairs, each matching.
func TestAccUploadedCertificate_sm2(t *testing.T) {
	env := acctest.New(t)
	dual := certtest.NewSM2Dual(t, certtest.Spec{CommonName: "sm2.example.com", DNSNames: []string{"sm2.example.com"}})
	dir := t.TempDir()
	write := func(name, text string) string {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(file)
	}
	config := env.Config(fmt.Sprintf(`
resource "alicloudcas_uploaded_certificate" "test" {
  name                   = "sm2-dual"
  sign_certificate       = file(%q)
  sign_private_key_wo    = file(%q)
  encrypt_certificate    = file(%q)
  encrypt_private_key_wo = file(%q)
  private_key_wo_version = 1
}`, write("sign.pem", dual.Sign.PEM()), write("sign.key", dual.Sign.KeyPEM(t, certtest.PKCS8)),
		write("enc.pem", dual.Encrypt.PEM()), write("enc.key", dual.Encrypt.KeyPEM(t, certtest.PKCS8))))
	uploadedTest(t, env,
		resource.TestStep{Config: config, ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("key_algorithm"), knownvalue.StringExact("SM2")),
			statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("common_name"), knownvalue.StringExact("sm2.example.com")),
		}},
		resource.TestStep{ResourceName: uploadedAddr, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"private_key_wo_version"}},
	)
}

// The upload's answer is lost after the service stored the certificate: the client resends it
// with the same ClientToken, and exactly one certificate exists.
func TestAccUploadedCertificate_lostAnswer(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator drops the connection after committing")
	p := newPKI(t, "lost.example.com", certtest.RSA2048, 1)
	// Half of the uploads lose their answer; with this seed the first does and the second does not.
	if err := env.Control.SetFaults(env.Context(), control.Faults{DropAfterCommitRate: 0.5, Actions: []string{"UploadUserCertificate"}, Seed: lostAnswerSeed}); err != nil {
		t.Fatal(err)
	}
	uploadedTest(t, env,
		resource.TestStep{
			Config: uploadedConfig(env, p, "lost-answer", ""),
			Check: func(*terraformState) error {
				certs, err := env.Control.Objects(env.Context(), "certificates")
				if err != nil {
					return err
				}
				if n := len(certs.(map[string]any)); n != 1 {
					return fmt.Errorf("%d certificates in the emulator after a lost answer, want 1", n)
				}
				reqs := mustRequests(t, env, "UploadUserCertificate")
				if len(reqs) != 2 || reqs[0].HTTPStatus != 0 || reqs[0].Params["ClientToken"] == "" || reqs[0].Params["ClientToken"] != reqs[1].Params["ClientToken"] {
					return fmt.Errorf("want a dropped upload then its resend with the same ClientToken; the emulator saw %+v", reqs)
				}
				return nil
			},
		},
	)
}

// lostAnswerSeed makes the emulator's fault draws "drop, then answer".
const lostAnswerSeed = 11
