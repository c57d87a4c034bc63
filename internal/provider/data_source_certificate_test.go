package provider_test

import (
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/certcheck/certtest"
)

const certificateAddr = "data.alicloudcas_certificate."

func certificateValue(name, attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(certificateAddr+name, tfjsonpath.New(attr), check)
}

// By id and by identifier, every fact is read from the certificate itself, exact to the second;
// the PEM (certificate and chain) is there, the private key is not.
func TestAccCertificateDataSource_byIDAndIdentifier(t *testing.T) {
	env := acctest.New(t)
	s := newCertSeeder(t, env)
	now := time.Now().UTC().Truncate(time.Second)
	inter := s.ca.Intermediate(t, certtest.Spec{CommonName: "Certforge Test DV CA", KeyType: certtest.P256})
	leaf := inter.Leaf(t, certtest.Spec{CommonName: "www.example.com", DNSNames: []string{"www.example.com", "example.com"},
		NotBefore: now.Add(-2 * time.Hour), NotAfter: now.Add(90 * 24 * time.Hour), Key: certtest.CachedKey(t, certtest.RSA2048, 31)})
	key := leaf.KeyPEM(t, certtest.PKCS1)
	text := certtest.Bundle(leaf, inter)
	id, err := env.API.UploadUserCertificate(env.Context(), cas.Upload{Name: "www-2026-rsa2048", Cert: text, Key: key,
		Tags: map[string]string{"team": "web"}, ResourceGroupID: "rg-acfmcertforge1"})
	if err != nil {
		t.Fatal(err)
	}
	c := seededCert{id: id, leaf: leaf}
	facts := func(name string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			certificateValue(name, "certificate_id", knownvalue.Int64Exact(id)),
			certificateValue(name, "certificate_identifier", knownvalue.StringExact(fmt.Sprintf("%d-cn-hangzhou", id))),
			certificateValue(name, "name", knownvalue.StringExact("www-2026-rsa2048")),
			certificateValue(name, "instance_id", knownvalue.StringRegexp(regexp.MustCompile(`^cas-upload-`))),
			certificateValue(name, "common_name", knownvalue.StringExact("www.example.com")),
			certificateValue(name, "subject_alternative_names", knownvalue.SetExact([]knownvalue.Check{
				knownvalue.StringExact("www.example.com"), knownvalue.StringExact("example.com")})),
			certificateValue(name, "issuer", knownvalue.StringExact("Certforge Test DV CA")),
			certificateValue(name, "serial_number", knownvalue.StringExact(c.serial())),
			certificateValue(name, "fingerprint_sha256", knownvalue.StringExact(c.fingerprint())),
			certificateValue(name, "key_algorithm", knownvalue.StringExact("RSA")),
			certificateValue(name, "key_size", knownvalue.Int64Exact(2048)),
			certificateValue(name, "not_before", knownvalue.StringExact(now.Add(-2*time.Hour).Format(time.RFC3339))),
			certificateValue(name, "not_after", knownvalue.StringExact(now.Add(90*24*time.Hour).Format(time.RFC3339))),
			certificateValue(name, "certificate", knownvalue.StringExact(text)),
			certificateValue(name, "resource_group_id", knownvalue.StringExact("rg-acfmcertforge1")),
			certificateValue(name, "tags", knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("web")})),
		}
	}
	checks := append(facts("by_id"), facts("by_identifier")...)
	checks = append(checks,
		certificateValue("by_id", "newest_covering", knownvalue.Null()),
		stateLacks{text: "PRIVATE KEY", present: "BEGIN CERTIFICATE"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(fmt.Sprintf(`
data "alicloudcas_certificate" "by_id" {
  certificate_id = %d
}
data "alicloudcas_certificate" "by_identifier" {
  certificate_identifier = "%d-cn-hangzhou"
}
`, id, id)),
			ConfigStateChecks: checks,
		}},
	})
}

// newest_covering picks, among the valid certificates that cover the host, the one that
// ends last: exact to the second when two end on the same day; an expired certificate and ones
// that do not cover the host are passed over, however long they last.
func TestAccCertificateDataSource_newestCovering(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("a purchased certificate is seeded through the control API")
	s := newCertSeeder(t, env)
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	zone := time.FixedZone("UTC+8", 8*3600)
	y, m, d := now.Add(300 * day).In(zone).Date()
	lastDay := time.Date(y, m, d, 0, 0, 0, 0, zone)
	start := now.Add(-time.Hour)

	// Same end day: the one seeded first (lower id) ends later in the day and must win.
	winner := s.upload("www-late", start, lastDay.Add(20*time.Hour), "www.example.com")
	s.upload("www-early", start, lastDay.Add(2*time.Hour), "www.example.com", "api.example.com")
	s.upload("wildcard", start, now.Add(100*day), "*.example.com")
	bought := s.upload("bought", start, now.Add(200*day), "www.example.com")
	s.setSource(bought, "buy", "cas-cn-newestbought1")
	s.upload("deeper-wildcard", start, now.Add(390*day), "*.www.example.com")
	s.upload("other-host", start, now.Add(390*day), "a.www.example.com")
	s.upload("expired", now.Add(-400*day), now.Add(-day), "www.example.com")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(`
data "alicloudcas_certificate" "newest" {
  newest_covering = "WWW.example.com"
}
data "alicloudcas_certificate" "newest_wildcard_host" {
  newest_covering = "shop.example.com"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					certificateValue("newest", "certificate_id", knownvalue.Int64Exact(winner.id)),
					certificateValue("newest", "name", knownvalue.StringExact("www-late")),
					certificateValue("newest", "not_after", knownvalue.StringExact(lastDay.Add(20*time.Hour).UTC().Format(time.RFC3339))),
					certificateValue("newest", "newest_covering", knownvalue.StringExact("WWW.example.com")),
					certificateValue("newest_wildcard_host", "name", knownvalue.StringExact("wildcard")),
					stateLacks{text: "PRIVATE KEY", present: "BEGIN CERTIFICATE"},
				},
			},
			{
				Config: env.Config(`
data "alicloudcas_certificate" "newest" {
  newest_covering = "example.com"
}`),
				ExpectError: regexp.MustCompile(`(?s)No valid certificate covers example.com.*R-08`),
			},
		},
	})
}

// An id or identifier that names no certificate is an error naming it.
func TestAccCertificateDataSource_notFound(t *testing.T) {
	env := acctest.New(t)
	s := newCertSeeder(t, env)
	now := time.Now().UTC()
	c := s.upload("present", now.Add(-time.Hour), now.Add(90*24*time.Hour), "present.example.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(`data "alicloudcas_certificate" "test" { certificate_id = 987654321 }`),
				ExpectError: regexp.MustCompile(`(?s)Certificate 987654321 not found.*cn-hangzhou`),
			},
			{
				Config:      env.Config(`data "alicloudcas_certificate" "test" { certificate_identifier = "987654321-cn-hangzhou" }`),
				ExpectError: regexp.MustCompile(`Certificate 987654321-cn-hangzhou not found`),
			},
			{
				Config:      env.Config(fmt.Sprintf(`data "alicloudcas_certificate" "test" { certificate_identifier = "%d-ap-southeast-1" }`, c.id)),
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Certificate %[1]d-ap-southeast-1 not found.*is\s+%[1]d-cn-hangzhou`, c.id)),
			},
		},
	})
}

// Exactly one way of naming the certificate, in a valid form: anything else fails at plan time
// without any API call.
func TestAccCertificateDataSource_planTimeErrorsMakeNoAPICall(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log proves no call was made")
	step := func(args, want string) resource.TestStep {
		return resource.TestStep{
			Config:      env.Config(`data "alicloudcas_certificate" "test" {` + "\n" + args + "\n}"),
			ExpectError: regexp.MustCompile(want),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			step(``, `(?s)Exactly one of these attributes must be configured.*certificate_id,certificate_identifier,newest_covering`),
			step("certificate_id = 12\nnewest_covering = \"www.example.com\"", `(?s)Invalid Attribute Combination`),
			step(`newest_covering = "*.*.example.com"`, `(?s)R-04.*wildcard`),
			step(`certificate_identifier = "12"`, `(?s)certificate_identifier.*<certificate id>-<region>`),
			step(`certificate_id = 0`, `(?s)certificate_id.*at least 1`),
		},
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("the emulator answered %d API calls; a plan-time error must make none", n)
	}
}

// The documented example plans and applies as written, with a certificate of the id it names.
func TestAccCertificateDataSource_example(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the example's certificate id is given to a seeded certificate")
	s := newCertSeeder(t, env)
	now := time.Now().UTC()
	s.upload("www", now.Add(-time.Hour), now.Add(90*24*time.Hour), "www.example.com")
	api := s.upload("api", now.Add(-time.Hour), now.Add(90*24*time.Hour), "api.example.com")
	ctx := env.Context()
	obj, found, err := env.Control.Object(ctx, "certificates", fmt.Sprint(api.id))
	if err != nil || !found {
		t.Fatalf("certificate %d: found %v, %v", api.id, found, err)
	}
	obj["id"] = 12345678
	if err := env.Control.PutObject(ctx, "certificates", "12345678", obj); err != nil {
		t.Fatal(err)
	}
	if err := env.Control.DeleteObject(ctx, "certificates", fmt.Sprint(api.id)); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile("../../examples/data-sources/alicloudcas_certificate/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(string(config)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("www_certificate", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"names": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("www.example.com")}),
				})),
				certificateValue("api", "common_name", knownvalue.StringExact("api.example.com")),
			},
		}},
	})
}
