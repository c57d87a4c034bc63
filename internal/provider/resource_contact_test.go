package provider_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/cas"
	"github.com/certforge/terraform-provider-alicloudcas/internal/provider"
)

const contactAddr = "alicloudcas_contact.test"

const dingTalk = "https://oapi.dingtalk.com/robot/send?access_token=abc"

// contactConfig is one alicloudcas_contact; extra lines go inside the block.
func contactConfig(env *acctest.Env, name, mobile, extra string) string {
	return env.Config(fmt.Sprintf(`
resource "alicloudcas_contact" "test" {
  name   = %q
  mobile = %q
%s
}
`, name, mobile, extra))
}

func contactTest(t *testing.T, env *acctest.Env, steps ...resource.TestStep) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             contactsDestroyed(env),
		Steps:                    steps,
	})
}

// contactsDestroyed asks the service whether every contact the state held is gone.
func contactsDestroyed(env *acctest.Env) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "alicloudcas_contact" {
				continue
			}
			id, _ := strconv.ParseInt(rs.Primary.ID, 10, 64)
			if _, err := env.API.GetContact(env.Context(), id); !cas.IsNotFound(err) {
				return fmt.Errorf("contact %d still exists after destroy (err %v)", id, err)
			}
		}
		return nil
	}
}

// contactID reads the contact's id from the state into *id.
func contactID(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[contactAddr]
		if !ok {
			return fmt.Errorf("%s is not in the state", contactAddr)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// emulatorContact checks the emulator's object of the state's contact.
func emulatorContact(env *acctest.Env, id *string, want map[string]any) resource.TestCheckFunc {
	return func(*terraform.State) error {
		obj, found, err := env.Control.Object(env.Context(), "contacts", *id)
		if err != nil || !found {
			return fmt.Errorf("contact %s in the emulator: found=%v err=%v", *id, found, err)
		}
		for k, v := range want {
			if fmt.Sprint(obj[k]) != fmt.Sprint(v) {
				return fmt.Errorf("the emulator holds %s = %v, want %v", k, obj[k], v)
			}
		}
		return nil
	}
}

func TestAccContact_lifecycle(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the checks read the emulator's objects and verify the contact through its control API")
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	contactTest(t, env,
		resource.TestStep{
			Config: contactConfig(env, "Platform on-call", "13900000001", `  email = "oncall@example.com"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(contactAddr, plancheck.ResourceActionCreate),
				plancheck.ExpectSensitiveValue(contactAddr, tfjsonpath.New("mobile")),
				plancheck.ExpectSensitiveValue(contactAddr, tfjsonpath.New("email")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				// The service masks what it answers; the state keeps the configured values.
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("mobile"), knownvalue.StringExact("13900000001")),
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("email"), knownvalue.StringExact("oncall@example.com")),
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("email_verified"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("webhooks"), knownvalue.Null()),
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("contact_id"), knownvalue.NotNull()),
				sameID.AddStateValue(contactAddr, tfjsonpath.New("contact_id")),
			},
			Check: resource.ComposeTestCheckFunc(contactID(&id),
				emulatorContact(env, &id, map[string]any{"name": "Platform on-call", "mobile": "13900000001", "email": "oncall@example.com"})),
		},
		// The person verifies the email address: the refresh sees it, and nothing is planned.
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.Post(env.Context(), "contacts/"+id+"/verify", map[string]bool{"email": true}, nil); err != nil {
					t.Fatal(err)
				}
			},
			Config:           contactConfig(env, "Platform on-call", "13900000001", `  email = "oncall@example.com"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("email_verified"), knownvalue.Bool(true)),
			},
		},
		// Every argument changes in place; the service gets every field.
		resource.TestStep{
			Config: contactConfig(env, "Platform night shift", "+6591234567", `  email    = "night@example.com"
  webhooks = [`+strconv.Quote(dingTalk)+`]`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(contactAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(contactAddr, tfjsonpath.New("contact_id")),
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("mobile"), knownvalue.StringExact("+6591234567")),
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("webhooks"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(dingTalk)})),
				// A new address is unverified.
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("email_verified"), knownvalue.Bool(false)),
			},
			Check: emulatorContact(env, &id, map[string]any{"name": "Platform night shift", "mobile": "+6591234567",
				"email": "night@example.com", "webhooks": []any{dingTalk}}),
		},
		// Removing the email address and the webhooks clears them.
		resource.TestStep{
			Config: contactConfig(env, "Platform night shift", "+6591234567", ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(contactAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(contactAddr, tfjsonpath.New("contact_id")),
				statecheck.ExpectKnownValue(contactAddr, tfjsonpath.New("email"), knownvalue.Null()),
			},
			Check: emulatorContact(env, &id, map[string]any{"email": nil, "webhooks": nil}),
		},
		// Import reads the personal fields in clear from the contact list.
		resource.TestStep{
			Config: contactConfig(env, "Platform night shift", "+6591234567", `  email    = "night@example.com"
  webhooks = [`+strconv.Quote(dingTalk)+`]`),
		},
		resource.TestStep{
			ResourceName:      contactAddr,
			ImportState:       true,
			ImportStateVerify: true,
		},
	)
}

// Deleted behind Terraform's back: the refresh drops it and the plan creates it again. Its mobile
// number changed in the console: the masked answer no longer agrees, the clear one is read from
// the list, and the plan sets the number back in place.
func TestAccContact_drift(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("drift is made through the emulator's control API")
	config := contactConfig(env, "Drift", "13900000002", `  email = "drift@example.com"`)
	var id string
	contactTest(t, env,
		resource.TestStep{Config: config, Check: contactID(&id)},
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.PatchObject(env.Context(), "contacts", id, map[string]any{"mobile": "13900000003"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(contactAddr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(contactAddr, tfjsonpath.New("mobile"), knownvalue.StringExact("13900000002")),
			}},
			Check: emulatorContact(env, &id, map[string]any{"mobile": "13900000002"}),
		},
		resource.TestStep{
			PreConfig: func() {
				if err := env.Control.DeleteObject(env.Context(), "contacts", id); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(contactAddr, plancheck.ResourceActionCreate),
			}},
		},
	)
}

// A mobile number another contact has is refused by the service; the error names that contact.
func TestAccContact_takenMobileNamesTheHolder(t *testing.T) {
	env := acctest.New(t)
	holder, err := env.API.CreateContact(env.Context(), cas.Contact{Name: "Console contact", Mobile: "13900000004"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.API.DeleteContact(env.Context(), holder) })
	contactTest(t, env, resource.TestStep{
		Config:      contactConfig(env, "Terraform contact", "13900000004", ""),
		ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)mobile is taken.*contact %d.*unique.*terraform import`, holder)),
	})
}

// Malformed values are refused at plan time, before any API call, and the diagnostics do not
// repeat the sensitive values.
func TestAccContact_planTimeErrorsMakeNoAPICall(t *testing.T) {
	env := acctest.New(t)
	env.RequireEmulator("the emulator's request log proves no call was made")
	step := func(name, mobile, extra, want string) resource.TestStep {
		return resource.TestStep{Config: contactConfig(env, name, mobile, extra), PlanOnly: true, ExpectError: regexp.MustCompile(want)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			step("A", "13900000005", `  email = "oncall-at-example.com"`, `(?s)The email address is not valid.*email\s+=.*IncorrectFormat\.Email.*pki@example\.com`),
			step("A", "13900000005", `  email = "On call <oncall@example.com>"`, `(?s)The email address is not valid.*no\s+display name`),
			step("A", "13900000005", `  email = "oncall@localhost"`, `The email address is not valid`),
			step("A", "1390000", "", `(?s)not in a form the service accepts.*mobile\s+=.*IncorrectFormat\.Mobile`),
			step("A", "+86 139 0000 0005", "", `not in a form the service accepts`),
			step("A", "13900000005", `  webhooks = ["http://oapi.dingtalk.com/robot/send"]`, `(?s)not an https URL.*webhooks\s+=`),
			step("A", "13900000005", `  webhooks = []`, `(?s)webhooks.*at least 1`),
			step(" A", "13900000005", "", `(?s)Surrounding white space.*name\s+=`),
		},
	})
	if n := env.Calls(""); n != 0 {
		t.Errorf("the emulator answered %d API calls; a plan-time error must make none", n)
	}
}

// The plan-time checks' diagnostics never repeat a mobile number or an email address: they are
// personal data, and diagnostics end up in CI logs.
func TestContactDiagnosticsDoNotRepeatPersonalData(t *testing.T) {
	var sr fwresource.SchemaResponse
	provider.NewContactResource().Schema(context.Background(), fwresource.SchemaRequest{}, &sr)
	for attr, value := range map[string]string{"mobile": "1390000123", "email": "secret-person-at-example.com"} {
		a, ok := sr.Schema.Attributes[attr].(schema.StringAttribute)
		if !ok || !a.Sensitive || len(a.Validators) == 0 {
			t.Fatalf("%s: %#v, want a sensitive string with validators", attr, sr.Schema.Attributes[attr])
		}
		var resp validator.StringResponse
		for _, v := range a.Validators {
			v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(attr), ConfigValue: types.StringValue(value)}, &resp)
		}
		if !resp.Diagnostics.HasError() {
			t.Fatalf("%s %q was accepted", attr, value)
		}
		for _, d := range resp.Diagnostics {
			if strings.Contains(d.Summary()+d.Detail(), value) {
				t.Errorf("%s: the diagnostic repeats the value: %s: %s", attr, d.Summary(), d.Detail())
			}
		}
	}
}

// The documented example plans and applies as written.
func TestAccContact_example(t *testing.T) {
	env := acctest.New(t)
	config, err := os.ReadFile("../../examples/resources/alicloudcas_contact/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	contactTest(t, env, resource.TestStep{
		Config: env.Config(string(config)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("alicloudcas_contact.oncall", tfjsonpath.New("webhooks"), knownvalue.ListSizeExact(1)),
		},
	})
}
