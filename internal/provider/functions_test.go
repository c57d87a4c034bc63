package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
)

// functionTest runs one configuration of outputs through terraform; checks are on the outputs.
func functionTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	acctest.PreCheck(t)
	resource.Test(t, resource.TestCase{
		// Provider functions exist from Terraform 1.8; an older CLI fails the test, never skips it.
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.RequireAbove(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
	})
}

func outputs(checks map[string]knownvalue.Check) []statecheck.StateCheck {
	var out []statecheck.StateCheck
	for name, c := range checks {
		out = append(out, statecheck.ExpectKnownOutputValue(name, c))
	}
	return out
}

func TestAccFunction_normalizeDomain(t *testing.T) {
	functionTest(t,
		resource.TestStep{
			Config: `
output "mixed_case" { value = provider::alicloudcas::normalize_domain("WWW.Example.COM.") }
output "wildcard"   { value = provider::alicloudcas::normalize_domain("*.Example.co.JP") }
output "ip"         { value = provider::alicloudcas::normalize_domain("47.96.1.10") }
`,
			ConfigStateChecks: outputs(map[string]knownvalue.Check{
				"mixed_case": knownvalue.StringExact("www.example.com"),
				"wildcard":   knownvalue.StringExact("*.example.co.jp"),
				"ip":         knownvalue.StringExact("47.96.1.10"),
			}),
		},
		resource.TestStep{
			Config:      `output "bad" { value = provider::alicloudcas::normalize_domain("*.*.a.com") }`,
			ExpectError: regexp.MustCompile(`(?s)R-04.*wildcard.*"\*\.a\.com"`),
		},
		resource.TestStep{
			Config:      `output "idn" { value = provider::alicloudcas::normalize_domain("ドメイン.com") }`,
			ExpectError: regexp.MustCompile(`(?s)R-12.*xn--eckwd4c7c\.com`),
		},
	)
}

func TestAccFunction_domainCovers(t *testing.T) {
	functionTest(t,
		resource.TestStep{
			Config: `
locals { cert = ["*.aliyun.com", "www.example.com"] }
output "one_level"  { value = provider::alicloudcas::domain_covers(local.cert, "a.aliyun.com") }
output "two_levels" { value = provider::alicloudcas::domain_covers(local.cert, "b.a.aliyun.com") }
output "apex"       { value = provider::alicloudcas::domain_covers(local.cert, "aliyun.com") }
output "exact"      { value = provider::alicloudcas::domain_covers(local.cert, "WWW.example.com.") }
`,
			ConfigStateChecks: outputs(map[string]knownvalue.Check{
				"one_level":  knownvalue.Bool(true),
				"two_levels": knownvalue.Bool(false),
				"apex":       knownvalue.Bool(false),
				"exact":      knownvalue.Bool(true),
			}),
		},
		resource.TestStep{
			Config:      `output "bad" { value = provider::alicloudcas::domain_covers(["a*.b.com"], "a.b.com") }`,
			ExpectError: regexp.MustCompile(`(?s)R-04`),
		},
	)
}

func TestAccFunction_effectiveDomains(t *testing.T) {
	functionTest(t,
		resource.TestStep{
			Config: `
output "entrust"  { value = provider::alicloudcas::effective_domains("entrust", ["domain.com", "example.com"]) }
output "geotrust" { value = provider::alicloudcas::effective_domains("geotrust-dv-w-starter", ["*.aliyun.com", "*.p1.aliyun.com"]) }
output "cfca"     { value = provider::alicloudcas::effective_domains("cfca", ["*.aliyun.com"]) }
`,
			ConfigStateChecks: outputs(map[string]knownvalue.Check{
				"entrust": knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("domain.com"), knownvalue.StringExact("example.com"), knownvalue.StringExact("www.domain.com"),
				}),
				"geotrust": knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("*.aliyun.com"), knownvalue.StringExact("*.p1.aliyun.com"), knownvalue.StringExact("aliyun.com"),
				}),
				"cfca": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("*.aliyun.com")}),
			}),
		},
		resource.TestStep{
			Config:      `output "bad" { value = provider::alicloudcas::effective_domains("geotrust", ["www.example.com", "*.com"]) }`,
			ExpectError: regexp.MustCompile(`(?s)element 1.*R-03`),
		},
	)
}

// A function error stops the plan before the provider makes any API call.
func TestAccFunction_errorMakesNoAPICall(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator counts the calls")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(`
data "alicloudcas_packages" "p" {
  product_codes = [provider::alicloudcas::normalize_domain("10..0.1") == "" ? "x" : "geotrust-dv-1-starter"]
}`),
			ExpectError: regexp.MustCompile(`R-02`),
		}},
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("%d API calls reached the emulator", n)
	}
}

// The documentation's function examples run as they are written.
func TestAccFunction_examples(t *testing.T) {
	files, err := filepath.Glob("../../examples/functions/*/function.tf")
	if err != nil || len(files) != 3 {
		t.Fatalf("function examples: %v, %v", files, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file)), func(t *testing.T) {
			config, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			functionTest(t, resource.TestStep{Config: string(config)})
		})
	}
}
