package provider_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

const uploadedAddr = "alicloudcas_uploaded_certificate.test"

// pki is a root, an intermediate and a leaf of the test's own, with the PEM files the
// configurations read (keys in files, so that no key text is in a configuration).
type pki struct {
	dir          string
	root, inter  *certtest.Cert
	leaf         *certtest.Cert
	leafPEM      string
	chainPEM     string
	keyPEM       string
	fingerprint  string
	commonName   string
	serialNumber string
}

func newPKI(t *testing.T, cn string, kt certtest.KeyType, slot int) *pki {
	t.Helper()
	root := certtest.NewRoot(t, certtest.Spec{CommonName: "Test Root CA", Key: certtest.CachedKey(t, certtest.RSA2048, 90)})
	inter := root.Intermediate(t, certtest.Spec{CommonName: "Test Intermediate CA", Key: certtest.CachedKey(t, certtest.RSA2048, 91)})
	leaf := inter.Leaf(t, certtest.Spec{CommonName: cn, DNSNames: []string{cn, "api." + cn}, Key: certtest.CachedKey(t, kt, slot)})
	sum := sha256.Sum256(leaf.DER())
	p := &pki{
		dir: t.TempDir(), root: root, inter: inter, leaf: leaf,
		leafPEM: leaf.PEM(), chainPEM: inter.PEM(), keyPEM: leaf.KeyPEM(t, certtest.PKCS8),
		fingerprint: hex.EncodeToString(sum[:]), commonName: cn,
		serialNumber: hex.EncodeToString(leaf.Cert.SerialNumber.Bytes()),
	}
	p.write(t, "cert.pem", p.leafPEM)
	p.write(t, "chain.pem", p.chainPEM)
	p.write(t, "fullchain.pem", p.leafPEM+p.chainPEM)
	p.write(t, "key.pem", p.keyPEM)
	return p
}

func (p *pki) write(t *testing.T, name, text string) string {
	t.Helper()
	file := filepath.Join(p.dir, name)
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func (p *pki) path(name string) string { return filepath.ToSlash(filepath.Join(p.dir, name)) }

// uploadedConfig is one alicloudcas_uploaded_certificate reading its PEM from p's files.
func uploadedConfig(env *acctest.Env, p *pki, name, extra string) string {
	return env.Config(fmt.Sprintf(`
resource "alicloudcas_uploaded_certificate" "test" {
  name                   = %q
  certificate            = file(%q)
  certificate_chain      = file(%q)
  private_key_wo         = file(%q)
  private_key_wo_version = 1
%s
}
`, name, p.path("cert.pem"), p.path("chain.pem"), p.path("key.pem"), extra))
}

func uploadedTest(t *testing.T, env *acctest.Env, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		// Write-only arguments exist from Terraform 1.11; an older CLI fails, never skips.
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.RequireAbove(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             uploadedDestroyed(env),
		Steps:                    steps,
	})
}

// uploadedDestroyed asks the service whether every certificate the state held is gone.
func uploadedDestroyed(env *acctest.Env) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			id, _ := strconv.ParseInt(rs.Primary.ID, 10, 64)
			var err error
			switch rs.Type {
			case "alicloudcas_uploaded_certificate":
				_, err = env.API.GetUserCertificateDetail(env.Context(), id, false)
			case "alicloudcas_deployment_job":
				_, err = env.API.DescribeDeploymentJob(env.Context(), id)
			default:
				continue
			}
			if !cas.IsNotFound(err) {
				return fmt.Errorf("%s %d still exists after destroy (err %v)", rs.Type, id, err)
			}
		}
		return nil
	}
}

func TestAccUploadedCertificate_lifecycle(t *testing.T) {
	env := acctest.New(t)
	p := newPKI(t, "www.example.com", certtest.RSA2048, 1)
	next := newPKI(t, "www.example.com", certtest.P256, 1)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	uploadedTest(t, env,
		resource.TestStep{
			Config: uploadedConfig(env, p, "example-2026-rsa2048", `  tags = { env = "test" }`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(uploadedAddr, plancheck.ResourceActionCreate),
				// Known at plan time, from the PEM alone.
				plancheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("fingerprint_sha256"), knownvalue.StringExact(p.fingerprint)),
				plancheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("subject_alternative_names"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact("www.example.com"), knownvalue.StringExact("api.www.example.com"),
				})),
				plancheck.ExpectUnknownValue(uploadedAddr, tfjsonpath.New("certificate_id")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("common_name"), knownvalue.StringExact("www.example.com")),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("issuer"), knownvalue.StringExact("Test Intermediate CA")),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("serial_number"), knownvalue.StringExact(p.serialNumber)),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("key_algorithm"), knownvalue.StringExact("RSA")),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("key_size"), knownvalue.Int64Exact(2048)),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("certificate_identifier"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+-cn-hangzhou$`))),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("instance_id"), knownvalue.StringRegexp(regexp.MustCompile(`^cas-upload-`))),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("not_after"), knownvalue.StringExact(p.leaf.Cert.NotAfter.UTC().Format(time.RFC3339))),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": knownvalue.StringExact("test")})),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("private_key_wo"), knownvalue.Null()),
				sameID.AddStateValue(uploadedAddr, tfjsonpath.New("certificate_id")),
			},
		},
		// Name and tags change in place: the same certificate id.
		resource.TestStep{
			Config: uploadedConfig(env, p, "example-2026-renamed", `  tags = { env = "prod", team = "edge" }`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(uploadedAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(uploadedAddr, tfjsonpath.New("certificate_id")),
				statecheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("name"), knownvalue.StringExact("example-2026-renamed")),
			},
			Check: emulatorCertificate(env, func(obj map[string]any) error {
				if obj["name"] != "example-2026-renamed" || len(obj["tags"].([]any)) != 2 {
					return fmt.Errorf("the emulator holds name %v tags %v", obj["name"], obj["tags"])
				}
				return nil
			}),
		},
		// The certificate and chain moved into one file: the same content, no replacement and no API call.
		resource.TestStep{
			Config: strings.Replace(strings.Replace(uploadedConfig(env, p, "example-2026-renamed", `  tags = { env = "prod", team = "edge" }`),
				"file(\""+p.path("cert.pem")+"\")", "file(\""+p.path("fullchain.pem")+"\")", 1),
				"  certificate_chain      = file(\""+p.path("chain.pem")+"\")\n", "", 1),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(uploadedAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(uploadedAddr, tfjsonpath.New("certificate_id")),
				newID.AddStateValue(uploadedAddr, tfjsonpath.New("certificate_id")),
			},
		},
		// Import: the certificate comes back as the service stores it (certificate followed by
		// chain), the key never.
		resource.TestStep{
			ResourceName:            uploadedAddr,
			ImportState:             true,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"private_key_wo_version"},
		},
		// A new certificate replaces the old one.
		resource.TestStep{
			Config: uploadedConfig(env, next, "example-2026-p256", ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(uploadedAddr, plancheck.ResourceActionDestroyBeforeCreate),
				plancheck.ExpectKnownValue(uploadedAddr, tfjsonpath.New("key_algorithm"), knownvalue.StringExact("ECC")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				newID.AddStateValue(uploadedAddr, tfjsonpath.New("certificate_id")),
			},
		},
	)
}

// emulatorCertificate checks the emulator's object of the state's certificate.
func emulatorCertificate(env *acctest.Env, check func(map[string]any) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[uploadedAddr]
		if !ok {
			return fmt.Errorf("%s is not in the state", uploadedAddr)
		}
		obj, found, err := env.Control.Object(env.Context(), "certificates", rs.Primary.ID)
		if err != nil || !found {
			return fmt.Errorf("certificate %s in the emulator: found=%v err=%v", rs.Primary.ID, found, err)
		}
		return check(obj)
	}
}

type terraformState = terraform.State
