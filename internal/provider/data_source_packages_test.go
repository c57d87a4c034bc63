package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
)

const packagesAddr = "data.alicloudcas_packages.test"

func seedPackage(t *testing.T, env *acctest.Env, code string, total, used, issued int) {
	t.Helper()
	err := env.Control.PutObject(env.Context(), "packages", code, map[string]any{
		"product_code": code, "total_count": total, "used_count": used, "issued_count": issued,
	})
	if err != nil {
		t.Fatal(err)
	}
}

func packageAt(i int, code string, purchased bool, total, used, issued, remaining int64) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(packagesAddr, tfjsonpath.New("packages").AtSliceIndex(i), knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"product_code":    knownvalue.StringExact(code),
		"purchased":       knownvalue.Bool(purchased),
		"total_count":     knownvalue.Int64Exact(total),
		"used_count":      knownvalue.Int64Exact(used),
		"issued_count":    knownvalue.Int64Exact(issued),
		"remaining_count": knownvalue.Int64Exact(remaining),
	}))
}

// Every documented product of the China site is listed, purchased or not, with its decoded
// specification; a purchased plan shows its counts and what remains.
func TestAccPackagesDataSource_all(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the quota values asserted are seeded in the emulator")
	seedPackage(t, env, "geotrust-dv-1-starter", 5, 2, 1)
	seedPackage(t, env, "digicert-free-1-free", 20, 20, 19)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(`data "alicloudcas_packages" "test" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(packagesAddr, tfjsonpath.New("packages"), knownvalue.ListSizeExact(15)),
				// Sorted by code: cfca-ev-w-advanced, cfca-ov-1-personal, digicert-free-1-free, geotrust-dv-1-starter, ...
				packageAt(0, "cfca-ev-w-advanced", false, 0, 0, 0, 0),
				packageAt(2, "digicert-free-1-free", true, 20, 20, 19, 0),
				packageAt(3, "geotrust-dv-1-starter", true, 5, 2, 1, 3),
				statecheck.ExpectKnownValue(packagesAddr, tfjsonpath.New("packages").AtSliceIndex(3), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"brand": knownvalue.StringExact("geotrust"), "validation_type": knownvalue.StringExact("DV"),
					"domain_type": knownvalue.StringExact("single"), "free": knownvalue.Bool(false),
				})),
			},
		}},
	})
	if got := env.Calls("DescribePackageState"); got < 15 {
		t.Errorf("DescribePackageState calls = %d, want at least one per product (15)", got)
	}
}

// product_codes narrows the read to the named products, one API call each; a change of quota in
// the service (another order placed behind Terraform's back) shows at the next refresh.
func TestAccPackagesDataSource_selectedAndDrift(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("quota is seeded and changed in the emulator")
	seedPackage(t, env, "globalsign-dv-w-advanced", 3, 0, 0)
	config := env.Config(`
data "alicloudcas_packages" "test" {
  product_codes = ["globalsign-dv-w-advanced"]
}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(packagesAddr, tfjsonpath.New("packages"), knownvalue.ListSizeExact(1)),
					packageAt(0, "globalsign-dv-w-advanced", true, 3, 0, 0, 3),
				},
			},
			{
				PreConfig: func() {
					if err := env.Control.PatchObject(env.Context(), "packages", "globalsign-dv-w-advanced",
						map[string]any{"used_count": 2, "issued_count": 1}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					packageAt(0, "globalsign-dv-w-advanced", true, 3, 2, 1, 1),
				},
			},
		},
	})
	for _, r := range mustRequests(t, env, "DescribePackageState") {
		if r.Params["ProductCode"] != "globalsign-dv-w-advanced" {
			t.Errorf("DescribePackageState asked for %q, want only the selected product", r.Params["ProductCode"])
		}
	}
}

// An unknown product code is refused at plan time, naming the known codes, without any API call.
func TestAccPackagesDataSource_unknownCodeFailsAtPlanWithoutAPICall(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log proves no call was made")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(`
data "alicloudcas_packages" "test" {
  product_codes = ["geotrust-dv-1-starter", "comodo-dv-1-basic"]
}`),
			ExpectError: regexp.MustCompile(`(?s)product_codes.*value must be one of.*geotrust-dv-w-starter`),
		}},
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("the emulator answered %d API calls; a plan-time error must make none", n)
	}
}

// A product that exists only on the China site is refused for an international-site region.
func TestAccPackagesDataSource_chinaOnlyProductOnInternationalSite(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the region is forced to the international site")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock(`region = "ap-southeast-1"`) + `
data "alicloudcas_packages" "test" {
  product_codes = ["digicert-free-1-free"]
}`,
			ExpectError: regexp.MustCompile(`R-19: digicert-free-1-free is sold on the China site only`),
		}},
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("the emulator answered %d API calls; the R-19 refusal must come before any call", n)
	}
}
