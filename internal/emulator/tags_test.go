package emulator

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func certTags(s *State, id int64) string {
	var out []string
	for _, t := range s.Certificates[idString(id)].Tags {
		out = append(out, t.Key+"="+t.Value)
	}
	return fmt.Sprint(out)
}

func TestTagActions(t *testing.T) {
	s := newState()
	id := uploadCert(t, s, testEpoch, "tagged", "tagged.example.com", testEpoch.Add(90*24*time.Hour))
	rid := s.Certificates[idString(id)].InstanceID
	other := uploadCert(t, s, testEpoch, "other", "other.example.com", testEpoch.Add(90*24*time.Hour))

	steps := []struct {
		name   string
		action string
		params map[string]string
		code   string // "" = success
		tags   string // the first certificate's tags afterwards
	}{
		{"tag by instance id", "TagResources", map[string]string{"ResourceType": "instance", "ResourceId.1": rid, "Tag.1.Key": "env", "Tag.1.Value": "dev", "Tag.2.Key": "team", "Tag.2.Value": "a"}, "", "[env=dev team=a]"},
		{"overwrite a value by CertId", "TagResources", map[string]string{"ResourceType": "instance", "ResourceId.1": idString(id), "Tag.1.Key": "env", "Tag.1.Value": "prod"}, "", "[env=prod team=a]"},
		{"ResourceType other than instance", "TagResources", map[string]string{"ResourceType": "Certificate", "ResourceId.1": rid, "Tag.1.Key": "x"}, "InvalidParameter", "[env=prod team=a]"},
		{"no tags", "TagResources", map[string]string{"ResourceId.1": rid}, "MissingTag", "[env=prod team=a]"},
		{"no resource", "TagResources", map[string]string{"Tag.1.Key": "x"}, "MissingResourceId", "[env=prod team=a]"},
		{"unknown resource changes nothing", "TagResources", map[string]string{"ResourceId.1": rid, "ResourceId.2": "cas-upload-nope00", "Tag.1.Key": "x"}, "NotFound", "[env=prod team=a]"},
		{"key starting with aliyun", "TagResources", map[string]string{"ResourceId.1": rid, "Tag.1.Key": "aliyunKey"}, "InvalidParameter", "[env=prod team=a]"},
		{"untag one key", "UntagResources", map[string]string{"ResourceType": "instance", "ResourceId.1": rid, "TagKey.1": "team"}, "", "[env=prod]"},
		{"untag needs TagKey or All", "UntagResources", map[string]string{"ResourceId.1": rid}, "MissingTagKey", "[env=prod]"},
		{"untag All", "UntagResources", map[string]string{"ResourceId.1": rid, "All": "true"}, "", "[]"},
	}
	for _, st := range steps {
		_, apiErr := bizCall(t, s, testEpoch, st.action, st.params)
		if st.code == "" && apiErr != nil {
			t.Fatalf("%s: %v", st.name, apiErr)
		}
		if st.code != "" && (apiErr == nil || apiErr.Code != st.code) {
			t.Fatalf("%s: error %v; want %s", st.name, apiErr, st.code)
		}
		if got := certTags(s, id); got != st.tags {
			t.Fatalf("%s: tags %s; want %s", st.name, got, st.tags)
		}
	}

	// The per-resource limit of 20 counts the tags already there.
	params := map[string]string{"ResourceId.1": rid}
	for i := 1; i <= 20; i++ {
		params[fmt.Sprintf("Tag.%d.Key", i)] = fmt.Sprintf("k%02d", i)
	}
	mustCall(t, s, testEpoch, "TagResources", params)
	_, apiErr := bizCall(t, s, testEpoch, "TagResources", map[string]string{"ResourceId.1": rid, "Tag.1.Key": "one-more"})
	wantAPIError(t, apiErr, http.StatusBadRequest, "InvalidParameter", "at most 20")

	mustCall(t, s, testEpoch, "TagResources", map[string]string{"ResourceId.1": idString(other), "Tag.1.Key": "k01", "Tag.1.Value": "x"})
	list := []struct {
		name   string
		params map[string]string
		rows   int
		next   bool
	}{
		{"by resource id", map[string]string{"ResourceType": "instance", "ResourceId.1": rid}, 20, false},
		{"by tag", map[string]string{"Tag.1.Key": "k01", "MaxResults": "50"}, 21, false},
		{"by tag and value", map[string]string{"Tag.1.Key": "k01", "Tag.1.Value": "x"}, 1, false},
		{"paged", map[string]string{"ResourceId.1": rid, "MaxResults": "15"}, 15, true},
		{"second page", map[string]string{"ResourceId.1": rid, "MaxResults": "15", "NextToken": "15"}, 5, false},
	}
	for _, l := range list {
		t.Run(l.name, func(t *testing.T) {
			out := mustCall(t, s, testEpoch, "ListTagResources", l.params)
			wantKinds(t, out, map[string]string{"MaxResults": "number", "TagResources": "object"})
			rows := wire(out["TagResources"].(map[string]any)).list(t, "TagResource")
			if len(rows) != l.rows || (out["NextToken"] != nil) != l.next {
				t.Errorf("%d rows, NextToken %v; want %d, next=%v", len(rows), out["NextToken"], l.rows, l.next)
			}
			wantKinds(t, rows[0], map[string]string{"ResourceId": "string", "ResourceType": "string", "TagKey": "string", "TagValue": "string"})
		})
	}
	_, apiErr = bizCall(t, s, testEpoch, "ListTagResources", nil)
	wantAPIError(t, apiErr, http.StatusBadRequest, "InvalidParameter", "ResourceId or Tag")
}

func TestMoveResourceGroup(t *testing.T) {
	s := newState()
	id := uploadCert(t, s, testEpoch, "moved", "moved.example.com", testEpoch.Add(90*24*time.Hour))
	rid := s.Certificates[idString(id)].InstanceID
	tests := []struct {
		name   string
		params map[string]string
		code   string
		group  string
	}{
		{"Certificate by CertId", map[string]string{"ResourceId": idString(id), "ResourceGroupId": "rg-aek1", "ResourceType": "Certificate"}, "", "rg-aek1"},
		{"instance by InstanceId", map[string]string{"ResourceId": rid, "ResourceGroupId": "rg-aek2", "ResourceType": "instance"}, "", "rg-aek2"},
		{"default type", map[string]string{"ResourceId": rid, "ResourceGroupId": "rg-aek3"}, "", "rg-aek3"},
		{"no group", map[string]string{"ResourceId": rid, "ResourceType": "instance"}, "MissingResourceGroupId", "rg-aek3"},
		{"bad type", map[string]string{"ResourceId": rid, "ResourceGroupId": "rg-aek4", "ResourceType": "certificate"}, "InvalidParameter", "rg-aek3"},
		{"unknown resource", map[string]string{"ResourceId": "cas-upload-zzzzzz", "ResourceGroupId": "rg-aek4"}, "NotFound", "rg-aek3"},
	}
	for _, tt := range tests {
		_, apiErr := bizCall(t, s, testEpoch, "MoveResourceGroup", tt.params)
		if (tt.code == "" && apiErr != nil) || (tt.code != "" && (apiErr == nil || apiErr.Code != tt.code)) {
			t.Fatalf("%s: error %v; want %q", tt.name, apiErr, tt.code)
		}
		got := mustCall(t, s, testEpoch, "GetUserCertificateDetail", map[string]string{"CertId": idString(id)})["ResourceGroupId"]
		if got != tt.group {
			t.Fatalf("%s: ResourceGroupId %v; want %s", tt.name, got, tt.group)
		}
	}
}

func TestCreateCertificateName_legacyVersion(t *testing.T) {
	s := newState()
	id := uploadCert(t, s, testEpoch, "old-name", "n.example.com", testEpoch.Add(90*24*time.Hour))
	uploadCert(t, s, testEpoch, "taken", "t.example.com", testEpoch.Add(90*24*time.Hour))
	call := func(params map[string]string) *APIError {
		_, apiErr := bizCallVersion(t, s, testEpoch, legacyCASVersion, "CreateCertificateName", params)
		return apiErr
	}
	if apiErr := call(map[string]string{"CertificateId": idString(id), "Name": "new-name", "ResourceGroupId": "rg-x1",
		"Tags.1.Key": "a", "Tags.1.Value": "1"}); apiErr != nil {
		t.Fatal(apiErr)
	}
	cert := s.Certificates[idString(id)]
	if cert.Name != "new-name" || cert.ResourceGroupID != "rg-x1" || certTags(s, id) != "[a=1]" {
		t.Fatalf("after rename: %+v", cert)
	}
	if apiErr := call(map[string]string{"CertificateId": idString(id), "Name": "new-name"}); apiErr != nil || certTags(s, id) != "[a=1]" {
		t.Fatalf("same name, no Tags: %v, tags %s", apiErr, certTags(s, id))
	}
	if apiErr := call(map[string]string{"CertificateId": idString(id), "Tags.1.Key": ""}); apiErr != nil || certTags(s, id) != "[]" {
		t.Fatalf("clearing tags: %v, tags %s", apiErr, certTags(s, id))
	}
	wantAPIError(t, call(map[string]string{"CertificateId": idString(id), "Name": "taken"}), 400, "NameRepeat", "")
	wantAPIError(t, call(map[string]string{"CertificateId": "4242", "Name": "x"}), 404, "NotFound", "")
	if _, ok := lookupAction(casVersion, "CreateCertificateName"); ok {
		t.Error("CreateCertificateName must be an action of 2018-08-13 only")
	}
}
