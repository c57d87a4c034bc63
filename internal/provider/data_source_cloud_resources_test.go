package provider_test

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
)

const cloudResourcesAddr = "data.alicloudcas_cloud_resources."

// seedResource adds a cloud resource through the emulator's control API (defaults: an ALB
// listener on port 443 serving www.example.com in cn-hangzhou) and answers its id.
func seedResource(t *testing.T, env *acctest.Env, body map[string]any) int64 {
	t.Helper()
	var out struct {
		ID int64 `json:"id"`
	}
	if err := env.Control.Post(env.Context(), "cloud_resources", body, &out); err != nil {
		t.Fatal(err)
	}
	return out.ID
}

func resourceIDs(name string, ids ...int64) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(id)})
	}
	return statecheck.ExpectKnownValue(cloudResourcesAddr+name, tfjsonpath.New("resources"), knownvalue.ListExact(checks))
}

// Three resources of three products: filters by product, domain (normalised, exact), region and
// bound certificate; and more than a page of 50 in all.
func TestAccCloudResourcesDataSource_filters(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("resources are seeded through the emulator's control API")
	alb := seedResource(t, env, map[string]any{"cert_id": 1001})
	cdn := seedResource(t, env, map[string]any{"cloud_product": "CDN", "domain": "static.example.com", "cert_id": 1002})
	waf := seedResource(t, env, map[string]any{"cloud_product": "WAF", "domain": "www.example.com", "region_id": "ap-southeast-1"})
	for i := range 50 {
		seedResource(t, env, map[string]any{"cloud_product": "CDN", "domain": fmt.Sprintf("img%02d.example.net", i)})
	}
	config := env.Config(`
data "alicloudcas_cloud_resources" "all" {}

data "alicloudcas_cloud_resources" "alb" {
  cloud_product = "alb"
}

data "alicloudcas_cloud_resources" "www" {
  domain = "WWW.Example.com."
}

data "alicloudcas_cloud_resources" "www_singapore" {
  domain = "www.example.com"
  region = "ap-southeast-1"
}

data "alicloudcas_cloud_resources" "static_prefix_is_not_a_domain" {
  domain = "static.example"
}

data "alicloudcas_cloud_resources" "certificate" {
  certificate_id = 1002
}

data "alicloudcas_cloud_resources" "keyword" {
  cloud_product = "CDN"
  keyword       = "img42"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(cloudResourcesAddr+"all", tfjsonpath.New("resources"), knownvalue.ListSizeExact(53)),
				statecheck.ExpectKnownValue(cloudResourcesAddr+"alb", tfjsonpath.New("resources"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.Int64Exact(alb), "cloud_name": knownvalue.StringExact("aliyun"),
						"cloud_product": knownvalue.StringExact("ALB"), "region_id": knownvalue.StringExact("cn-hangzhou"),
						"domain":        knownvalue.StringExact("www.example.com"),
						"instance_id":   knownvalue.StringRegexp(regexp.MustCompile(`^alb-`)),
						"listener_id":   knownvalue.StringRegexp(regexp.MustCompile(`^lsn-.*@443$`)),
						"listener_port": knownvalue.Int64Exact(443), "certificate_id": knownvalue.Int64Exact(1001),
						"certificate_name": knownvalue.Null(), "certificate_not_after": knownvalue.Null(),
						"enable_https": knownvalue.Bool(true), "status": knownvalue.StringExact("online"),
					}),
				})),
				resourceIDs("www", alb, waf),
				resourceIDs("www_singapore", waf),
				resourceIDs("static_prefix_is_not_a_domain"),
				resourceIDs("certificate", cdn),
				statecheck.ExpectKnownValue(cloudResourcesAddr+"certificate", tfjsonpath.New("resources").AtSliceIndex(0),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"instance_id": knownvalue.Null(), "listener_port": knownvalue.Null(), "domain": knownvalue.StringExact("static.example.com"),
					})),
				statecheck.ExpectKnownValue(cloudResourcesAddr+"keyword", tfjsonpath.New("resources"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
	var pages, product, keyword, certIDs int
	for _, r := range mustRequests(t, env, "ListCloudResources") {
		if r.Params["ShowSize"] != "50" {
			t.Errorf("ShowSize = %q, want 50", r.Params["ShowSize"])
		}
		if r.Params["CurrentPage"] == "2" {
			pages++
		}
		switch {
		case r.Params["CloudProduct"] == "ALB":
			product++
		case r.Params["Keyword"] == "www.example.com":
			keyword++ // the domain filter narrows the list on the service's side first
		case r.Params["CertIds"] == "[1002]":
			certIDs++
		}
	}
	if pages == 0 || product == 0 || keyword == 0 || certIDs == 0 {
		t.Errorf("ListCloudResources: %d second pages, %d with CloudProduct=ALB (the documented spelling), %d with the domain as Keyword, %d with CertIds=[1002]",
			pages, product, keyword, certIDs)
	}
}

// Filters that cannot work are refused at plan time, citing the rule where there is one, and no
// API call is made.
func TestAccCloudResourcesDataSource_planTimeErrorsMakeNoAPICall(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log proves no call was made")
	step := func(args, want string) resource.TestStep {
		return resource.TestStep{
			Config:      env.Config(`data "alicloudcas_cloud_resources" "test" {` + "\n" + args + "\n}"),
			ExpectError: regexp.MustCompile(want),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			step(`cloud_product = "ECS"`, `(?s)cloud_product.*value must be one of.*"ALB".*"AwsNLB"`),
			step(`domain = "*.*.example.com"`, `(?s)R-04.*wildcard`),
			step(`domain = "www.example.com:443"`, `(?s)R-02`),
			step(`certificate_id = 0`, `(?s)certificate_id.*at least 1`),
			step(`region = ""`, `(?s)region.*length`),
		},
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("the emulator answered %d API calls; a plan-time error must make none", n)
	}
}

// The documented example plans and applies as written.
func TestAccCloudResourcesDataSource_example(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("resources are seeded through the emulator's control API")
	seedResource(t, env, map[string]any{"cert_id": 12345678})
	seedResource(t, env, map[string]any{"cloud_product": "CDN", "domain": "static.example.com", "cert_id": 12345678})
	config, err := os.ReadFile("../../examples/data-sources/alicloudcas_cloud_resources/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(string(config)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("www_alb_targets", knownvalue.MapSizeExact(1)),
				statecheck.ExpectKnownOutputValue("deployed_on", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("ALB www.example.com (cn-hangzhou)"),
					knownvalue.StringExact("CDN static.example.com (cn-hangzhou)"),
				})),
			},
		}},
	})
}
