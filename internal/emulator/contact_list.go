package emulator

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Reading contacts: ListContact (cas-models.md), GetContact (cas-deploy.md §5, newer than the
// models), and POST /_emulator/contacts/{id}/verify, which stands for the person clicking the
// verification link or entering the SMS code.
//
// Error codes: 404 NotFound.Contact (inferred, see contacts.go); 400 InvalidParameter for bad
// paging (the emulator's common answer, action.go).
//
// Masking: ListContact answers the values in clear (a real capture, cas-deploy.md §5; the model's
// masked example is older), GetContact masks Email, Mobile and IdCard as the official provider
// observed (tes****1@example.com, 133******78, 1****************5), and DescribeDeploymentJob
// masks the mobile number (139****0000).

func init() {
	registerAction(casVersion, "ListContact", listContact)
	registerAction(casVersion, "GetContact", getContact)
	registerControl("POST", "contacts/{}/verify", controlVerifyContact)
}

// defaultContactPageSize is the documented default of ShowSize.
const defaultContactPageSize = 20

type contactItem struct {
	ContactID    int64    `json:"ContactId"`
	Name         string   `json:"Name"`
	Email        string   `json:"Email,omitempty"`
	EmailStatus  int      `json:"EmailStatus"`
	Mobile       string   `json:"Mobile"`
	MobileStatus int      `json:"MobileStatus"`
	Webhooks     string   `json:"Webhooks"`
	WebhookList  []string `json:"WebhookList"`
}

// listContactResponse: CurrentPage, ShowSize and Keyword are echoed only when the request has
// them; a real answer to a call without them had none (cas-deploy.md §5).
type listContactResponse struct {
	TotalCount  int64         `json:"TotalCount"`
	CurrentPage *int64        `json:"CurrentPage,omitempty"`
	ShowSize    *int64        `json:"ShowSize,omitempty"`
	Keyword     *string       `json:"Keyword,omitempty"`
	ContactList []contactItem `json:"ContactList"`
}

func listContact(c *Call) (any, *APIError) {
	page, size, apiErr := c.Page(defaultContactPageSize, maxListPageSize)
	if apiErr != nil {
		return nil, apiErr
	}
	keyword := strings.ToLower(strings.TrimSpace(c.String("Keyword")))
	var items []contactItem
	for _, ct := range sortedContacts(c.State) {
		if keyword != "" && !matchesKeyword(keyword, []string{ct.Name, ct.Email, ct.Mobile}) {
			continue
		}
		items = append(items, wireContact(ct))
	}
	out := listContactResponse{TotalCount: int64(len(items)), ContactList: pageOf(items, page, size)}
	if c.Has("CurrentPage") || c.Has("ShowSize") {
		out.CurrentPage, out.ShowSize = &page, &size
	}
	if c.Has("Keyword") {
		kw := c.String("Keyword")
		out.Keyword = &kw
	}
	return out, nil
}

// sortedContacts is the account's contacts, newest first (the order is not documented).
func sortedContacts(s *State) []*Contact {
	out := make([]*Contact, 0, len(s.Contacts))
	for _, ct := range s.Contacts {
		if ct != nil {
			out = append(out, ct)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
}

func wireContact(ct *Contact) contactItem {
	return contactItem{
		ContactID: ct.ID, Name: ct.Name, Email: ct.Email, EmailStatus: wireFlag(ct.EmailVerified),
		Mobile: ct.Mobile, MobileStatus: wireFlag(ct.MobileVerified),
		Webhooks: webhooksText(ct.Webhooks), WebhookList: append([]string{}, ct.Webhooks...),
	}
}

// webhooksText is the Webhooks string: JSON list text, "[]" when there is none (real capture).
func webhooksText(hooks []string) string {
	if len(hooks) == 0 {
		return "[]"
	}
	raw, _ := json.Marshal(hooks)
	return string(raw)
}

type getContactResponse struct {
	ContactID    int64    `json:"ContactId"`
	Name         string   `json:"Name"`
	Email        string   `json:"Email,omitempty"`
	Mobile       string   `json:"Mobile"`
	IDCard       string   `json:"IdCard,omitempty"` // sic: IdCard in the answer, Idcard in requests
	EmailStatus  int      `json:"EmailStatus"`
	MobileStatus int      `json:"MobileStatus"`
	Webhooks     string   `json:"Webhooks"`
	WebhookList  []string `json:"WebhookList"`
}

func getContact(c *Call) (any, *APIError) {
	id, apiErr := c.RequiredInt64("ContactId")
	if apiErr != nil {
		return nil, apiErr
	}
	ct, ok := contactByID(c.State, id)
	if !ok {
		return nil, errContactNotFound(id)
	}
	return getContactResponse{
		ContactID: ct.ID, Name: ct.Name, Email: maskEmail(ct.Email), Mobile: maskMiddle(ct.Mobile, 3, 2),
		IDCard: maskMiddle(ct.Idcard, 1, 1), EmailStatus: wireFlag(ct.EmailVerified), MobileStatus: wireFlag(ct.MobileVerified),
		Webhooks: webhooksText(ct.Webhooks), WebhookList: append([]string{}, ct.Webhooks...),
	}, nil
}

// maskMiddle keeps the first keep and last tail characters and stars the rest.
func maskMiddle(s string, keep, tail int) string {
	if len(s) <= keep+tail {
		return s
	}
	return s[:keep] + strings.Repeat("*", len(s)-keep-tail) + s[len(s)-tail:]
}

// maskEmail keeps three characters and the last one of the local part: tes****1@example.com.
func maskEmail(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || len(local) <= 4 {
		return s
	}
	return local[:3] + "****" + local[len(local)-1:] + "@" + domain
}

// controlVerifyContact marks a contact's email and/or mobile as verified: {"email": true,
// "mobile": true}; an empty body verifies both.
func controlVerifyContact(s *State, now time.Time, args []string, body []byte) (any, *APIError) {
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "%q is not a contact id.", args[0])
	}
	ct, ok := contactByID(s, id)
	if !ok {
		return nil, errContactNotFound(id)
	}
	in := struct {
		Email  bool `json:"email"`
		Mobile bool `json:"mobile"`
	}{true, true}
	if len(strings.TrimSpace(string(body))) > 0 {
		in.Email, in.Mobile = false, false
		if apiErr := decodeControlBody(body, &in); apiErr != nil {
			return nil, apiErr
		}
	}
	if in.Email && ct.Email != "" {
		ct.EmailVerified = true
	}
	if in.Mobile {
		ct.MobileVerified = true
	}
	ct.ModifiedAt = now
	return wireContact(ct), nil
}
