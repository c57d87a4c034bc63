package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
)

// /_emulator/objects: generic views and edits of the state's collections, through JSON. The state
// is marshalled to a document, the entry is read, replaced, merged (RFC 7396) or deleted, and the
// document is unmarshalled into a fresh State that replaces the old one: an edit that does not fit
// the types is refused and changes nothing. This is how tests seed objects and change them behind
// Terraform's back.

// stateKinds lists the collections of State by JSON name; true for lists, false for maps.
func stateKinds() map[string]bool {
	kinds := map[string]bool{}
	t := reflect.TypeOf(State{})
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		switch f.Type.Kind() {
		case reflect.Map:
			kinds[name] = false
		case reflect.Slice:
			kinds[name] = true
		}
	}
	return kinds
}

// decodeDocument parses JSON keeping numbers exact.
func decodeDocument(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the JSON document")
	}
	return v, nil
}

// mergePatch applies an RFC 7396 JSON merge patch.
func jsonMergePatch(target, patch any) any {
	p, isObject := patch.(map[string]any)
	if !isObject {
		return patch
	}
	t, isObject := target.(map[string]any)
	if !isObject {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = jsonMergePatch(t[k], v)
		}
	}
	return t
}

// idOf is a list item's "id" as a string.
func controlItemID(item any) string {
	m, isObject := item.(map[string]any)
	if !isObject || m["id"] == nil {
		return ""
	}
	return strings.Trim(fmt.Sprint(m["id"]), `"`)
}

func (e *Emulator) controlObjects(method string, segs []string, body []byte) (any, *ctlError) {
	kinds := stateKinds()
	if len(segs) == 0 || segs[0] == "" {
		if cerr := allowMethods(method, http.MethodGet); cerr != nil {
			return nil, cerr
		}
		names := make([]string, 0, len(kinds))
		for k := range kinds {
			names = append(names, k)
		}
		sort.Strings(names)
		return names, nil
	}
	kind := segs[0]
	isList, known := kinds[kind]
	if !known || len(segs) > 2 {
		return nil, ctlErrorf(http.StatusNotFound, "no kind of object %q: the kinds are the collections of GET /_emulator/objects", strings.Join(segs, "/"))
	}
	var patch any
	if method == http.MethodPut || method == http.MethodPatch {
		var err error
		if patch, err = decodeDocument(body); err != nil {
			return nil, ctlErrorf(http.StatusBadRequest, "the body is not JSON: %v", err)
		}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	e.runTickersLocked()
	raw, err := encodeState(e.state)
	if err != nil {
		return nil, ctlErrorf(http.StatusInternalServerError, "encoding the state: %v", err)
	}
	docAny, err := decodeDocument(raw)
	if err != nil {
		return nil, ctlErrorf(http.StatusInternalServerError, "decoding the state: %v", err)
	}
	doc := docAny.(map[string]any)
	coll := doc[kind]
	if coll == nil {
		if isList {
			coll = []any{}
		} else {
			coll = map[string]any{}
		}
	}

	if len(segs) == 1 {
		switch method {
		case http.MethodGet:
			return coll, nil
		case http.MethodPut:
			doc[kind] = patch
			return e.commitDocument(doc, kind, "")
		}
		return nil, allowMethods(method, http.MethodGet, http.MethodPut)
	}

	id := segs[1]
	var current any
	index := -1
	if isList {
		for i, item := range coll.([]any) {
			if controlItemID(item) == id {
				current, index = item, i
				break
			}
		}
	} else {
		current = coll.(map[string]any)[id]
	}
	found := current != nil
	if !found && method != http.MethodPut {
		if method == http.MethodGet || method == http.MethodPatch || method == http.MethodDelete {
			return nil, ctlErrorf(http.StatusNotFound, "no %s object with id %q", kind, id)
		}
		return nil, allowMethods(method, http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete)
	}

	var next any
	switch method {
	case http.MethodGet:
		return current, nil
	case http.MethodPut:
		next = patch
	case http.MethodPatch:
		next = jsonMergePatch(current, patch)
	case http.MethodDelete:
		next = nil
	default:
		return nil, allowMethods(method, http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete)
	}
	if isList {
		items := coll.([]any)
		switch {
		case next == nil:
			items = append(items[:index], items[index+1:]...)
		case index < 0:
			items = append(items, next)
		default:
			items[index] = next
		}
		doc[kind] = items
	} else {
		m := coll.(map[string]any)
		if next == nil {
			delete(m, id)
		} else {
			m[id] = next
		}
		doc[kind] = m
	}
	if method == http.MethodDelete {
		if _, cerr := e.commitDocument(doc, kind, ""); cerr != nil {
			return nil, cerr
		}
		return controlOK, nil
	}
	return e.commitDocument(doc, kind, id)
}

// commitDocument replaces the state with an edited document and answers the edited collection,
// or one of its objects when id is set. The caller holds e.mu.
func (e *Emulator) commitDocument(doc map[string]any, kind, id string) (any, *ctlError) {
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, ctlErrorf(http.StatusBadRequest, "encoding the edited state: %v", err)
	}
	s, err := decodeState(data, true)
	if err != nil {
		return nil, ctlErrorf(http.StatusBadRequest, "the edited %s do not fit the state: %v", kind, err)
	}
	e.state = s
	if err := e.saveStateLocked(); err != nil {
		return nil, ctlErrorf(http.StatusInternalServerError, "saving the state: %v", err)
	}
	raw, err := encodeState(s)
	if err != nil {
		return nil, ctlErrorf(http.StatusInternalServerError, "encoding the state: %v", err)
	}
	fresh, _ := decodeDocument(raw)
	coll := fresh.(map[string]any)[kind]
	if id == "" {
		return coll, nil
	}
	switch c := coll.(type) {
	case map[string]any:
		return c[id], nil
	case []any:
		for _, item := range c {
			if controlItemID(item) == id {
				return item, nil
			}
		}
	}
	return nil, nil
}
