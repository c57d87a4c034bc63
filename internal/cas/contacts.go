package cas

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/go-uuid"
)

// Contacts of the service's information management (cas-deploy.md §5): the people deployment
// jobs notify (ContactIds, at most 10 per job, R-63), and whose latest one stands in for an
// order's applicant. ListContact is in the generated SDKs; CreateContact, UpdateContact,
// DeleteContact and GetContact are newer (SDK v4.4.0, 2026-07) and go through CommonRequest.
//
// What the service does with them:
//   - the mobile number and the email address are each unique within the account (console
//     guide "manage contacts"); a second one is refused with 400 AlreadyExists.Mobile or
//     AlreadyExists.Email (IsContactTaken);
//   - a malformed value is refused with 400 IncorrectFormat.<Param>;
//   - UpdateContact must carry every field, not only the changed ones (the official provider's
//     finding): a field left out may be cleared;
//   - GetContact answers Email, Mobile and IdCard masked ("tes****1@example.com", "133******78");
//     ListContact answered them in clear in a real capture (its model's example is masked).
//
// The name, mobile number, email address and ID card number are personal data: they travel in
// the POST body, never in a URL, and like every parameter they are never logged.

// Contact is one notification contact (a ContactId).
type Contact struct {
	ID                            int64
	Name, Email, Mobile           string
	IDCard                        string // only for the CFCA brand; GetContact answers it masked, ListContact not at all
	EmailVerified, MobileVerified bool   // EmailStatus, MobileStatus = 1
	Webhooks                      []string
}

// contactWire is a contact as ListContact (ContactList items) and GetContact answer it.
type contactWire struct {
	ContactID    lenientInt64 `json:"ContactId"`
	Name         string       `json:"Name"`
	Email        string       `json:"Email"`
	Mobile       string       `json:"Mobile"`
	IDCard       string       `json:"IdCard"` // sic: IdCard in answers, Idcard in requests
	EmailStatus  lenientInt64 `json:"EmailStatus"`
	MobileStatus lenientInt64 `json:"MobileStatus"`
	// Webhooks is JSON list text ("[]" when empty); WebhookList (since 2026-07-30) the list.
	Webhooks    webhookText `json:"Webhooks"`
	WebhookList []string    `json:"WebhookList"`
}

func (w contactWire) contact() Contact {
	hooks := w.WebhookList
	if hooks == nil {
		hooks = w.Webhooks
	}
	return Contact{
		ID: int64(w.ContactID), Name: w.Name, Email: w.Email, Mobile: w.Mobile, IDCard: w.IDCard,
		EmailVerified: w.EmailStatus == 1, MobileVerified: w.MobileStatus == 1, Webhooks: append([]string(nil), hooks...),
	}
}

// webhookText reads Webhooks: a string holding a JSON list (the models type it string), or the
// list itself; "" and null are no webhook.
type webhookText []string

func (v *webhookText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(s))
	}
	if len(b) == 0 || string(b) == "null" {
		*v = nil
		return nil
	}
	var hooks []string
	if err := json.Unmarshal(b, &hooks); err != nil {
		return fmt.Errorf("Webhooks is not a JSON list of URLs: %w", err)
	}
	*v = hooks
	return nil
}

// contactForm is every writable field, as CreateContact and UpdateContact take them. Every field
// is sent, empty ones too: UpdateContact replaces the whole contact.
func contactForm(in Contact) map[string]string {
	hooks := in.Webhooks
	if hooks == nil {
		hooks = []string{}
	}
	text, _ := json.Marshal(hooks) // cannot fail for strings
	return map[string]string{
		"Name": in.Name, "Mobile": in.Mobile, "Email": in.Email, "Idcard": in.IDCard, "Webhooks": string(text),
	}
}

// IsContactTaken reports whether a create or update was refused because another contact of the
// account has the same mobile number or email address (AlreadyExists.Mobile, AlreadyExists.Email),
// and which field ("Mobile", "Email"; another name if the service uses one).
func IsContactTaken(err error) (field string, ok bool) {
	var api *APIError
	if !errors.As(err, &api) {
		return "", false
	}
	return strings.CutPrefix(api.Code, "AlreadyExists.")
}

// CreateContact creates a contact and answers its ContactId.
//
// No idempotency token is documented for CreateContact; the official provider sends a
// ClientToken anyway, and so does this client (the same one on every send), so that a service
// that honours it answers a resend with the first ContactId. Resending never makes a second
// contact even if the token is ignored, because the mobile number is unique per account: the
// resend is refused with AlreadyExists.Mobile instead. So after a send whose outcome is unknown
// (no answer, or a 5xx), the client first looks for the contact by its mobile number
// (ListContact): a contact with the same name, mobile number and email address is the one the
// lost send created and is answered; no contact with that number means nothing was created, and
// the create is sent again. A refusal that follows such a send is resolved the same way. A
// refusal of a first send is returned as it is (IsContactTaken): that contact is someone else's.
func (c *Client) CreateContact(ctx context.Context, in Contact) (int64, error) {
	token, err := uuid.GenerateUUID()
	if err != nil {
		return 0, fmt.Errorf("CreateContact: could not make a client token: %w", err)
	}
	form := contactForm(in)
	form["ClientToken"] = token
	mayExist := false
	for n := 0; ; n++ {
		var out struct {
			ContactID lenientInt64 `json:"ContactId"`
		}
		err := c.commonRequest(ctx, commonCall{Action: "CreateContact", Form: form}, &out)
		if err == nil && out.ContactID == 0 {
			err = &OutcomeUnknownError{Action: "CreateContact", Err: fmt.Errorf("the answer has no ContactId")}
		}
		if err == nil {
			return int64(out.ContactID), nil
		}
		_, taken := IsContactTaken(err)
		unknown := IsOutcomeUnknown(err)
		if !unknown && !(taken && mayExist) {
			return 0, err
		}
		mayExist = true
		found, ferr := c.findContactByMobile(ctx, in.Mobile)
		switch {
		case ferr != nil:
			return 0, fmt.Errorf("%w; looking for the contact it may have created failed too: %v", err, ferr)
		case found != nil && sameContact(*found, in):
			return found.ID, nil
		case found != nil:
			return 0, fmt.Errorf("%w; contact %d, whose details differ, has this mobile number, and numbers are unique "+
				"in the account: nothing was created", err, found.ID)
		case !unknown, n >= c.cfg.Retry.MaxRetries:
			return 0, err
		}
		if serr := c.cfg.Clock.Sleep(ctx, c.cfg.Retry.Delay(n, c.cfg.Random())); serr != nil {
			return 0, fmt.Errorf("CreateContact: %w (last error: %v)", serr, err)
		}
	}
}

// sameContact: the fields a person gives. Verification flags and webhooks are not compared.
func sameContact(a, b Contact) bool {
	return a.Name == b.Name && a.Mobile == b.Mobile && strings.EqualFold(a.Email, b.Email)
}

// findContactByMobile is the contact with exactly this mobile number, or nil. Keyword narrows
// the list to the numbers that contain it.
func (c *Client) findContactByMobile(ctx context.Context, mobile string) (*Contact, error) {
	items, err := c.ListContacts(ctx, mobile)
	if err != nil {
		return nil, err
	}
	for i := range items {
		if items[i].Mobile == mobile {
			return &items[i], nil
		}
	}
	return nil, nil
}

// UpdateContact replaces a contact: every field is sent, as the service requires (an empty
// Email, IDCard or Webhooks clears it). Sending the same values twice is harmless, so it is
// retried like a read; it carries a ClientToken as the official provider's does.
func (c *Client) UpdateContact(ctx context.Context, in Contact) error {
	token, err := uuid.GenerateUUID()
	if err != nil {
		return fmt.Errorf("UpdateContact: could not make a client token: %w", err)
	}
	form := contactForm(in)
	form["ClientToken"] = token
	return c.commonRequest(ctx, commonCall{Action: "UpdateContact", Idempotent: true,
		Query: map[string]string{"ContactId": strconv.FormatInt(in.ID, 10)}, Form: form}, nil)
}

// DeleteContact deletes a contact. Repeating it is safe: a second call finds nothing and answers
// NotFoundError, which callers treat as done.
func (c *Client) DeleteContact(ctx context.Context, id int64) error {
	return c.common(ctx, "DeleteContact", true, map[string]string{"ContactId": strconv.FormatInt(id, 10)}, nil)
}

// GetContact reads one contact. Email, Mobile and IDCard come back masked
// ("tes****1@example.com", "133******78"); the rest in clear. An unknown id is a NotFoundError.
func (c *Client) GetContact(ctx context.Context, id int64) (*Contact, error) {
	var w contactWire
	err := c.commonRequest(ctx, commonCall{Action: "GetContact", Idempotent: true,
		Query: map[string]string{"ContactId": strconv.FormatInt(id, 10)}}, &w)
	if err != nil {
		return nil, err
	}
	if w.ContactID == 0 {
		w.ContactID = lenientInt64(id)
	}
	ct := w.contact()
	return &ct, nil
}

// contactPageSize is ListContact's documented default (20); no other size is documented.
const contactPageSize = 20

// ListContacts lists the account's contacts, page by page; keyword ("" for all) is the service's
// fuzzy match on name, email address and mobile number. A contact listed on two pages (the list
// changed while it was read) is answered once.
func (c *Client) ListContacts(ctx context.Context, keyword string) ([]Contact, error) {
	return ListAllUnique(ctx, contactPageSize, func(ct Contact) int64 { return ct.ID },
		func(ctx context.Context, page, size int) ([]Contact, int, error) {
			return c.listContactPage(ctx, keyword, page, size)
		})
}

func (c *Client) listContactPage(ctx context.Context, keyword string, page, size int) ([]Contact, int, error) {
	// The keyword may be a mobile number or an email address: it travels in the body.
	form := map[string]string{"CurrentPage": strconv.Itoa(page), "ShowSize": strconv.Itoa(size)}
	if keyword != "" {
		form["Keyword"] = keyword
	}
	var out struct {
		TotalCount  lenientInt64  `json:"TotalCount"`
		ContactList []contactWire `json:"ContactList"`
	}
	if err := c.commonRequest(ctx, commonCall{Action: "ListContact", Idempotent: true, Form: form}, &out); err != nil {
		return nil, 0, err
	}
	items := make([]Contact, 0, len(out.ContactList))
	for _, w := range out.ContactList {
		items = append(items, w.contact())
	}
	return items, int(out.TotalCount), nil
}
