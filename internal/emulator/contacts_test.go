package emulator

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

const dingHook = `["https://oapi.dingtalk.com/robot/send?access_token=abc"]`

func TestCreateContact_answerAndStored(t *testing.T) {
	s := newState()
	out := mustCall(t, s, testEpoch, "CreateContact", map[string]string{"Name": " Ops ", "Mobile": "13800000000",
		"Email": "ops@example.com", "Idcard": "11010519491231002X", "Webhooks": dingHook})
	wantKinds(t, out, map[string]string{"ContactId": "number"})
	ct, ok := contactByID(s, out.int64(t, "ContactId"))
	if !ok || ct.Name != "Ops" || ct.Mobile != "13800000000" || ct.Idcard != "11010519491231002X" || len(ct.Webhooks) != 1 ||
		ct.EmailVerified || ct.MobileVerified || !ct.CreatedAt.Equal(testEpoch) {
		t.Fatalf("stored contact = %+v", ct)
	}
}

func TestCreateContact_refused(t *testing.T) {
	s := newState()
	newContact(t, s, testEpoch, "First", "13900000000", "first@example.com")
	base := map[string]string{"Name": "Ops", "Mobile": "13800000000"}
	tests := []struct {
		name   string
		params map[string]string
		code   string
	}{
		{"no Name", paramsWith(base, "Name", ""), "MissingName"},
		{"no Mobile", paramsWith(base, "Mobile", ""), "MissingMobile"},
		{"blank Name", paramsWith(base, "Name", "  "), "IncorrectFormat.Name"},
		{"Mobile too short", paramsWith(base, "Mobile", "138000"), "IncorrectFormat.Mobile"},
		{"Mobile with letters", paramsWith(base, "Mobile", "1380000000a"), "IncorrectFormat.Mobile"},
		{"Email without domain", paramsWith(base, "Email", "ops@"), "IncorrectFormat.Email"},
		{"Email without dot", paramsWith(base, "Email", "ops@localhost"), "IncorrectFormat.Email"},
		{"Idcard of 10 digits", paramsWith(base, "Idcard", "1234567890"), "IncorrectFormat.Idcard"},
		{"Webhooks not JSON", paramsWith(base, "Webhooks", "https://oapi.dingtalk.com/robot/send"), "IncorrectFormat.Webhooks"},
		{"Webhooks of another host", paramsWith(base, "Webhooks", `["https://example.com/hook"]`), "IncorrectFormat.Webhooks"},
		{"Webhooks over http", paramsWith(base, "Webhooks", `["http://oapi.dingtalk.com/robot/send"]`), "IncorrectFormat.Webhooks"},
		{"Mobile taken", paramsWith(base, "Mobile", "13900000000"), "AlreadyExists.Mobile"},
		{"Email taken, other case", paramsWith(base, "Email", "FIRST@example.com"), "AlreadyExists.Email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, apiErr := bizCall(t, s, testEpoch, "CreateContact", tt.params)
			wantAPIError(t, apiErr, http.StatusBadRequest, tt.code, "")
			if len(s.Contacts) != 1 {
				t.Fatalf("%d contacts after a refusal", len(s.Contacts))
			}
		})
	}
}

func TestCreateContact_acceptedShapes(t *testing.T) {
	for i, tt := range []map[string]string{
		{"Mobile": "+6591234567"},
		{"Mobile": "86-13800000000"},
		{"Idcard": "110105194912310021"},
		{"Webhooks": `["https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k","https://open.feishu.cn/open-apis/bot/v2/hook/x"]`},
		{"Webhooks": "[]"},
	} {
		t.Run(fmt.Sprint(tt), func(t *testing.T) {
			params := paramsWith(map[string]string{"Name": fmt.Sprintf("c%d", i), "Mobile": "13800000000"})
			for k, v := range tt {
				params[k] = v
			}
			mustCall(t, newState(), testEpoch, "CreateContact", params)
		})
	}
}

func TestCreateContact_limit(t *testing.T) {
	s := newState()
	for i := range maxContacts {
		newContact(t, s, testEpoch, "c", fmt.Sprintf("1380000%04d", i), "")
	}
	_, apiErr := bizCall(t, s, testEpoch, "CreateContact", map[string]string{"Name": "one more", "Mobile": "13900000000"})
	wantAPIError(t, apiErr, http.StatusBadRequest, "LimitExceeded.Contact", "100")
}

func TestUpdateContact(t *testing.T) {
	s := newState()
	id := mustCall(t, s, testEpoch, "CreateContact", map[string]string{"Name": "Ops", "Mobile": "13800000000",
		"Email": "ops@example.com", "Webhooks": dingHook}).int64(t, "ContactId")
	other := newContact(t, s, testEpoch, "Other", "13900000000", "other@example.com")
	if _, apiErr := controlVerifyContact(s, testEpoch, []string{idString(id)}, nil); apiErr != nil {
		t.Fatal(apiErr)
	}
	later := testEpoch.Add(time.Hour)

	// Every mutable field is carried: what is left out is cleared; a changed email loses its
	// verification, the unchanged mobile keeps it.
	out := mustCall(t, s, later, "UpdateContact", map[string]string{"ContactId": idString(id), "Name": "Ops Team",
		"Mobile": "13800000000", "Email": "team@example.com"})
	wantKinds(t, out, map[string]string{"ContactId": "number"})
	ct, _ := contactByID(s, id)
	if ct.Name != "Ops Team" || ct.Email != "team@example.com" || ct.Webhooks != nil || ct.EmailVerified || !ct.MobileVerified ||
		!ct.ModifiedAt.Equal(later) || !ct.CreatedAt.Equal(testEpoch) {
		t.Fatalf("updated contact = %+v", ct)
	}

	tests := []struct {
		name   string
		params map[string]string
		status int
		code   string
	}{
		{"no ContactId", map[string]string{"Name": "x", "Mobile": "13800000000"}, 400, "MissingContactId"},
		{"unknown ContactId", map[string]string{"ContactId": "999", "Name": "x", "Mobile": "13800000000"}, 404, "NotFound.Contact"},
		{"partial update", map[string]string{"ContactId": idString(id), "Name": "x"}, 400, "MissingMobile"},
		{"another contact's mobile", map[string]string{"ContactId": idString(id), "Name": "x", "Mobile": "13900000000"}, 400, "AlreadyExists.Mobile"},
		{"bad email", map[string]string{"ContactId": idString(other), "Name": "x", "Mobile": "13900000000", "Email": "nope"}, 400, "IncorrectFormat.Email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, apiErr := bizCall(t, s, later, "UpdateContact", tt.params)
			wantAPIError(t, apiErr, tt.status, tt.code, "")
		})
	}
	if ct, _ := contactByID(s, id); ct.Name != "Ops Team" {
		t.Errorf("a refused update changed the contact: %+v", ct)
	}
}

func TestDeleteContact(t *testing.T) {
	s := newState()
	id := newContact(t, s, testEpoch, "Ops", "13800000000", "")
	out := mustCall(t, s, testEpoch, "DeleteContact", map[string]string{"ContactId": idString(id)})
	if len(out) != 0 || len(s.Contacts) != 0 {
		t.Fatalf("answer %v, contacts %v", out, s.Contacts)
	}
	_, apiErr := bizCall(t, s, testEpoch, "DeleteContact", map[string]string{"ContactId": idString(id)})
	wantAPIError(t, apiErr, http.StatusNotFound, "NotFound.Contact", "")
	_, apiErr = bizCall(t, s, testEpoch, "DeleteContact", nil)
	wantAPIError(t, apiErr, http.StatusBadRequest, "MissingContactId", "")
}

// The most recent contact stands in for an application's applicant (R-18, order_checks.go).
func TestContact_isTheDefaultApplicant(t *testing.T) {
	s := newState()
	newContact(t, s, testEpoch, "Old", "13900000000", "old@example.com")
	newContact(t, s, testEpoch, "Newest", "13800000000", "new@example.com")
	s.Packages["digicert-free-1-free"] = &Package{ProductCode: "digicert-free-1-free", TotalCount: 1}
	out := mustCall(t, s, testEpoch, "CreateCertificateForPackageRequest", map[string]string{
		"ProductCode": "digicert-free-1-free", "Domain": "app.example.com"})
	o, _ := orderByID(s, out.int64(t, "OrderId"))
	if o.Username != "Newest" || o.Phone != "13800000000" || o.Email != "new@example.com" {
		t.Errorf("applicant = %q %q %q", o.Username, o.Phone, o.Email)
	}
}
