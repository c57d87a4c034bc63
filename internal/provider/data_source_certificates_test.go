package provider_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
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

const certificatesAddr = "data.alicloudcas_certificates."

// seededCert is a certificate uploaded to the emulator for a data source test.
type seededCert struct {
	id     int64
	name   string
	leaf   *certtest.Cert
	keyPEM string
	// stored is the certificate text as the service keeps it: the leaf, then the chain.
	stored string
}

// certSeeder uploads certificates issued by one test CA. Keys are P-256 (fast to make) unless the
// spec says otherwise.
type certSeeder struct {
	t   *testing.T
	env *acctest.Env
	ca  *certtest.Cert
}

func newCertSeeder(t *testing.T, env *acctest.Env) *certSeeder {
	t.Helper()
	ca := certtest.NewRoot(t, certtest.Spec{CommonName: "Certforge Test Root", Organization: "Certforge Test", KeyType: certtest.P256})
	return &certSeeder{t: t, env: env, ca: ca}
}

// upload issues a leaf for names (the first is the Common Name), valid from notBefore to
// notAfter, and uploads it with its key and chain (chain defaults to the CA).
func (s *certSeeder) upload(name string, notBefore, notAfter time.Time, names ...string) seededCert {
	s.t.Helper()
	return s.uploadSpec(name, certtest.Spec{CommonName: names[0], DNSNames: names, NotBefore: notBefore, NotAfter: notAfter,
		KeyType: certtest.P256}, s.ca)
}

func (s *certSeeder) uploadSpec(name string, spec certtest.Spec, issuer *certtest.Cert, chain ...*certtest.Cert) seededCert {
	s.t.Helper()
	leaf := issuer.Leaf(s.t, spec)
	if len(chain) == 0 {
		chain = []*certtest.Cert{issuer}
	}
	text := certtest.Bundle(append([]*certtest.Cert{leaf}, chain...)...)
	key := leaf.KeyPEM(s.t, certtest.PKCS8)
	id, err := s.env.API.UploadUserCertificate(s.env.Context(), cas.Upload{Name: name, Cert: text, Key: key})
	if err != nil {
		s.t.Fatalf("upload %s: %v", name, err)
	}
	return seededCert{id: id, name: name, leaf: leaf, keyPEM: key, stored: text}
}

// setSource makes a seeded certificate purchased ("buy", issued from an order of this account) or
// shared by another account ("share"); both keep an order's instance id, cas-cn-….
func (s *certSeeder) setSource(c seededCert, source, instanceID string) {
	s.t.Helper()
	err := s.env.Control.PatchObject(s.env.Context(), "certificates", fmt.Sprint(c.id),
		map[string]any{"source": source, "instance_id": instanceID})
	if err != nil {
		s.t.Fatal(err)
	}
}

func (c seededCert) fingerprint() string {
	sum := sha256.Sum256(c.leaf.DER())
	return hex.EncodeToString(sum[:])
}

func (c seededCert) serial() string { return hex.EncodeToString(c.leaf.Cert.SerialNumber.Bytes()) }

// serviceDays is what the list's day-precise dates become: the first second of the start day and
// the last second of the end day, days of UTC+8, written in UTC.
func serviceDays(notBefore, notAfter time.Time) (string, string) {
	zone := time.FixedZone("UTC+8", 8*3600)
	day := func(t time.Time) time.Time {
		y, m, d := t.In(zone).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, zone)
	}
	return day(notBefore).UTC().Format(time.RFC3339), day(notAfter).Add(24*time.Hour - time.Second).UTC().Format(time.RFC3339)
}

// stateLacks fails when the state, as JSON with every value (sensitive ones included), contains
// text; present must be in it, to prove the check looked at a state holding the data.
type stateLacks struct{ text, present string }

func (c stateLacks) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	data, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	switch {
	case !strings.Contains(string(data), c.present):
		resp.Error = fmt.Errorf("the state does not contain %q: the check would prove nothing", c.present)
	case strings.Contains(string(data), c.text):
		resp.Error = fmt.Errorf("the state contains %q", c.text)
	}
}

func listSize(name string, n int) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(certificatesAddr+name, tfjsonpath.New("certificates"), knownvalue.ListSizeExact(n))
}

func listedIDs(name string, ids ...int64) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(id)})
	}
	return statecheck.ExpectKnownValue(certificatesAddr+name, tfjsonpath.New("certificates"), knownvalue.ListExact(checks))
}

// Every certificate is listed — uploaded, purchased, shared, and expired ones too (the list's
// trap) — and each filter keeps what it says; the state holds no private key.
func TestAccCertificatesDataSource_filters(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("purchased and shared certificates are seeded through the control API")
	s := newCertSeeder(t, env)
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	shop := s.upload("shop-2026", now.Add(-time.Hour), now.Add(200*day), "shop.example.com", "*.shop.example.com")
	api := s.upload("api-expiring", now.Add(-80*day), now.Add(10*day), "api.example.com")
	old := s.upload("shop-2024", now.Add(-400*day), now.Add(-5*day), "shop.example.com")
	bought := s.upload("bought-www", now.Add(-time.Hour), now.Add(300*day), "www.example.com")
	s.setSource(bought, "buy", "cas-cn-boughtwww001")
	shared := s.upload("shared-mail", now.Add(-time.Hour), now.Add(100*day), "mail.example.com")
	s.setSource(shared, "share", "cas-cn-sharedmail01")

	boughtStart, boughtEnd := serviceDays(bought.leaf.Cert.NotBefore, bought.leaf.Cert.NotAfter)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(`
data "alicloudcas_certificates" "all" {}
data "alicloudcas_certificates" "uploaded" { source = "uploaded" }
data "alicloudcas_certificates" "purchased" { source = "purchased" }
data "alicloudcas_certificates" "shared" { source = "shared" }
data "alicloudcas_certificates" "by_name" { name_regex = "^shop-" }
data "alicloudcas_certificates" "keyword" { keyword = "shop" }
data "alicloudcas_certificates" "covers_wildcard" { covers_domain = "cart.shop.example.com" }
data "alicloudcas_certificates" "covers_exact" { covers_domain = "SHOP.example.com." }
data "alicloudcas_certificates" "covers_apex" { covers_domain = "example.com" }
data "alicloudcas_certificates" "expiring" { expiring_within_days = 30 }
data "alicloudcas_certificates" "expired" { expiring_within_days = 0 }
data "alicloudcas_certificates" "combined" {
  source               = "uploaded"
  covers_domain        = "shop.example.com"
  expiring_within_days = 0
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				listedIDs("all", shop.id, api.id, old.id, bought.id, shared.id),
				statecheck.ExpectKnownValue(certificatesAddr+"all", tfjsonpath.New("certificates"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"source": knownvalue.StringExact("uploaded"), "status": knownvalue.StringExact("ISSUED")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"source": knownvalue.StringExact("uploaded"), "status": knownvalue.StringExact("WILLEXPIRED")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"source": knownvalue.StringExact("uploaded"), "status": knownvalue.StringExact("EXPIRED"),
						"name": knownvalue.StringExact("shop-2024")}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                        knownvalue.Int64Exact(bought.id),
						"certificate_identifier":    knownvalue.StringExact(fmt.Sprintf("%d-cn-hangzhou", bought.id)),
						"name":                      knownvalue.StringExact("bought-www"),
						"common_name":               knownvalue.StringExact("www.example.com"),
						"subject_alternative_names": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("www.example.com")}),
						"issuer":                    knownvalue.StringExact("Certforge Test"),
						"serial_number":             knownvalue.StringExact(bought.serial()),
						"fingerprint_sha256":        knownvalue.StringExact(bought.fingerprint()),
						"status":                    knownvalue.StringExact("ISSUED"),
						"source":                    knownvalue.StringExact("purchased"),
						"not_before":                knownvalue.StringExact(boughtStart),
						"not_after":                 knownvalue.StringExact(boughtEnd),
						"resource_group_id":         knownvalue.StringRegexp(regexp.MustCompile(`^rg-`)),
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"source": knownvalue.StringExact("shared"), "status": knownvalue.StringExact("ISSUED")}),
				})),
				listedIDs("uploaded", shop.id, api.id, old.id),
				listedIDs("purchased", bought.id),
				listedIDs("shared", shared.id),
				listedIDs("by_name", shop.id, old.id),
				listedIDs("keyword", shop.id, old.id),
				listedIDs("covers_wildcard", shop.id),
				listedIDs("covers_exact", shop.id, old.id),
				listSize("covers_apex", 0), // R-08: *.shop.example.com does not cover example.com, nor anything else here
				listedIDs("expiring", api.id, old.id),
				listedIDs("expired", old.id),
				listedIDs("combined", old.id),
				stateLacks{text: "PRIVATE KEY", present: "bought-www"},
			},
		}},
	})
	for _, r := range mustRequests(t, env, "ListUserCertificateOrder") {
		if kw := r.Params["Keyword"]; kw != "" && kw != "shop" {
			t.Errorf("ListUserCertificateOrder sent Keyword %q; only the keyword filter sends one", kw)
		}
	}
	if n := env.Calls("GetUserCertificateDetail"); n != 0 {
		t.Errorf("the list read %d certificate details; it needs none", n)
	}
}

// More certificates than one page holds (50) are all listed, page by page.
func TestAccCertificatesDataSource_paging(t *testing.T) {
	env := acctest.New(t)
	s := newCertSeeder(t, env)
	now := time.Now().UTC()
	const n = 55
	for i := range n {
		s.upload(fmt.Sprintf("paging-%02d", i), now.Add(-time.Hour), now.Add(90*24*time.Hour), fmt.Sprintf("host%02d.paging.example.com", i))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(`data "alicloudcas_certificates" "all" { name_regex = "^paging-" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				listSize("all", n),
				statecheck.ExpectKnownValue(certificatesAddr+"all", tfjsonpath.New("certificates").AtSliceIndex(n-1),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(fmt.Sprintf("paging-%02d", n-1))})),
			},
		}},
	})
	pages := map[string]int{}
	reqs := mustRequests(t, env, "ListUserCertificateOrder")
	for _, r := range reqs {
		pages[r.Params["CurrentPage"]]++
	}
	if pages["2"] == 0 || len(reqs) < 2 {
		t.Errorf("ListUserCertificateOrder: %d calls, pages %v; 55 certificates need a second page of 50", len(reqs), pages)
	}
}

// Arguments that cannot work are refused at plan time, citing the rule where there is one, and
// no API call is made.
func TestAccCertificatesDataSource_planTimeErrorsMakeNoAPICall(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log proves no call was made")
	step := func(args, want string) resource.TestStep {
		return resource.TestStep{
			Config:      env.Config(`data "alicloudcas_certificates" "test" {` + "\n" + args + "\n}"),
			ExpectError: regexp.MustCompile(want),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			step(`covers_domain = "*.*.example.com"`, `(?s)R-04.*wildcard`),
			step(`covers_domain = "ドメイン.com"`, `(?s)R-12`),
			step(`covers_domain = "www.example.com:443"`, `(?s)R-02.*not allowed.*covers_domain`),
			step(`name_regex = "shop-(["`, `(?s)Invalid regular expression.*missing\s+closing`),
			step(`source = "bought"`, `(?s)source.*value must be one of.*"uploaded".*"purchased".*"shared"`),
			step(`expiring_within_days = -1`, `(?s)expiring_within_days.*at least 0`),
			step(`keyword = ""`, `(?s)keyword.*length`),
		},
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("the emulator answered %d API calls; a plan-time error must make none", n)
	}
}

// The documented example plans and applies as written.
func TestAccCertificatesDataSource_example(t *testing.T) {
	env := acctest.New(t)
	s := newCertSeeder(t, env)
	now := time.Now().UTC()
	s.upload("example.com-2026-rsa2048", now.Add(-time.Hour), now.Add(20*24*time.Hour), "shop.example.com")
	config, err := os.ReadFile("../../examples/data-sources/alicloudcas_certificates/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(string(config)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("shop_certificates_to_renew", knownvalue.ListSizeExact(1)),
				listSize("rsa_2026", 1),
			},
		}},
	})
}
