package emulator

import (
	"fmt"
	"net/http"
	"testing"
)

func TestListContact_itemsAndEcho(t *testing.T) {
	s := newState()
	hooked := mustCall(t, s, testEpoch, "CreateContact", map[string]string{"Name": "Ops", "Mobile": "13800000000",
		"Email": "ops@example.com", "Webhooks": dingHook}).int64(t, "ContactId")
	plain := newContact(t, s, testEpoch, "Sec", "13900000000", "")
	if _, apiErr := controlVerifyContact(s, testEpoch, []string{idString(hooked)}, []byte(`{"email": true}`)); apiErr != nil {
		t.Fatal(apiErr)
	}

	// Without paging parameters a real answer had no CurrentPage, ShowSize or Keyword.
	out := mustCall(t, s, testEpoch, "ListContact", nil)
	wantKinds(t, out, map[string]string{"TotalCount": "number", "ContactList": "array",
		"CurrentPage": "absent", "ShowSize": "absent", "Keyword": "absent"})
	items := out.list(t, "ContactList")
	if len(items) != 2 || wire(items[0]).int64(t, "ContactId") != plain {
		t.Fatalf("ContactList = %v; want newest first", items)
	}
	wantKinds(t, items[1], map[string]string{"ContactId": "number", "Name": "string", "Email": "string", "EmailStatus": "number",
		"Mobile": "string", "MobileStatus": "number", "Webhooks": "string", "WebhookList": "array"})
	if items[1]["Webhooks"] != dingHook || items[1]["Mobile"] != "13800000000" ||
		fmt.Sprintf("%v %v", items[1]["EmailStatus"], items[1]["MobileStatus"]) != "1 0" {
		t.Errorf("contact with a webhook = %v", items[1])
	}
	// No email: Email omitted; no webhook: "[]" (real answer) and an empty list.
	wantKinds(t, items[0], map[string]string{"Email": "absent", "Webhooks": "string", "WebhookList": "array"})
	if items[0]["Webhooks"] != "[]" || len(items[0]["WebhookList"].([]any)) != 0 {
		t.Errorf("contact without webhook = %v", items[0])
	}

	out = mustCall(t, s, testEpoch, "ListContact", map[string]string{"CurrentPage": "2", "ShowSize": "1", "Keyword": ""})
	wantKinds(t, out, map[string]string{"CurrentPage": "number", "ShowSize": "number", "Keyword": "string"})
	if got := out.list(t, "ContactList"); out.int64(t, "TotalCount") != 2 || len(got) != 1 || wire(got[0]).int64(t, "ContactId") != hooked {
		t.Errorf("page 2 of 1 = %v", out)
	}
}

func TestListContact_keywordAndPaging(t *testing.T) {
	s := newState()
	ops := newContact(t, s, testEpoch, "Ops Team", "13800000000", "ops@example.com")
	sec := newContact(t, s, testEpoch, "Security", "13900000001", "sec@corp.example")
	tests := []struct {
		keyword string
		want    []int64
	}{
		{"ops", []int64{ops}},          // name, case-insensitive
		{"corp.example", []int64{sec}}, // email
		{"1390", []int64{sec}},         // mobile
		{"139", []int64{sec}},
		{"nobody", nil},
	}
	for _, tt := range tests {
		out := mustCall(t, s, testEpoch, "ListContact", map[string]string{"Keyword": tt.keyword})
		var got []int64
		for _, it := range out.list(t, "ContactList") {
			got = append(got, wire(it).int64(t, "ContactId"))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || out["Keyword"] != tt.keyword {
			t.Errorf("Keyword %q: %v (%v); want %v", tt.keyword, got, out["Keyword"], tt.want)
		}
	}
	for _, bad := range []map[string]string{{"ShowSize": "0"}, {"CurrentPage": "0"}, {"ShowSize": "x"}, {"ShowSize": "101"}} {
		_, apiErr := bizCall(t, s, testEpoch, "ListContact", bad)
		wantAPIError(t, apiErr, http.StatusBadRequest, "InvalidParameter", "")
	}
	out := mustCall(t, s, testEpoch, "ListContact", map[string]string{"ShowSize": "20", "CurrentPage": "3"})
	if len(out.list(t, "ContactList")) != 0 || out.int64(t, "TotalCount") != 2 {
		t.Errorf("a page past the end = %v", out)
	}
}

func TestGetContact_masks(t *testing.T) {
	s := newState()
	id := mustCall(t, s, testEpoch, "CreateContact", map[string]string{"Name": "Ops", "Mobile": "13312345678",
		"Email": "test1@example.com", "Idcard": "110105194912310025", "Webhooks": dingHook}).int64(t, "ContactId")
	out := mustCall(t, s, testEpoch, "GetContact", map[string]string{"ContactId": idString(id)})
	wantKinds(t, out, map[string]string{"ContactId": "number", "Name": "string", "Email": "string", "Mobile": "string",
		"IdCard": "string", "Idcard": "absent", "EmailStatus": "number", "MobileStatus": "number", "Webhooks": "string", "WebhookList": "array"})
	// The masks the official provider observed: tes****1@example.com, 133******78, 1****************5.
	if out["Email"] != "tes****1@example.com" || out["Mobile"] != "133******78" || out["IdCard"] != "1****************5" {
		t.Errorf("masked = %v %v %v", out["Email"], out["Mobile"], out["IdCard"])
	}
	if list := out["WebhookList"].([]any); len(list) != 1 || list[0] != "https://oapi.dingtalk.com/robot/send?access_token=abc" {
		t.Errorf("WebhookList = %v (in clear)", list)
	}
	_, apiErr := bizCall(t, s, testEpoch, "GetContact", map[string]string{"ContactId": "1"})
	wantAPIError(t, apiErr, http.StatusNotFound, "NotFound.Contact", "")
}

func TestControlVerifyContact(t *testing.T) {
	s := newState()
	noMail := newContact(t, s, testEpoch, "Ops", "13800000000", "")
	out, apiErr := controlVerifyContact(s, testEpoch, []string{idString(noMail)}, nil)
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	// An empty body verifies both, but there is no email to verify.
	if it := out.(contactItem); it.MobileStatus != 1 || it.EmailStatus != 0 {
		t.Errorf("verified = %+v", it)
	}
	for _, tt := range []struct {
		arg, body string
		status    int
		code      string
	}{
		{"x", "", http.StatusBadRequest, "InvalidParameter"},
		{"424242", "", http.StatusNotFound, "NotFound.Contact"},
		{idString(noMail), `{"phone": true}`, http.StatusBadRequest, "InvalidParameter"},
	} {
		_, apiErr := controlVerifyContact(s, testEpoch, []string{tt.arg}, []byte(tt.body))
		wantAPIError(t, apiErr, tt.status, tt.code, "")
	}
}
