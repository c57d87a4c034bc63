package emulator

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// The contract test. Every answer of the actions the provider calls is checked, field by field,
// against the response models of Alibaba Cloud's generated SDK: testdata/cas-models.json, made
// from cas-models.md by internal/modelgen (and completed by hand, marked with a "source", where
// the models are older than the reference pages). It fails when the emulator sends a field the
// model does not have (an invented or misspelt name), a field of the wrong JSON type (a string
// for a number), an enumerated value the model does not list, or misses a field the provider
// relies on. Model fields the emulator never sends are only logged, so the gap stays visible.
//
// The deployment family, cloud resources and contacts are in contract_deploy_test.go.

// contractAction and contractField mirror the JSON that internal/modelgen writes.
type contractAction struct {
	Source   string           `json:"source"`
	Note     string           `json:"note"`
	Response []*contractField `json:"response"`
}

type contractField struct {
	Name   string           `json:"name"`
	Type   string           `json:"type"` // string, number, boolean, object, array, any
	Items  string           `json:"items"`
	Enum   []string         `json:"enum"`
	Fields []*contractField `json:"fields"`
	Source string           `json:"source"` // set on fields added by hand
}

var (
	contractOnce    sync.Once
	contractTable   map[string]*contractAction
	contractLoadErr error
)

// contractModels reads testdata/cas-models.json once per test binary.
func contractModels(t *testing.T) map[string]*contractAction {
	t.Helper()
	contractOnce.Do(func() {
		data, err := os.ReadFile("testdata/cas-models.json")
		if err != nil {
			contractLoadErr = err
			return
		}
		var doc struct {
			Actions map[string]*contractAction `json:"actions"`
		}
		contractLoadErr = json.Unmarshal(data, &doc)
		contractTable = doc.Actions
	})
	if contractLoadErr != nil {
		t.Fatalf("testdata/cas-models.json: %v", contractLoadErr)
	}
	return contractTable
}

// contractProbe is one call whose answer is checked.
type contractProbe struct {
	label  string // the state the answer shows, named in messages when an action has several
	params map[string]string
	at     time.Time // the call's time; testEpoch when zero
	must   []string  // paths this answer must carry besides the action's own list
	// absent lists fields that do not apply in this state: the service omits them (never null).
	absent []string
}

// contractCase drives a fresh account into states where the action's answer is fully populated.
// must lists the paths the provider relies on: "Name", "CertList[].Identifier" (every item of a
// non-empty list), "TagResources.TagResource[].TagKey".
type contractCase struct {
	action string
	setup  func(t *testing.T, s *State) []contractProbe
	must   []string
}

func TestContract(t *testing.T) { runContractCases(t, contractCases) }

// TestContract_coverage: every action of the table has a case, and every case a model.
func TestContract_coverage(t *testing.T) {
	models := contractModels(t)
	covered := map[string]bool{}
	for _, tc := range append(slices.Clone(contractCases), deployContractCases...) {
		if covered[tc.action] {
			t.Errorf("%s has two contract cases", tc.action)
		}
		covered[tc.action] = true
		if models[tc.action] == nil {
			t.Errorf("%s: no model in testdata/cas-models.json", tc.action)
		}
	}
	for name := range models {
		if !covered[name] {
			t.Errorf("%s has a model but no contract case", name)
		}
	}
}

// TestContract_checker: the checker itself fails on each kind of drift, with the action and
// the JSON path in the message.
func TestContract_checker(t *testing.T) {
	model := []*contractField{
		{Name: "RequestId", Type: "string"},
		{Name: "TotalCount", Type: "number"},
		{Name: "Data", Type: "any"},
		{Name: "CertList", Type: "array", Items: "object", Fields: []*contractField{
			{Name: "BeforeDate", Type: "number"},
			{Name: "Status", Type: "string", Enum: []string{"ISSUE", "REVOKE"}},
			{Name: "ExistPrivateKey", Type: "boolean"},
		}},
	}
	tests := []struct {
		name   string
		answer string
		must   []string
		absent []string
		want   string // "" = no failure; else a piece of the only message
	}{
		{"conforming", `{"RequestId":"r","TotalCount":1,"Data":"[]","CertList":[{"BeforeDate":1,"Status":"ISSUE","ExistPrivateKey":true}]}`,
			[]string{"CertList[].Status"}, nil, ""},
		{"invented field", `{"RequestId":"r","Extra":1}`, nil, nil, "ListCert: Extra is not in the model"},
		{"misspelt field", `{"RequestId":"r","totalCount":1}`, nil, nil, "totalCount is not in the model (the model spells it TotalCount)"},
		{"string for number", `{"RequestId":"r","CertList":[{"BeforeDate":"1700000000000"}]}`, nil, nil,
			`ListCert: CertList[0].BeforeDate is string ("1700000000000"), model says number`},
		{"null", `{"RequestId":"r","CertList":[{"Status":null}]}`, nil, nil, "CertList[0].Status is null (null), model says string"},
		{"fraction", `{"RequestId":"r","TotalCount":1.5}`, nil, nil, "TotalCount is 1.5, model's numbers are integers"},
		{"value outside the enumeration", `{"RequestId":"r","CertList":[{"Status":"issued"}]}`, nil, nil,
			`CertList[0].Status is "issued", not one of the model's values ISSUE, REVOKE`},
		{"missing field the provider needs", `{"RequestId":"r","CertList":[{"Status":"ISSUE"},{}]}`, []string{"CertList[].Status"}, nil,
			"CertList[1].Status is missing; the provider relies on it"},
		{"empty list hides a needed field", `{"RequestId":"r","CertList":[]}`, []string{"CertList[].Status"}, nil, "CertList is empty"},
		{"field that does not apply", `{"RequestId":"r","CertList":[{},{"Status":"ISSUE"}]}`, nil, []string{"CertList[].Status"},
			"CertList[].Status is sent, but it does not apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(tt.answer))
			dec.UseNumber()
			var out map[string]any
			if err := dec.Decode(&out); err != nil {
				t.Fatal(err)
			}
			errs := contractCheckAnswer("ListCert", out, model, tt.must, tt.absent, map[string]bool{})
			switch {
			case tt.want == "" && len(errs) > 0:
				t.Errorf("failures %q; want none", errs)
			case tt.want != "" && (len(errs) != 1 || !strings.Contains(errs[0], tt.want)):
				t.Errorf("failures %q; want one containing %q", errs, tt.want)
			}
		})
	}
}

func runContractCases(t *testing.T, cases []contractCase) {
	models := contractModels(t)
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			model := models[tc.action]
			if model == nil {
				t.Fatalf("%s: no model in testdata/cas-models.json", tc.action)
			}
			if _, ok := lookupAction(casVersion, tc.action); !ok {
				t.Fatalf("%s: the action is not registered in the emulator", tc.action)
			}
			s := newState()
			sent := map[string]bool{}
			for _, p := range tc.setup(t, s) {
				at := p.at
				if at.IsZero() {
					at = testEpoch
				}
				where := tc.action
				if p.label != "" {
					where += " (" + p.label + ")"
				}
				out := contractWireAnswer(t, s, at, tc.action, p.params)
				must := append(append([]string{"RequestId"}, tc.must...), p.must...)
				for _, msg := range contractCheckAnswer(where, out, model.Response, must, p.absent, sent) {
					t.Error(msg)
				}
			}
			contractLogGap(t, tc.action, model, sent)
		})
	}
}

// contractWireAnswer runs an action as the server does: after the tickers (which, for example,
// complete seeded objects), and through successBody (which adds RequestId and drops top-level
// nulls). It decodes the body as a client would, numbers kept as json.Number. bizCall decodes
// the handler's value before successBody, so it would see neither RequestId nor the null rule.
func contractWireAnswer(t *testing.T, s *State, now time.Time, action string, params map[string]string) map[string]any {
	t.Helper()
	fn, ok := lookupAction(casVersion, action)
	if !ok {
		t.Fatalf("%s: the action is not registered in the emulator", action)
	}
	for _, tick := range tickers {
		tick(s, now)
	}
	if params == nil {
		params = map[string]string{}
	}
	result, apiErr := fn(&Call{Action: action, Version: casVersion, Params: params, Now: now, State: s,
		AccountID: testAccountID, RegionID: "cn-hangzhou", RequestID: "TEST-REQUEST"})
	if apiErr != nil {
		t.Fatalf("%s: %v", action, apiErr)
	}
	body, err := successBody(result, "TEST-REQUEST")
	if err != nil {
		t.Fatalf("%s: the answer is not a JSON object: %v", action, err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("%s: answered %s: %v", action, body, err)
	}
	return out
}

// contractCheck walks one answer; where names the action (and state) in every message.
type contractCheck struct {
	where string
	sent  map[string]bool // generic paths seen: CertList[].Sans
	errs  []string
}

func (c *contractCheck) errorf(format string, args ...any) {
	c.errs = append(c.errs, c.where+": "+fmt.Sprintf(format, args...))
}

// contractCheckAnswer checks an answer against the model: (a) every field sent is in the model with its
// JSON type, recursively; (b) enumerated values are the model's; (c) the must paths are sent and
// the absent ones are not. It records the paths sent in sent and returns the failures.
func contractCheckAnswer(where string, out map[string]any, model []*contractField, must, absent []string, sent map[string]bool) []string {
	c := &contractCheck{where: where, sent: sent}
	c.object("", "", out, model)
	for _, path := range must {
		if msg := contractMissing(out, "", path); msg != "" {
			c.errorf("%s; the provider relies on it", msg)
		}
	}
	for _, path := range absent {
		if contractAnyHas(out, path) {
			c.errorf("%s is sent, but it does not apply in this state (the service omits it)", path)
		}
	}
	return c.errs
}

// object checks every member of obj. path is the concrete JSON path for messages
// (CertList[0].Sans), generic the one recorded in sent (CertList[].Sans).
func (c *contractCheck) object(path, generic string, obj map[string]any, fields []*contractField) {
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p, g := contractJoinPath(path, name), contractJoinPath(generic, name)
		i := slices.IndexFunc(fields, func(f *contractField) bool { return f.Name == name })
		if i < 0 {
			c.errorf("%s is not in the model%s", p, contractSpelledAs(fields, name))
			continue
		}
		c.sent[g] = true
		c.value(p, g, obj[name], fields[i])
	}
}

func (c *contractCheck) value(path, generic string, v any, f *contractField) {
	if f.Type == "any" {
		return
	}
	got := jsonKind(v)
	if got == "bool" {
		got = "boolean"
	}
	if got != f.Type {
		c.errorf("%s is %s (%s), model says %s", path, got, contractShortJSON(v), f.Type)
		return
	}
	switch f.Type {
	case "string", "number":
		// Every number of the models is an int32 or int64 in the Go SDKs: a fraction or an
		// exponent would not decode.
		if n, isNumber := v.(json.Number); isNumber {
			if _, err := n.Int64(); err != nil {
				c.errorf("%s is %s, model's numbers are integers", path, n)
			}
		}
		if s := fmt.Sprint(v); len(f.Enum) > 0 && !slices.Contains(f.Enum, s) {
			c.errorf("%s is %q, not one of the model's values %s", path, s, strings.Join(f.Enum, ", "))
		}
	case "object":
		c.object(path, generic, v.(map[string]any), f.Fields)
	case "array":
		elem := &contractField{Name: f.Name, Type: f.Items, Fields: f.Fields}
		for i, item := range v.([]any) {
			c.value(fmt.Sprintf("%s[%d]", path, i), generic+"[]", item, elem)
		}
	}
}

func contractJoinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// contractSpelledAs names the model's spelling of a field that differs only in case (CertID for CertId).
func contractSpelledAs(fields []*contractField, name string) string {
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return fmt.Sprintf(" (the model spells it %s)", f.Name)
		}
	}
	return ""
}

func contractShortJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 40 {
		return string(b[:37]) + "..."
	}
	return string(b)
}

// contractMissing reports why v lacks path ("" when it has it): "a.b" is a member of a member,
// "list[].x" a member of every item of a non-empty list.
func contractMissing(v any, at, path string) string {
	seg, rest, nested := strings.Cut(path, ".")
	name, isList := strings.CutSuffix(seg, "[]")
	obj, _ := v.(map[string]any)
	val, ok := obj[name]
	here := contractJoinPath(at, name)
	if !ok {
		return here + " is missing"
	}
	if !isList {
		if nested {
			return contractMissing(val, here, rest)
		}
		return ""
	}
	items, _ := val.([]any)
	if len(items) == 0 {
		return here + " is empty, so " + contractJoinPath(here+"[]", rest) + " cannot be seen"
	}
	for i, item := range items {
		if msg := contractMissing(item, fmt.Sprintf("%s[%d]", here, i), rest); msg != "" {
			return msg
		}
	}
	return ""
}

// contractAnyHas reports whether v has path anywhere: for "list[].x", in any item.
func contractAnyHas(v any, path string) bool {
	seg, rest, nested := strings.Cut(path, ".")
	name, isList := strings.CutSuffix(seg, "[]")
	obj, _ := v.(map[string]any)
	val, ok := obj[name]
	switch {
	case !ok:
		return false
	case isList:
		items, _ := val.([]any)
		return slices.ContainsFunc(items, func(item any) bool { return contractAnyHas(item, rest) })
	case nested:
		return contractAnyHas(val, rest)
	}
	return true
}

// contractLogGap logs the model fields no answer carried (a list's members only when the list was
// sent), and the count, so the gap is visible with -v without failing the test.
func contractLogGap(t *testing.T, action string, model *contractAction, sent map[string]bool) {
	t.Helper()
	var total, carried int
	var never, hand []string
	var walk func(prefix string, fields []*contractField, parentSent bool)
	walk = func(prefix string, fields []*contractField, parentSent bool) {
		for _, f := range fields {
			g := contractJoinPath(prefix, f.Name)
			total++
			if f.Source != "" {
				hand = append(hand, g)
			}
			if sent[g] {
				carried++
			} else if parentSent {
				never = append(never, g)
			}
			child := g
			if f.Type == "array" {
				child += "[]"
			}
			walk(child, f.Fields, sent[g])
		}
	}
	walk("", model.Response, true)
	msg := fmt.Sprintf("%s: the model (%s) has %d fields; the emulator sent %d", action, model.Source, total, carried)
	if len(never) > 0 {
		msg += "; never sent: " + strings.Join(never, ", ")
	}
	if len(hand) > 0 {
		msg += "; newer than the models, added by hand: " + strings.Join(hand, ", ")
	}
	t.Log(msg)
}

// --- fixtures ---

// contractCertPEM is a certificate with every subject field the lists show (organisation,
// country, province, city), two SANs and an intermediate after it, and its key.
func contractCertPEM(t *testing.T, cn string) (certPEM, key string) {
	t.Helper()
	caKey := testECKey(t)
	ca, caPEM := makeCert(t, certSpec{cn: "Contract Test CA", org: "Contract Test Trust", key: caKey, isCA: true})
	leafKey := testRSAKey(t, 1)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject: pkix.Name{CommonName: cn, Organization: []string{"Contract Co"}, Country: []string{"CN"},
			Province: []string{"Zhejiang"}, Locality: []string{"Hangzhou"}},
		DNSNames:  []string{cn, "api." + cn},
		NotBefore: testEpoch.Add(-24 * time.Hour), NotAfter: testEpoch.Add(200 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, leafKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	return encodePEM("CERTIFICATE", der) + caPEM, keyPEM(t, leafKey, "")
}

// contractUpload uploads a fully described certificate with a resource group and a tag.
func contractUpload(t *testing.T, s *State, name, cn string) int64 {
	t.Helper()
	certPEM, key := contractCertPEM(t, cn)
	out := mustCall(t, s, testEpoch, "UploadUserCertificate", map[string]string{
		"Name": name, "Cert": certPEM, "Key": key, "ResourceGroupId": "rg-contract01", "Tags.1.Key": "env", "Tags.1.Value": "test",
	})
	return out.int64(t, "CertId")
}

// contractProduct is the resource plan the order cases use (single-domain, DV, one year).
const contractProduct = "symantec-free-1-free"

// contractPendingOrder applies for a certificate validated by DNS or FILE; it stays in
// domain_verify.
func contractPendingOrder(t *testing.T, s *State, domain, validateType string) int64 {
	t.Helper()
	if s.Packages[contractProduct] == nil {
		s.Packages[contractProduct] = &Package{ProductCode: contractProduct, TotalCount: 10}
	}
	out := mustCall(t, s, testEpoch, "CreateCertificateForPackageRequest", contractWith(contractApplicant,
		"ProductCode", contractProduct, "Domain", domain, "ValidateType", validateType))
	return out.int64(t, "OrderId")
}

// contractPackage is a resource plan with some of its quota used and issued.
func contractPackage(s *State) {
	s.Packages[contractProduct] = &Package{ProductCode: contractProduct, TotalCount: 10, UsedCount: 2, IssuedCount: 1}
}

var contractApplicant = map[string]string{"Username": "Ops", "Phone": "13800000000", "Email": "ops@example.com", "ValidateType": "DNS"}

// contractWith is a copy of base with the key/value pairs kv set.
func contractWith(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// oneProbe is a single call with params.
func oneProbe(params map[string]string) []contractProbe { return []contractProbe{{params: params}} }

// prefixPaths puts prefix before each name ("Data[]." + "Id").
func prefixPaths(prefix string, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

var (
	contractCertItemMust = prefixPaths("CertificateOrderList[].", "CertificateId", "Name", "CommonName", "Sans",
		"StartDate", "EndDate", "Expired", "Fingerprint", "InstanceId", "Issuer")
	contractOrderItemMust = prefixPaths("CertificateOrderList[].", "OrderId", "InstanceId", "ProductCode", "Status",
		"Domain", "CertType", "BuyDate")
	// The fields ListUserCertificateOrder documents for one kind of list only.
	contractOrderOnly = prefixPaths("CertificateOrderList[].", "OrderId", "AliyunOrderId", "PartnerOrderId", "ProductCode",
		"ProductName", "Algorithm", "BuyDate", "CertStartTime", "CertEndTime", "CertType", "Domain", "DomainCount",
		"WildDomainCount", "DomainType", "RootBrand", "SourceType", "Status", "TrusteeStatus")
	contractCertOnly = prefixPaths("CertificateOrderList[].", "CertificateId", "Name", "CommonName", "Sans", "Issuer", "OrgName",
		"Country", "Province", "City", "StartDate", "EndDate", "Expired", "Fingerprint", "Sha2", "SerialNo",
		"ResourceGroupId", "Upload")
	contractDetailMust = []string{"Id", "Name", "InstanceId", "CertIdentifier", "Common", "Sans", "Issuer", "StartDate",
		"EndDate", "NotBefore", "NotAfter", "Expired", "Fingerprint", "SerialNo", "Algorithm", "ResourceGroupId"}
)

var contractCases = []contractCase{
	{action: "DescribePackageState", must: []string{"ProductCode", "TotalCount", "UsedCount", "IssuedCount"},
		setup: func(t *testing.T, s *State) []contractProbe {
			contractPackage(s)
			return oneProbe(map[string]string{"ProductCode": contractProduct})
		}},
	{action: "CreateCertificateForPackageRequest", must: []string{"OrderId"},
		setup: func(t *testing.T, s *State) []contractProbe {
			contractPackage(s)
			return oneProbe(contractWith(contractApplicant, "ProductCode", contractProduct, "Domain", "pkg.contract.example"))
		}},
	{action: "CreateCertificateRequest", must: []string{"OrderId"},
		setup: func(t *testing.T, s *State) []contractProbe {
			contractPackage(s)
			return oneProbe(contractWith(contractApplicant, "ProductCode", contractProduct, "Domain", "dv.contract.example"))
		}},
	{action: "CreateCertificateWithCsrRequest", must: []string{"OrderId"},
		setup: func(t *testing.T, s *State) []contractProbe {
			contractPackage(s)
			csr := makeCSR(t, testRSAKey(t, 0), "csr.contract.example")
			return oneProbe(contractWith(contractApplicant, "ProductCode", contractProduct, "Csr", csr))
		}},
	{action: "DescribeCertificateState", must: []string{"Type"},
		setup: func(t *testing.T, s *State) []contractProbe {
			dns := contractPendingOrder(t, s, "dns.contract.example", "DNS")
			file := contractPendingOrder(t, s, "file.contract.example", "FILE")
			issued, _ := issuedOrder(t, s, testEpoch, contractProduct, "issued.contract.example")
			return []contractProbe{
				{label: "domain_verify, DNS", params: map[string]string{"OrderId": idString(dns)},
					must:   []string{"ValidateType", "RecordType", "RecordDomain", "RecordValue"},
					absent: []string{"Domain", "Uri", "Content", "Certificate", "PrivateKey"}},
				{label: "domain_verify, FILE", params: map[string]string{"OrderId": idString(file)},
					must:   []string{"ValidateType", "Domain", "Uri", "Content"},
					absent: []string{"RecordType", "RecordDomain", "RecordValue", "Certificate", "PrivateKey"}},
				{label: "certificate", params: map[string]string{"OrderId": idString(issued)},
					must:   []string{"Certificate", "PrivateKey", "CertId"},
					absent: []string{"ValidateType", "RecordType", "RecordDomain", "RecordValue", "Domain", "Uri", "Content"}},
			}
		}},
	{action: "CancelOrderRequest",
		setup: func(t *testing.T, s *State) []contractProbe {
			return oneProbe(map[string]string{"OrderId": idString(contractPendingOrder(t, s, "cancel.contract.example", "DNS"))})
		}},
	{action: "CancelCertificateForPackageRequest",
		setup: func(t *testing.T, s *State) []contractProbe {
			id, _ := issuedOrder(t, s, testEpoch, contractProduct, "revoke.contract.example")
			return oneProbe(map[string]string{"OrderId": idString(id)})
		}},
	{action: "DeleteCertificateRequest",
		setup: func(t *testing.T, s *State) []contractProbe {
			id := contractPendingOrder(t, s, "delete.contract.example", "DNS")
			mustCall(t, s, testEpoch, "CancelOrderRequest", map[string]string{"OrderId": idString(id)})
			return oneProbe(map[string]string{"OrderId": idString(id)})
		}},
	{action: "RenewCertificateOrderForPackageRequest", must: []string{"OrderId"},
		setup: func(t *testing.T, s *State) []contractProbe {
			id, _ := issuedOrder(t, s, testEpoch, contractProduct, "renew.contract.example")
			// The certificate lasts a year; 340 days on, it is expiring (WILLEXPIRED), as renewal needs.
			return []contractProbe{{params: map[string]string{"OrderId": idString(id)}, at: testEpoch.Add(340 * 24 * time.Hour)}}
		}},
	{action: "ListUserCertificateOrder", must: []string{"TotalCount", "CurrentPage", "ShowSize"},
		setup: func(t *testing.T, s *State) []contractProbe {
			contractUpload(t, s, "listed", "list.contract.example")
			issuedOrder(t, s, testEpoch, contractProduct, "bought.contract.example")
			contractPendingOrder(t, s, "pending.contract.example", "DNS")
			return []contractProbe{
				{label: "CERT", params: map[string]string{"OrderType": "CERT"},
					must: contractCertItemMust, absent: contractOrderOnly},
				{label: "UPLOAD", params: map[string]string{"OrderType": "UPLOAD", "Status": "ISSUED"},
					must: contractCertItemMust, absent: contractOrderOnly},
				{label: "CPACK", params: map[string]string{"OrderType": "CPACK"},
					must: contractOrderItemMust, absent: contractCertOnly},
			}
		}},
	{action: "UploadUserCertificate", must: []string{"CertId", "ResourceId"},
		setup: func(t *testing.T, s *State) []contractProbe {
			certPEM, key := contractCertPEM(t, "upload.contract.example")
			return oneProbe(map[string]string{"Name": "uploaded", "Cert": certPEM, "Key": key, "ResourceGroupId": "rg-contract01",
				"Tags.1.Key": "env", "Tags.1.Value": "test"})
		}},
	{action: "GetUserCertificateDetail", must: contractDetailMust,
		setup: func(t *testing.T, s *State) []contractProbe {
			up := contractUpload(t, s, "detailed", "detail.contract.example")
			signCert, signKey := sm2Pair(t, "sm.contract.example")
			encCert, encKey := sm2Pair(t, "sm.contract.example")
			sm := mustCall(t, s, testEpoch, "UploadUserCertificate", map[string]string{"Name": "sm2",
				"SignCert": signCert, "SignPrivateKey": signKey, "EncryptCert": encCert, "EncryptPrivateKey": encKey}).int64(t, "CertId")
			_, bought := issuedOrder(t, s, testEpoch, contractProduct, "bought.contract.example")
			return []contractProbe{
				{label: "uploaded", params: map[string]string{"CertId": idString(up)},
					must: []string{"Cert", "Key", "CertChain[].CommonName", "Tags[].TagKey"}, absent: []string{"OrderId"}},
				{label: "uploaded, CertFilter", params: map[string]string{"CertId": idString(up), "CertFilter": "true"},
					absent: []string{"Cert", "Key", "SignCert", "SignPrivateKey", "EncryptCert", "EncryptPrivateKey"}},
				{label: "SM2", params: map[string]string{"CertId": idString(sm)},
					must: []string{"SignCert", "SignPrivateKey", "EncryptCert", "EncryptPrivateKey"}},
				{label: "purchased", params: map[string]string{"CertId": idString(bought)}, must: []string{"Cert", "Key", "OrderId"}},
			}
		}},
	{action: "DeleteUserCertificate",
		setup: func(t *testing.T, s *State) []contractProbe {
			return oneProbe(map[string]string{"CertId": idString(contractUpload(t, s, "doomed", "doomed.contract.example"))})
		}},
	{action: "ListCert", must: []string{"TotalCount", "CurrentPage", "ShowSize", "CertList[].Identifier",
		"CertList[].CommonName", "CertList[].Sans", "CertList[].Issuer", "CertList[].BeforeDate", "CertList[].AfterDate",
		"CertList[].Status", "CertList[].SourceType"},
		setup: func(t *testing.T, s *State) []contractProbe {
			contractUpload(t, s, "repo", "repo.contract.example")
			id, _ := issuedOrder(t, s, testEpoch, contractProduct, "revoked.contract.example")
			mustCall(t, s, testEpoch, "CancelCertificateForPackageRequest", map[string]string{"OrderId": idString(id)})
			return oneProbe(nil)
		}},
	{action: "MoveResourceGroup",
		setup: func(t *testing.T, s *State) []contractProbe {
			id := contractUpload(t, s, "moved", "moved.contract.example")
			order := contractPendingOrder(t, s, "moved-order.contract.example", "DNS")
			return []contractProbe{
				{label: "Certificate", params: map[string]string{"ResourceId": idString(id),
					"ResourceType": "Certificate", "ResourceGroupId": "rg-contract02"}},
				{label: "instance", params: map[string]string{"ResourceId": s.Orders[idString(order)].InstanceID,
					"ResourceType": "instance", "ResourceGroupId": "rg-contract02"}},
			}
		}},
	{action: "TagResources",
		setup: func(t *testing.T, s *State) []contractProbe {
			rid := s.Certificates[idString(contractUpload(t, s, "tagged", "tagged.contract.example"))].InstanceID
			return oneProbe(map[string]string{"ResourceType": "instance", "ResourceId.1": rid, "Tag.1.Key": "team", "Tag.1.Value": "a"})
		}},
	{action: "UntagResources",
		setup: func(t *testing.T, s *State) []contractProbe {
			rid := s.Certificates[idString(contractUpload(t, s, "untagged", "untagged.contract.example"))].InstanceID
			return oneProbe(map[string]string{"ResourceType": "instance", "ResourceId.1": rid, "TagKey.1": "env"})
		}},
	{action: "ListTagResources", must: []string{"MaxResults", "TagResources.TagResource[].ResourceId",
		"TagResources.TagResource[].ResourceType", "TagResources.TagResource[].TagKey", "TagResources.TagResource[].TagValue"},
		setup: func(t *testing.T, s *State) []contractProbe {
			rid := s.Certificates[idString(contractUpload(t, s, "listtags", "listtags.contract.example"))].InstanceID
			mustCall(t, s, testEpoch, "TagResources", map[string]string{"ResourceId.1": rid, "Tag.1.Key": "team", "Tag.1.Value": "a"})
			// One row per page, so that NextToken is sent too.
			return oneProbe(map[string]string{"ResourceType": "instance", "ResourceId.1": rid, "MaxResults": "1"})
		}},
	{action: "ShareCertificate",
		setup: func(t *testing.T, s *State) []contractProbe {
			_, certID := issuedOrder(t, s, testEpoch, contractProduct, "shared.contract.example")
			return oneProbe(map[string]string{"CertificateId": idString(certID), "TargetUserId": "1622883344556677"})
		}},
}
