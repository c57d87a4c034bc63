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
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
)

const contactsAddr = "data.alicloudcas_contacts."

// seedContacts creates contacts through the API and answers their ids, in order.
func seedContacts(t *testing.T, env *acctest.Env, contacts ...cas.Contact) []int64 {
	t.Helper()
	ids := make([]int64, len(contacts))
	for i, ct := range contacts {
		id, err := env.API.CreateContact(env.Context(), ct)
		if err != nil {
			t.Fatalf("create contact %s: %v", ct.Name, err)
		}
		ids[i] = id
	}
	return ids
}

// Every contact is listed, across pages of 20, with the personal fields marked sensitive; the
// service's keyword narrows the list.
func TestAccContactsDataSource_list(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log shows the paging")
	ids := seedContacts(t, env,
		cas.Contact{Name: "Platform on-call", Mobile: "13900000011", Email: "oncall@example.com", Webhooks: []string{dingTalk}},
		cas.Contact{Name: "Platform lead", Mobile: "+6591234511"},
		cas.Contact{Name: "Security", Mobile: "13900000012", Email: "sec@example.com"},
	)
	// More than a page of 20.
	for i := range 20 {
		seedContacts(t, env, cas.Contact{Name: fmt.Sprintf("Filler %02d", i), Mobile: fmt.Sprintf("137000000%02d", i)})
	}
	config := env.Config(`
data "alicloudcas_contacts" "all" {}

data "alicloudcas_contacts" "platform" {
  keyword = "platform"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(contactsAddr+"all", tfjsonpath.New("contacts"), knownvalue.ListSizeExact(23)),
				statecheck.ExpectKnownValue(contactsAddr+"platform", tfjsonpath.New("contacts"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.Int64Exact(ids[0]), "name": knownvalue.StringExact("Platform on-call"),
						"mobile": knownvalue.StringExact("13900000011"), "email": knownvalue.StringExact("oncall@example.com"),
						"email_verified": knownvalue.Bool(false), "mobile_verified": knownvalue.Bool(false),
						"webhooks": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(dingTalk)}),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.Int64Exact(ids[1]), "name": knownvalue.StringExact("Platform lead"),
						"mobile": knownvalue.StringExact("+6591234511"), "email": knownvalue.Null(),
						"email_verified": knownvalue.Bool(false), "mobile_verified": knownvalue.Bool(false),
						"webhooks": knownvalue.ListSizeExact(0),
					}),
				})),
			},
		}},
	})
	pages := map[string]int{}
	reqs := mustRequests(t, env, "ListContact")
	for _, r := range reqs {
		pages[r.Params["CurrentPage"]]++
		if r.Params["ShowSize"] != "20" {
			t.Errorf("ListContact ShowSize = %q, want 20", r.Params["ShowSize"])
		}
	}
	if pages["2"] == 0 {
		t.Errorf("ListContact pages %v: 23 contacts need a second page of 20", pages)
	}
}

// The personal fields are sensitive in the data source's schema too: a plan output of them fails
// unless marked sensitive.
func TestAccContactsDataSource_personalFieldsAreSensitive(t *testing.T) {
	env := acctest.New(t)
	seedContacts(t, env, cas.Contact{Name: "Platform on-call", Mobile: "13900000013"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(`
data "alicloudcas_contacts" "all" {}

output "mobiles" {
  value = [for c in data.alicloudcas_contacts.all.contacts : c.mobile]
}
`),
			ExpectError: regexp.MustCompile(`(?s)Output refers to sensitive values`),
		}},
	})
}

func TestAccContactsDataSource_emptyKeywordIsRefusedWithoutAPICall(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log proves no call was made")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.Config(`data "alicloudcas_contacts" "x" { keyword = "" }`),
			ExpectError: regexp.MustCompile(`(?s)keyword.*length`),
		}},
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("the emulator answered %d API calls; a plan-time error must make none", n)
	}
}

// The documented example plans and applies as written.
func TestAccContactsDataSource_example(t *testing.T) {
	env := acctest.New(t)
	seedContacts(t, env, cas.Contact{Name: "Platform on-call", Mobile: "13900000014", Email: "oncall@example.com"})
	config, err := os.ReadFile("../../examples/data-sources/alicloudcas_contacts/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.Config(string(config)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("platform_contact_ids", knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownOutputValue("unverified_contacts", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Platform on-call")})),
			},
		}},
	})
}
