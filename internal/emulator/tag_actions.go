package emulator

import (
	"net/http"
	"strconv"
	"strings"
)

// The tag and resource group actions. RegionId, which the tag actions mark required, is a common
// parameter that the protocol layer always fills in (the call's region or the default), so it is
// not checked here.

// legacyCASVersion is the older API version whose CreateCertificateName the official provider
// still calls to rename an uploaded certificate.
const legacyCASVersion = "2018-08-13"

func init() {
	registerAction(casVersion, "TagResources", tagResources)
	registerAction(casVersion, "UntagResources", untagResources)
	registerAction(casVersion, "ListTagResources", listTagResources)
	registerAction(casVersion, "MoveResourceGroup", moveResourceGroup)
	registerAction(legacyCASVersion, "CreateCertificateName", createCertificateName)
}

// tagResourceType reads ResourceType: documented default and only value "instance".
func tagResourceType(c *Call) (string, *APIError) {
	rt := c.String("ResourceType")
	if rt == "" {
		rt = "instance"
	}
	if rt != "instance" {
		return "", Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter ResourceType is invalid: %q; the only value is instance.", rt)
	}
	return rt, nil
}

// indexedValues reads prefix.1, prefix.2, ... in index order.
func indexedValues(c *Call, prefix string) []string {
	var out []string
	for _, m := range c.Indexed(prefix) {
		if v := m[""]; v != "" {
			out = append(out, v)
		}
	}
	return out
}

// resolveAll finds every named resource or answers 404 NotFound for the first unknown one.
func resolveAll(c *Call, resourceType string, ids []string) ([]taggedResource, *APIError) {
	if len(ids) == 0 {
		return nil, Errorf(http.StatusBadRequest, "MissingResourceId", "ResourceId is mandatory for this action.")
	}
	out := make([]taggedResource, 0, len(ids))
	for _, id := range ids {
		r, ok := resolveResource(c.State, resourceType, id)
		if !ok {
			return nil, Errorf(http.StatusNotFound, "NotFound", "The resource %s does not exist.", id)
		}
		out = append(out, r)
	}
	return out, nil
}

func tagResources(c *Call) (any, *APIError) {
	rt, apiErr := tagResourceType(c)
	if apiErr != nil {
		return nil, apiErr
	}
	tags, apiErr := tagParams(c, "Tag")
	if apiErr != nil {
		return nil, apiErr
	}
	if len(tags) == 0 {
		return nil, Errorf(http.StatusBadRequest, "MissingTag", "Tag is mandatory for this action.")
	}
	targets, apiErr := resolveAll(c, rt, indexedValues(c, "ResourceId"))
	if apiErr != nil {
		return nil, apiErr
	}
	merged := make([][]ResourceTag, len(targets))
	for i, r := range targets {
		if merged[i], apiErr = mergeTags(r.tags(), tags); apiErr != nil {
			return nil, apiErr
		}
	}
	for i, r := range targets {
		r.setTags(merged[i])
	}
	return struct{}{}, nil
}

func untagResources(c *Call) (any, *APIError) {
	rt, apiErr := tagResourceType(c)
	if apiErr != nil {
		return nil, apiErr
	}
	all, apiErr := c.Bool("All", false)
	if apiErr != nil {
		return nil, apiErr
	}
	keys := indexedValues(c, "TagKey")
	if len(keys) == 0 && !all {
		return nil, Errorf(http.StatusBadRequest, "MissingTagKey", "TagKey is mandatory for this action unless All is true.")
	}
	targets, apiErr := resolveAll(c, rt, indexedValues(c, "ResourceId"))
	if apiErr != nil {
		return nil, apiErr
	}
	drop := map[string]bool{}
	for _, k := range keys {
		drop[k] = true
	}
	for _, r := range targets {
		var kept []ResourceTag
		if len(keys) > 0 { // All applies only when TagKey is empty
			for _, t := range r.tags() {
				if !drop[t.Key] {
					kept = append(kept, t)
				}
			}
		}
		r.setTags(kept)
	}
	return struct{}{}, nil
}

// listTagResourcesResponse nests the rows as the service does: TagResources.TagResource[].
type listTagResourcesResponse struct {
	MaxResults   int64             `json:"MaxResults"`
	NextToken    string            `json:"NextToken,omitempty"`
	TagResources tagResourcesInner `json:"TagResources"`
}

type tagResourcesInner struct {
	TagResource []tagResourceRow `json:"TagResource"`
}

type tagResourceRow struct {
	ResourceID   string `json:"ResourceId"`
	ResourceType string `json:"ResourceType"`
	TagKey       string `json:"TagKey"`
	TagValue     string `json:"TagValue"`
}

// maxTagResults: MaxResults defaults to 20 (documented); its maximum is not documented, 100 here.
const maxTagResults = 100

func listTagResources(c *Call) (any, *APIError) {
	rt, apiErr := tagResourceType(c)
	if apiErr != nil {
		return nil, apiErr
	}
	size, apiErr := c.Int64("MaxResults", 20)
	if apiErr != nil {
		return nil, apiErr
	}
	if size < 1 || size > maxTagResults {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter MaxResults must be between 1 and %d.", maxTagResults)
	}
	offset := 0
	if tok := c.String("NextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 {
			return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter NextToken is invalid.")
		}
		offset = n
	}
	filter, apiErr := readTags(c.Indexed("Tag", "Key", "Value"), true)
	if apiErr != nil {
		return nil, apiErr
	}
	ids := indexedValues(c, "ResourceId")
	if len(ids) == 0 && len(filter) == 0 {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "Either ResourceId or Tag must be given.")
	}
	var resources []taggedResource
	if len(ids) > 0 {
		for _, id := range ids {
			// Unknown ids are simply not listed.
			if r, ok := resolveResource(c.State, rt, id); ok {
				r.id = id
				resources = append(resources, r)
			}
		}
	} else {
		resources = allTaggedResources(c.State)
	}
	var rows []tagResourceRow
	for _, r := range resources {
		if !hasTags(r.tags(), filter) {
			continue
		}
		for _, t := range r.tags() {
			rows = append(rows, tagResourceRow{ResourceID: r.id, ResourceType: rt, TagKey: t.Key, TagValue: t.Value})
		}
	}
	out := listTagResourcesResponse{MaxResults: size, TagResources: tagResourcesInner{TagResource: []tagResourceRow{}}}
	if offset < len(rows) {
		end := min(offset+int(size), len(rows))
		out.TagResources.TagResource = rows[offset:end]
		if end < len(rows) {
			out.NextToken = strconv.Itoa(end)
		}
	}
	return out, nil
}

// hasTags reports whether have holds every tag of want (a filter tag with an empty value matches
// the key alone).
func hasTags(have, want []ResourceTag) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h.Key == w.Key && (w.Value == "" || h.Value == w.Value) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func moveResourceGroup(c *Call) (any, *APIError) {
	id, apiErr := c.Required("ResourceId")
	if apiErr != nil {
		return nil, apiErr
	}
	if _, apiErr := c.Required("ResourceGroupId"); apiErr != nil {
		return nil, apiErr
	}
	rg, apiErr := resourceGroupParam(c, "ResourceGroupId")
	if apiErr != nil {
		return nil, apiErr
	}
	rt := c.String("ResourceType")
	if rt == "" {
		rt = "instance" // documented default, although the parameter is marked required
	}
	if rt != "instance" && rt != "Certificate" {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The parameter ResourceType is invalid: %q; use instance or Certificate.", rt)
	}
	r, ok := resolveResource(c.State, rt, id)
	if !ok {
		return nil, Errorf(http.StatusNotFound, "NotFound", "The resource %s does not exist.", id)
	}
	r.setGroup(rg)
	return struct{}{}, nil
}

// createCertificateName is the 2018-08-13 action: CertificateId, Name, ResourceGroupId and
// Tags.N.Key/Value; it renames the certificate, moves it when ResourceGroupId is given and, when
// any Tags parameter is sent, replaces its tags (Tags.1.Key="" clears them).
func createCertificateName(c *Call) (any, *APIError) {
	id, apiErr := c.RequiredInt64("CertificateId")
	if apiErr != nil {
		return nil, apiErr
	}
	cert, ok := certByID(c.State, id)
	if !ok {
		return nil, errCertNotFound(id)
	}
	name := c.String("Name")
	if name != "" && name != cert.Name {
		if apiErr := checkCertName(c.State, name, cert.ID); apiErr != nil {
			return nil, apiErr
		}
	}
	rg, apiErr := resourceGroupParam(c, "ResourceGroupId")
	if apiErr != nil {
		return nil, apiErr
	}
	replaceTags := false
	for p := range c.Params {
		if strings.HasPrefix(p, "Tags.") {
			replaceTags = true
		}
	}
	var tags []ResourceTag
	if replaceTags {
		if tags, apiErr = readTags(c.Indexed("Tags", "Key", "Value"), true); apiErr != nil {
			return nil, apiErr
		}
	}
	if name != "" {
		cert.Name = name
	}
	if rg != "" {
		cert.ResourceGroupID = rg
	}
	if replaceTags {
		cert.Tags = tags
	}
	return struct{}{}, nil
}
