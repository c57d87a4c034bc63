// Command modelgen turns the response models of cas-models.md (a digest of the request and
// response models of Alibaba Cloud's generated SDK for CAS 2020-04-07) into the JSON table that
// the emulator's contract test (internal/emulator/contract_test.go) checks every answer against:
// for each action the provider calls, its response fields, recursively, with their JSON type and,
// where the models enumerate them, their values.
//
// It was run on /work/shared/spec/cas-models.md (the May 2026 digest of @alicloud/cas20200407
// 3.0.0), from the repository root, with:
//
//	go run ./internal/emulator/internal/modelgen -in /work/shared/spec/cas-models.md -out internal/emulator/testdata/cas-models.json
//
// The JSON is checked in, so the test needs neither the markdown nor this program. Run it again
// when a newer digest arrives and review the diff.
//
// Entries added by hand are kept across runs: an action whose "source" is not "cas-models.md"
// (actions newer than the models, taken from the reference pages), and any field that carries a
// "source" (fields newer than the models). When the models catch up with a hand-added field,
// the generated one replaces it and the program says so.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
)

// generatedSource marks actions that come from the markdown.
const generatedSource = "cas-models.md"

// providerActions are the actions the provider calls (cas-api.md), the ones the table covers.
// Actions outside the models (ShareCertificate, CreateContact, UpdateContact, DeleteContact, the
// tag actions) are added by hand in the JSON.
var providerActions = []string{
	"DescribePackageState",
	"CreateCertificateForPackageRequest",
	"CreateCertificateRequest",
	"CreateCertificateWithCsrRequest",
	"DescribeCertificateState",
	"CancelOrderRequest",
	"CancelCertificateForPackageRequest",
	"DeleteCertificateRequest",
	"RenewCertificateOrderForPackageRequest",
	"ListUserCertificateOrder",
	"UploadUserCertificate",
	"GetUserCertificateDetail",
	"DeleteUserCertificate",
	"ListCert",
	"MoveResourceGroup",
	"TagResources",
	"UntagResources",
	"ListTagResources",
	"ShareCertificate",
	"CreateDeploymentJob",
	"UpdateDeploymentJob",
	"UpdateDeploymentJobStatus",
	"DescribeDeploymentJob",
	"ListDeploymentJob",
	"ListDeploymentJobCert",
	"ListDeploymentJobResource",
	"DescribeDeploymentJobStatus",
	"ListWorkerResource",
	"DeleteDeploymentJob",
	"ListCloudResources",
	"ListContact",
	"CreateContact",
	"UpdateContact",
	"DeleteContact",
}

// Table is the whole JSON document.
type Table struct {
	Comment   string             `json:"comment"`
	Generator string             `json:"generator"`
	Actions   map[string]*Action `json:"actions"`
}

// Action is one action's response model.
type Action struct {
	// Source is "cas-models.md" for generated actions, "reference page" for those added by hand.
	Source   string   `json:"source"`
	Note     string   `json:"note,omitempty"`
	Response []*Field `json:"response"`
}

// Field is one response field. Type is the JSON type: string, number, boolean, object, array or
// any (anything goes); Items is the element type of an array; Fields are the members of an
// object or of an array's objects.
type Field struct {
	Name   string   `json:"name"`
	Type   string   `json:"type"`
	Items  string   `json:"items,omitempty"`
	Enum   []string `json:"enum,omitempty"`
	Fields []*Field `json:"fields,omitempty"`
	// Source and Note are set only on fields added by hand.
	Source string `json:"source,omitempty"`
	Note   string `json:"note,omitempty"`
}

const usage = "go run ./internal/emulator/internal/modelgen -in /work/shared/spec/cas-models.md -out internal/emulator/testdata/cas-models.json"

func main() {
	in := flag.String("in", "", "path of cas-models.md")
	out := flag.String("out", "", "path of the JSON table to write (hand-added entries in it are kept)")
	flag.Parse()
	if *in == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage:", usage)
		os.Exit(2)
	}
	if err := run(*in, *out, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(1)
	}
}

func run(inPath, outPath string, log io.Writer) error {
	md, err := os.Open(inPath)
	if err != nil {
		return err
	}
	defer md.Close()
	models, err := parseModels(md)
	if err != nil {
		return fmt.Errorf("%s: %w", inPath, err)
	}
	old, err := readTable(outPath)
	if err != nil {
		return err
	}
	table := &Table{
		Comment: "Response models of the CAS 2020-04-07 actions the provider calls, generated from cas-models.md " +
			"(a digest of @alicloud/cas20200407 3.0.0, May 2026). Entries with a \"source\" other than cas-models.md " +
			"were added by hand from the reference pages and are kept when the generator runs again.",
		Generator: usage,
		Actions:   map[string]*Action{},
	}
	for _, name := range providerActions {
		gen, inModels := models[name]
		prev := old.Actions[name]
		switch {
		case inModels:
			if prev != nil && prev.Source != generatedSource {
				fmt.Fprintf(log, "%s: now in the models; the hand-written entry is replaced\n", name)
				prev = nil
			}
			if prev != nil {
				gen.Response = keepHandFields(name, gen.Response, prev.Response, log)
			}
			table.Actions[name] = gen
		case prev != nil && prev.Source != generatedSource:
			table.Actions[name] = prev
		default:
			fmt.Fprintf(log, "%s: not in the models and not added by hand yet\n", name)
		}
	}
	data, err := json.MarshalIndent(table, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(outPath, append(data, '\n'), 0o644)
}

// readTable reads the previous output; a missing file is an empty table.
func readTable(path string) (*Table, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Table{Actions: map[string]*Action{}}, nil
	}
	if err != nil {
		return nil, err
	}
	var t Table
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if t.Actions == nil {
		t.Actions = map[string]*Action{}
	}
	return &t, nil
}

// keepHandFields carries the hand-added fields of the previous table into freshly generated ones.
func keepHandFields(path string, gen, prev []*Field, log io.Writer) []*Field {
	for _, p := range prev {
		i := slices.IndexFunc(gen, func(f *Field) bool { return f.Name == p.Name })
		switch {
		case i >= 0 && p.Source != "":
			fmt.Fprintf(log, "%s.%s: now in the models; the hand-written field is replaced\n", path, p.Name)
		case i >= 0:
			gen[i].Fields = keepHandFields(path+"."+p.Name, gen[i].Fields, p.Fields, log)
		case p.Source != "":
			gen = append(gen, p)
		}
	}
	slices.SortFunc(gen, func(a, b *Field) int { return strings.Compare(a.Name, b.Name) })
	return gen
}

// fieldLine is one bullet of a model: "  - `Name` (type): description".
var fieldLine = regexp.MustCompile("^( *)- `([A-Za-z0-9_]+)` \\(([^)]*)\\):?(.*)$")

// parseModels reads every action's response body.
func parseModels(r io.Reader) (map[string]*Action, error) {
	models := map[string]*Action{}
	var (
		cur        *Action
		inResponse bool
		stack      []*Field // the open field at each indentation level
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			cur = &Action{Source: generatedSource, Response: []*Field{}}
			models[strings.TrimSpace(line[3:])] = cur
			inResponse, stack = false, nil
			continue
		case line == "Request:":
			inResponse = false
			continue
		case line == "Response body:":
			inResponse = cur != nil
			continue
		}
		if !inResponse {
			continue
		}
		m := fieldLine.FindStringSubmatch(line)
		if m == nil {
			if strings.TrimSpace(line) != "" {
				inResponse = false // the model ended
			}
			continue
		}
		depth := len(m[1]) / 2
		f, err := newField(m[2], m[3], m[4])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if depth > len(stack) {
			return nil, fmt.Errorf("line %d: %s is indented below no field", n, m[2])
		}
		stack = append(stack[:depth], f)
		if depth == 0 {
			cur.Response = append(cur.Response, f)
			continue
		}
		parent := stack[depth-1]
		if parent.Type != "object" && parent.Items != "object" {
			return nil, fmt.Errorf("line %d: %s is nested in %s, which is a %s", n, m[2], parent.Name, parent.Type)
		}
		parent.Fields = append(parent.Fields, f)
	}
	return models, sc.Err()
}

// newField maps the SDK's type ("number", "array of object", "string, required", ...) to a JSON
// type and reads the enumeration from the description.
func newField(name, sdkType, desc string) (*Field, error) {
	t, _, _ := strings.Cut(sdkType, ",")
	t = strings.TrimSpace(t)
	f := &Field{Name: name}
	switch {
	case t == "string" || t == "number" || t == "boolean" || t == "object" || t == "any":
		f.Type = t
	case strings.HasPrefix(t, "array of "):
		f.Type, f.Items = "array", strings.TrimPrefix(t, "array of ")
		if !slices.Contains([]string{"string", "number", "boolean", "object", "any"}, f.Items) {
			return nil, fmt.Errorf("%s: unknown element type %q", name, f.Items)
		}
	default:
		return nil, fmt.Errorf("%s: unknown type %q", name, sdkType)
	}
	if f.Type == "string" || f.Type == "number" {
		f.Enum = enumValues(desc)
	}
	return f, nil
}

var (
	// boldDefinition is a value defined in bold: "**payed**: pending", "**CA**：表示",
	// "**digicert-free-1-free** (default): ...". A bold phrase followed by anything else (a
	// comma, a full stop) is prose, not a value.
	boldDefinition = regexp.MustCompile(`\*\*([^*\s]+)\*\*(?:\s*\([^)]*\))?\s*[:：]`)
	boldItem       = regexp.MustCompile(`^\*\*([^*\s]+)\*\*$`)
	// plainItem is an unformatted value, alone or defined: "cloud", "RAW: the raw data".
	plainItem = regexp.MustCompile(`^([A-Za-z0-9_./-]+)(?:\s*[:：].*)?$`)
)

// enumValues reads the values listed after "Values:" (or the Chinese "取值："), up to the
// example. Items are separated by ";" (or " - " in the Chinese descriptions).
func enumValues(desc string) []string {
	start, marker := strings.Index(desc, "Values:"), "Values:"
	if start < 0 {
		start, marker = strings.Index(desc, "取值："), "取值："
	}
	if start < 0 {
		return nil
	}
	text := desc[start+len(marker):]
	if end := strings.LastIndex(text, " e.g. `"); end >= 0 {
		text = text[:end]
	}
	var values []string
	add := func(v string) {
		if !slices.Contains(values, v) {
			values = append(values, v)
		}
	}
	for _, m := range boldDefinition.FindAllStringSubmatch(text, -1) {
		add(m[1])
	}
	for _, item := range strings.FieldsFunc(strings.ReplaceAll(text, " - ", ";"), func(r rune) bool { return r == ';' }) {
		item = strings.TrimSpace(item)
		if m := boldItem.FindStringSubmatch(item); m != nil {
			add(m[1])
		} else if m := plainItem.FindStringSubmatch(item); m != nil && !strings.Contains(item, "**") {
			add(m[1])
		}
	}
	return values
}
