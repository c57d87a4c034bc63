package cas

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

// emulatorClient starts an emulator for the test and answers a client of it and its control API.
func emulatorClient(t *testing.T) (*Client, *control.Client) {
	t.Helper()
	srv, _ := emulator.NewTestServer(emulator.Options{Seed: 1})
	t.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := New(Config{Endpoint: ep, Retry: RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		Credentials: credentials.NewStaticAKCredentialsProvider(emulator.DemoAccessKeyID, emulator.DemoAccessKeySecret)})
	return c, control.New(srv.URL)
}

var (
	tom = Contact{Name: "Tom", Mobile: "13900000001", Email: "tom.lee@example.com",
		Webhooks: []string{"https://oapi.dingtalk.com/robot/send?access_token=t1"}}
	ann = Contact{Name: "Ann", Mobile: "+6591234567"}
)

func TestContactLifecycleAgainstTheEmulator(t *testing.T) {
	c, ctl := emulatorClient(t)
	ctx := context.Background()

	id, err := c.CreateContact(ctx, tom)
	if err != nil {
		t.Fatal(err)
	}
	// GetContact masks the personal fields and answers the rest in clear.
	got, err := c.GetContact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := Contact{ID: id, Name: "Tom", Mobile: "139******01", Email: "tom****e@example.com", Webhooks: tom.Webhooks}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("GetContact = %+v, want %+v", *got, want)
	}
	// ListContact answers them in clear, with the verification flags.
	if err := ctl.Post(ctx, fmt.Sprintf("contacts/%d/verify", id), map[string]bool{"email": true}, nil); err != nil {
		t.Fatal(err)
	}
	annID, err := c.CreateContact(ctx, ann)
	if err != nil {
		t.Fatal(err)
	}
	all, err := c.ListContacts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	wantTom := tom
	wantTom.ID, wantTom.EmailVerified = id, true
	wantAnn := ann
	wantAnn.ID = annID
	if len(all) != 2 || !reflect.DeepEqual(all[1], wantTom) || !reflect.DeepEqual(all[0], wantAnn) {
		t.Fatalf("ListContacts = %+v", all)
	}
	if found, err := c.ListContacts(ctx, "6591"); err != nil || len(found) != 1 || found[0].ID != annID {
		t.Fatalf("ListContacts(6591) = %+v, %v", found, err)
	}

	// A second contact with a number already used is refused, and says which field.
	_, err = c.CreateContact(ctx, Contact{Name: "Tom again", Mobile: tom.Mobile})
	if field, ok := IsContactTaken(err); !ok || field != "Mobile" {
		t.Fatalf("CreateContact with a used mobile: err = %v (field %q)", err, field)
	}

	// UpdateContact replaces every field: the email and the webhooks left empty are cleared.
	next := Contact{ID: id, Name: "Tom Lee", Mobile: "13900000009"}
	if err := c.UpdateContact(ctx, next); err != nil {
		t.Fatal(err)
	}
	obj, _, err := ctl.Object(ctx, "contacts", fmt.Sprint(id))
	if err != nil {
		t.Fatal(err)
	}
	if obj["name"] != "Tom Lee" || obj["mobile"] != "13900000009" || obj["email"] != nil || obj["webhooks"] != nil {
		t.Fatalf("after UpdateContact the emulator holds %v", obj)
	}
	if err := c.UpdateContact(ctx, Contact{ID: id, Name: "Tom", Mobile: ann.Mobile}); !isTaken(err, "Mobile") {
		t.Fatalf("UpdateContact to another contact's number: err = %v", err)
	}

	if err := c.DeleteContact(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteContact(ctx, id); !IsNotFound(err) {
		t.Fatalf("deleting twice: err = %v, want NotFoundError", err)
	}
	if _, err := c.GetContact(ctx, id); !IsNotFound(err) {
		t.Fatalf("GetContact of a deleted contact: err = %v, want NotFoundError", err)
	}
	if err := c.UpdateContact(ctx, next); !IsNotFound(err) {
		t.Fatalf("UpdateContact of a deleted contact: err = %v, want NotFoundError", err)
	}
}

func isTaken(err error, field string) bool {
	f, ok := IsContactTaken(err)
	return ok && f == field
}

// The create's answer is lost after the service made the contact: the client finds it by its
// mobile number instead of failing or making a second one.
func TestCreateContactWhoseAnswerIsLostFindsTheContact(t *testing.T) {
	c, ctl := emulatorClient(t)
	ctx := context.Background()
	if err := ctl.SetFaults(ctx, control.Faults{DropAfterCommitRate: 1, Actions: []string{"CreateContact"}}); err != nil {
		t.Fatal(err)
	}
	id, err := c.CreateContact(ctx, tom)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := ctl.Objects(ctx, "contacts")
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := objs.(map[string]any); len(m) != 1 || m[fmt.Sprint(id)] == nil {
		t.Fatalf("the emulator holds %v, want contact %d alone", objs, id)
	}
	reqs, err := ctl.Requests(ctx, "CreateContact")
	if err != nil || len(reqs) != 1 {
		t.Fatalf("%d CreateContact requests (%v), want 1: the contact was found, not created again", len(reqs), err)
	}
}

// A contact that existed before the create is someone else's, even with the same details: the
// refusal is returned, never adopted.
func TestCreateContactRefusedOnItsFirstSendIsNotAdopted(t *testing.T) {
	c, _ := emulatorClient(t)
	ctx := context.Background()
	if _, err := c.CreateContact(ctx, tom); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateContact(ctx, tom); !isTaken(err, "Mobile") {
		t.Fatalf("err = %v, want AlreadyExists.Mobile", err)
	}
}

// byAction answers each request with the next step of its action's script (the last repeats).
func byAction(t *testing.T, into *[]captured, mu *sync.Mutex, scripts map[string][]step) string {
	t.Helper()
	n := map[string]int{}
	srv, _ := scripted(t, capture(into, mu, func(w http.ResponseWriter, r *http.Request) {
		action := r.URL.Query().Get("Action")
		mu.Lock()
		steps := scripts[action]
		i := min(n[action], len(steps)-1)
		n[action]++
		mu.Unlock()
		if len(steps) == 0 {
			t.Errorf("unexpected %s", action)
			fail(http.StatusNotFound, "InvalidAction.NotFound")(w, r)
			return
		}
		steps[i](w, r)
	}))
	return srv.URL
}

func actions(seen []captured) []string {
	var out []string
	for _, s := range seen {
		out = append(out, s.query.Get("Action"))
	}
	return out
}

func TestCreateContactResendsWhenNothingWasCreated(t *testing.T) {
	var seen []captured
	var mu sync.Mutex
	url := byAction(t, &seen, &mu, map[string][]step{
		"CreateContact": {drop, ok(`{"RequestId":"R","ContactId":507742}`)},
		"ListContact":   {ok(`{"RequestId":"R","TotalCount":0,"ContactList":[]}`)},
	})
	c, _ := testClient(t, url, 3)
	id, err := c.CreateContact(context.Background(), tom)
	if err != nil || id != 507742 {
		t.Fatalf("CreateContact = %d, %v", id, err)
	}
	if got := actions(seen); !reflect.DeepEqual(got, []string{"CreateContact", "ListContact", "CreateContact"}) {
		t.Fatalf("calls = %v", got)
	}
	first, second := seen[0].form.Get("ClientToken"), seen[2].form.Get("ClientToken")
	if first == "" || first != second {
		t.Fatalf("ClientToken %q then %q: a resend must carry the first token", first, second)
	}
	// The lookup asks for the number in the body, not the URL.
	if seen[1].form.Get("Keyword") != tom.Mobile || seen[1].query.Has("Keyword") {
		t.Fatalf("ListContact body %v, query %v", seen[1].form, seen[1].query)
	}
}

// A resend refused because the mobile number exists resolves to the contact the lost send made.
func TestCreateContactResendRefusedAsTakenFindsTheContact(t *testing.T) {
	var seen []captured
	var mu sync.Mutex
	mine := `{"RequestId":"R","TotalCount":1,"ContactList":[{"ContactId":9,"Name":"Tom","Mobile":"13900000001","Email":"tom.lee@example.com","Webhooks":"[]"}]}`
	url := byAction(t, &seen, &mu, map[string][]step{
		"CreateContact": {drop, fail(http.StatusBadRequest, "AlreadyExists.Mobile")},
		// The lost send is not listed yet at the first lookup, and is at the second.
		"ListContact": {ok(`{"RequestId":"R","TotalCount":0,"ContactList":[]}`), ok(mine)},
	})
	c, _ := testClient(t, url, 3)
	id, err := c.CreateContact(context.Background(), tom)
	if err != nil || id != 9 {
		t.Fatalf("CreateContact = %d, %v (calls %v)", id, err, actions(seen))
	}
}

// After a lost answer, a contact of other details with the number proves nothing was created.
func TestCreateContactLostAnswerAndAnotherContactHasTheNumber(t *testing.T) {
	var seen []captured
	var mu sync.Mutex
	other := `{"RequestId":"R","TotalCount":1,"ContactList":[{"ContactId":5,"Name":"Someone else","Mobile":"13900000001","Webhooks":"[]"}]}`
	url := byAction(t, &seen, &mu, map[string][]step{
		"CreateContact": {drop},
		"ListContact":   {ok(other)},
	})
	c, _ := testClient(t, url, 3)
	_, err := c.CreateContact(context.Background(), tom)
	if err == nil || !strings.Contains(err.Error(), "contact 5") || !strings.Contains(err.Error(), "nothing was created") {
		t.Fatalf("err = %v", err)
	}
	if got := actions(seen); !reflect.DeepEqual(got, []string{"CreateContact", "ListContact"}) {
		t.Fatalf("calls = %v", got)
	}
}

// Personal data travels in the POST body; UpdateContact sends every field, empty ones included.
func TestContactWritesSendEveryFieldInTheBody(t *testing.T) {
	var seen []captured
	var mu sync.Mutex
	url := byAction(t, &seen, &mu, map[string][]step{
		"CreateContact": {ok(`{"RequestId":"R","ContactId":"77"}`)},
		"UpdateContact": {ok(`{"RequestId":"R","ContactId":77}`)},
	})
	c, _ := testClient(t, url, 0)
	ctx := context.Background()
	id, err := c.CreateContact(ctx, tom)
	if err != nil || id != 77 {
		t.Fatalf("CreateContact = %d, %v", id, err)
	}
	if err := c.UpdateContact(ctx, Contact{ID: 77, Name: "Tom", Mobile: "13900000002"}); err != nil {
		t.Fatal(err)
	}
	hooks, _ := json.Marshal(tom.Webhooks)
	wants := []map[string]string{
		{"Name": "Tom", "Mobile": tom.Mobile, "Email": tom.Email, "Idcard": "", "Webhooks": string(hooks)},
		{"Name": "Tom", "Mobile": "13900000002", "Email": "", "Idcard": "", "Webhooks": "[]"},
	}
	for i, want := range wants {
		got := seen[i]
		for k, v := range want {
			if !got.form.Has(k) || got.form.Get(k) != v {
				t.Errorf("%s: body %s = %q (sent: %v), want %q", got.query.Get("Action"), k, got.form.Get(k), got.form.Has(k), v)
			}
			if got.query.Has(k) {
				t.Errorf("%s: %s is in the URL", got.query.Get("Action"), k)
			}
		}
		if got.form.Get("ClientToken") == "" {
			t.Errorf("%s: no ClientToken", got.query.Get("Action"))
		}
	}
	if seen[1].query.Get("ContactId") != "77" {
		t.Errorf("UpdateContact ContactId = %q", seen[1].query.Get("ContactId"))
	}
}

func TestContactAnswersAreReadLeniently(t *testing.T) {
	tests := []struct {
		name string
		json string
		want Contact
	}{
		{"capture: Webhooks as JSON text, numbers", `{"ContactId":507742,"Name":"N","Email":"x@qq.com","EmailStatus":1,"Mobile":"187","MobileStatus":1,"Webhooks":"[]"}`,
			Contact{ID: 507742, Name: "N", Email: "x@qq.com", Mobile: "187", EmailVerified: true, MobileVerified: true}},
		{"WebhookList wins over Webhooks", `{"ContactId":"8","Webhooks":"[\"https://a\"]","WebhookList":["https://b"],"EmailStatus":"0"}`,
			Contact{ID: 8, Webhooks: []string{"https://b"}}},
		{"Webhooks as a list", `{"ContactId":8,"Webhooks":["https://a"],"MobileStatus":"1"}`,
			Contact{ID: 8, Webhooks: []string{"https://a"}, MobileVerified: true}},
		{"Webhooks empty string or null", `{"ContactId":8,"Webhooks":"","WebhookList":null}`, Contact{ID: 8}},
		{"IdCard", `{"ContactId":8,"IdCard":"1****************5"}`, Contact{ID: 8, IDCard: "1****************5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w contactWire
			if err := json.Unmarshal([]byte(tt.json), &w); err != nil {
				t.Fatal(err)
			}
			if got := w.contact(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	var w contactWire
	if err := json.Unmarshal([]byte(`{"Webhooks":"not a list"}`), &w); err == nil {
		t.Fatal("Webhooks that are not a JSON list were accepted")
	}
}
