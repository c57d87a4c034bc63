package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Contacts of information management (cas-deploy.md §5): CreateContact, UpdateContact,
// DeleteContact here; ListContact, GetContact and the verification control route in
// contact_list.go. Contacts are notified by deployment jobs (ContactIds) and the most recent one
// stands in for an application's applicant (R-18, order_checks.go's latestContact, which reads the
// JSON names name, mobile and email of this type).
//
// Error codes:
//   - documented [zh/en:createcontact, ja:updatecontact]: 400 IncorrectFormat.%s,
//     400 AlreadyExists.%s, 400 LimitExceeded.%s, and 400 Missing<Param> (seen in real answers).
//     The substitutions for %s are not documented; the emulator uses the parameter name
//     (IncorrectFormat.Mobile, AlreadyExists.Email) and "Contact" for the count.
//     409 UpdateConflict is documented but never answered: nothing here edits concurrently.
//   - inferred: 404 NotFound.Contact for an unknown ContactId (no code documented; the dotted
//     form follows the contact pages' codes, and the official provider treats any code
//     containing NotFound as gone, cas-deploy.md §5).

// Contact is one notification contact (a ContactId).
type Contact struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Mobile string `json:"mobile"`
	Email  string `json:"email,omitempty"`
	// Idcard is the identity card number, needed only for the CFCA brand.
	Idcard   string   `json:"idcard,omitempty"`
	Webhooks []string `json:"webhooks,omitempty"`
	// EmailVerified and MobileVerified are the EmailStatus/MobileStatus flags (1 = verified).
	// The console verifies both (manage-contacts guide); the emulator starts them unverified and
	// POST /_emulator/contacts/{id}/verify sets them. Changing a value clears its flag.
	EmailVerified  bool      `json:"email_verified,omitempty"`
	MobileVerified bool      `json:"mobile_verified,omitempty"`
	CreatedAt      time.Time `json:"created_at,omitzero"`
	ModifiedAt     time.Time `json:"modified_at,omitzero"`
}

// maxContacts: LimitExceeded.%s exists but the limit is not documented (cas-deploy.md §5);
// the emulator allows 100 per account.
const maxContacts = 100

var (
	// mainlandMobile is a mainland China mobile number; internationalMobile is E.164 with "+"
	// or a "<country code>-<number>" form. The accepted shapes are not documented.
	mainlandMobile      = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	internationalMobile = regexp.MustCompile(`^(\+[1-9][0-9]{6,14}|[1-9][0-9]{0,3}-[0-9]{5,14})$`)
	// idcardPattern is a mainland resident identity card: 18 characters, the last a digit or X.
	idcardPattern = regexp.MustCompile(`^[0-9]{17}[0-9Xx]$`)
	// webhookHosts are the chat robots the API pages name: DingTalk, WeCom and Lark/Feishu.
	webhookHosts = []string{"oapi.dingtalk.com", "qyapi.weixin.qq.com", "open.feishu.cn", "open.larksuite.com"}
)

func init() {
	registerAction(casVersion, "CreateContact", createContact)
	registerAction(casVersion, "UpdateContact", updateContact)
	registerAction(casVersion, "DeleteContact", deleteContact)
	registerTicker(normalizeContacts)
}

func errContactNotFound(id int64) *APIError {
	return Errorf(http.StatusNotFound, "NotFound.Contact", "The contact %d does not exist.", id)
}

func errIncorrectFormat(param, detail string) *APIError {
	return Errorf(http.StatusBadRequest, "IncorrectFormat."+param, "The %s parameter format is incorrect: %s", param, detail)
}

func contactByID(s *State, id int64) (*Contact, bool) {
	ct, ok := s.Contacts[strconv.FormatInt(id, 10)]
	return ct, ok && ct != nil
}

// normalizeContacts gives contacts seeded through the control API (PUT objects/contacts/{id})
// their id from the key and a creation time, so that they answer like created ones.
func normalizeContacts(s *State, now time.Time) {
	for key, ct := range s.Contacts {
		if ct == nil {
			continue
		}
		if ct.ID == 0 {
			ct.ID, _ = strconv.ParseInt(key, 10, 64)
		}
		if ct.CreatedAt.IsZero() {
			ct.CreatedAt = now
		}
	}
}

// contactResponse is the answer of CreateContact and UpdateContact.
type contactResponse struct {
	ContactID int64 `json:"ContactId"`
}

func createContact(c *Call) (any, *APIError) {
	ct := &Contact{}
	if apiErr := readContact(c, ct); apiErr != nil {
		return nil, apiErr
	}
	if len(c.State.Contacts) >= maxContacts {
		return nil, Errorf(http.StatusBadRequest, "LimitExceeded.Contact", "The maximum number of Contact is exceeded: at most %d contacts.", maxContacts)
	}
	ct.ID = c.State.newID()
	ct.CreatedAt, ct.ModifiedAt = c.Now, c.Now
	c.State.Contacts[strconv.FormatInt(ct.ID, 10)] = ct
	return contactResponse{ContactID: ct.ID}, nil
}

// updateContact replaces every mutable field: the service "requires UpdateContact to carry all
// mutable parameters together" (cas-deploy.md §5, TF), so Name and Mobile are required as on
// create and an absent Email, Idcard or Webhooks clears it (inference).
func updateContact(c *Call) (any, *APIError) {
	id, apiErr := c.RequiredInt64("ContactId")
	if apiErr != nil {
		return nil, apiErr
	}
	old, ok := contactByID(c.State, id)
	if !ok {
		return nil, errContactNotFound(id)
	}
	next := &Contact{ID: old.ID, CreatedAt: old.CreatedAt}
	if apiErr := readContact(c, next); apiErr != nil {
		return nil, apiErr
	}
	next.EmailVerified = old.EmailVerified && old.Email == next.Email
	next.MobileVerified = old.MobileVerified && old.Mobile == next.Mobile
	next.ModifiedAt = c.Now
	*old = *next
	return contactResponse{ContactID: id}, nil
}

// deleteContact removes a contact. Whether one used by a deployment job may be deleted is not
// documented; the emulator allows it, and the job simply no longer lists it (CasContacts).
func deleteContact(c *Call) (any, *APIError) {
	id, apiErr := c.RequiredInt64("ContactId")
	if apiErr != nil {
		return nil, apiErr
	}
	if _, ok := contactByID(c.State, id); !ok {
		return nil, errContactNotFound(id)
	}
	delete(c.State.Contacts, strconv.FormatInt(id, 10))
	return struct{}{}, nil
}

// readContact reads and checks the contact parameters into ct; ct.ID is the contact being
// updated (0 on create), excluded from the uniqueness checks.
func readContact(c *Call, ct *Contact) *APIError {
	name, apiErr := c.Required("Name")
	if apiErr != nil {
		return apiErr
	}
	mobile, apiErr := c.Required("Mobile")
	if apiErr != nil {
		return apiErr
	}
	ct.Name, ct.Mobile = strings.TrimSpace(name), strings.TrimSpace(mobile)
	ct.Email, ct.Idcard = strings.TrimSpace(c.String("Email")), strings.TrimSpace(c.String("Idcard"))
	if ct.Name == "" {
		return errIncorrectFormat("Name", "the name is blank.")
	}
	if !mainlandMobile.MatchString(ct.Mobile) && !internationalMobile.MatchString(ct.Mobile) {
		return errIncorrectFormat("Mobile", "use an 11-digit mainland number (13800000000) or an international one (+6591234567).")
	}
	if ct.Email != "" && !emailShape(ct.Email) {
		return errIncorrectFormat("Email", strconv.Quote(ct.Email)+" is not an email address.")
	}
	if ct.Idcard != "" && !idcardPattern.MatchString(ct.Idcard) {
		return errIncorrectFormat("Idcard", "an identity card number has 17 digits and a final digit or X.")
	}
	hooks, apiErr := parseWebhooks(c.String("Webhooks"))
	if apiErr != nil {
		return apiErr
	}
	ct.Webhooks = hooks
	// The mobile number and the email address are each unique within the account (manage-contacts
	// guide).
	for _, other := range c.State.Contacts {
		if other == nil || other.ID == ct.ID {
			continue
		}
		if other.Mobile == ct.Mobile {
			return Errorf(http.StatusBadRequest, "AlreadyExists.Mobile", "A Mobile with the same value already exists: contact %d.", other.ID)
		}
		if ct.Email != "" && strings.EqualFold(other.Email, ct.Email) {
			return Errorf(http.StatusBadRequest, "AlreadyExists.Email", "A Email with the same value already exists: contact %d.", other.ID)
		}
	}
	return nil
}

// emailShape is a plain check: one "@", a local part, and a domain with a dot.
func emailShape(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && !strings.ContainsAny(domain, "@ ") && !strings.ContainsAny(local, " ") &&
		strings.Contains(strings.Trim(domain, "."), ".")
}

// parseWebhooks reads Webhooks: a JSON list of https URLs of DingTalk, WeCom or Lark robots
// (the API pages; TF's docs say DingTalk only, the pages are newer and win). Empty or absent is
// no webhook.
func parseWebhooks(raw string) ([]string, *APIError) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var hooks []string
	if err := json.Unmarshal([]byte(raw), &hooks); err != nil {
		return nil, errIncorrectFormat("Webhooks", `it must be a JSON list of URLs, e.g. ["https://oapi.dingtalk.com/robot/send?access_token=..."].`)
	}
	for _, h := range hooks {
		u, err := url.Parse(h)
		if err != nil || u.Scheme != "https" || !knownWebhookHost(u.Hostname()) {
			return nil, errIncorrectFormat("Webhooks", strconv.Quote(h)+" is not the https URL of a DingTalk, WeCom or Lark robot.")
		}
	}
	if len(hooks) == 0 {
		return nil, nil
	}
	return hooks, nil
}

func knownWebhookHost(host string) bool {
	for _, h := range webhookHosts {
		if strings.EqualFold(host, h) {
			return true
		}
	}
	return false
}
