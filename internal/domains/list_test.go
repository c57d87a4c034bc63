package domains

import (
	"fmt"
	"strings"
	"testing"
)

// want is one expected finding: rule, severity and index.
type want struct {
	rule     string
	severity Severity
	index    int
}

func (w want) String() string { return fmt.Sprintf("%s/%d@%d", w.rule, w.severity, w.index) }

func summarize(fs Findings) []want {
	out := []want{}
	for _, f := range fs {
		out = append(out, want{f.Rule, f.Severity, f.Index})
	}
	return out
}

func TestCheckDomains(t *testing.T) {
	dvSingle := Spec{Shape: ShapeSingle, Validation: "DV", Brand: "geotrust", API: true}
	dvWild := Spec{Shape: ShapeWildcard, Validation: "DV", Brand: "geotrust", API: true}
	console := Spec{Validation: "OV", Brand: "cfca"}
	long := strings.Repeat("a", 60) + ".example.com"
	tests := []struct {
		name  string
		spec  Spec
		in    []string
		norm  []string
		finds []want
	}{
		{name: "single name", spec: dvSingle, in: []string{"WWW.Example.com."}, norm: []string{"www.example.com"}},
		{name: "R-05 multi-domain up to five", spec: dvSingle, in: []string{"a.example.com", "b.example.com", "c.example.com", "d.example.com", "e.example.com"}},
		{name: "R-07 subdomains are separate names (seed 004 §1.5)", spec: dvSingle, in: []string{"buy.example.com", "next.buy.example.com"}},
		{name: "R-15 several wildcards (M_WILDCARD)", spec: dvWild, in: []string{"*.a.com", "*.b.com"}},
		{name: "R-02 public IPv4 alone", spec: dvSingle, in: []string{"47.96.1.10"}},
		{name: "R-02 no names", spec: dvSingle, in: nil, finds: []want{{"R-02", Error, -1}}},
		{name: "R-05 six names", spec: dvSingle, in: []string{"a.x.com", "b.x.com", "c.x.com", "d.x.com", "e.x.com", "f.x.com"}, finds: []want{{"R-05", Error, -1}}},
		{name: "R-07 duplicate after normalisation", spec: dvSingle, in: []string{"a.example.com", "A.example.com."}, finds: []want{{"R-07", Error, 1}}},
		{name: "R-02 IP with other names", spec: dvSingle, in: []string{"47.96.1.10", "a.example.com"}, finds: []want{{"R-02", Error, 0}}},
		{name: "R-02 IP on a wildcard product", spec: dvWild, in: []string{"47.96.1.10"}, finds: []want{{"R-02", Error, 0}}},
		{name: "R-03 wildcard on a single-domain product", spec: dvSingle, in: []string{"*.example.com"}, finds: []want{{"R-03", Error, 0}}},
		{name: "R-03 specific name on a wildcard product", spec: dvWild, in: []string{"www.example.com"}, finds: []want{{"R-03", Error, 0}}},
		{name: "R-15 mixed through the API", spec: Spec{Validation: "OV", API: true}, in: []string{"www.a.com", "*.a.com"}, finds: []want{{"R-15", Error, -1}, {"R-08", Warning, 0}}},
		{name: "R-06 mixed allowed for OV in the console, specific first", spec: console, in: []string{"www.b.com", "*.a.com"}},
		{name: "R-06 mixed needs OV", spec: Spec{Validation: "DV"}, in: []string{"www.b.com", "*.a.com"}, finds: []want{{"R-06", Error, -1}}},
		{name: "R-06 mixed with a wildcard first", spec: console, in: []string{"*.a.com", "www.b.com"}, finds: []want{{"R-06", Error, 0}}},
		{name: "R-13 first name longer than a Common Name", spec: dvSingle, in: []string{long}, finds: []want{{"R-13", Error, 0}}},
		{name: "R-08 name covered by a wildcard in the list", spec: console, in: []string{"shop.a.com", "*.a.com"}, finds: []want{{"R-08", Warning, 0}}},
		{name: "R-10 base the CA adds anyway", spec: Spec{Shape: ShapeWildcard, Brand: "geotrust"}, in: []string{"*.a.com", "*.b.com"}},
		{name: "R-10 listed base under GeoTrust is wasted", spec: Spec{Validation: "OV", Brand: "geotrust"}, in: []string{"a.com", "*.a.com"}, finds: []want{{"R-10", Warning, 0}}},
		{name: "R-11 www. under Entrust is wasted (seed 000 §2.12)", spec: Spec{Brand: "entrust"}, in: []string{"domain.com", "www.domain.com"}, finds: []want{{"R-11", Warning, 1}}},
		{name: "R-11 Entrust www. only for the first name", spec: Spec{Brand: "entrust"}, in: []string{"domain.com", "example.com", "www.example.com"}},
		{name: "name errors are reported per index", spec: dvSingle, in: []string{"a.example.com", "*.*.a.com", "10.0.0.1"}, finds: []want{{"R-04", Error, 1}, {"R-02", Error, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fs := CheckDomains(tt.in, tt.spec)
			if fmt.Sprint(summarize(fs)) != fmt.Sprint(append([]want{}, tt.finds...)) {
				t.Fatalf("findings %v; want %v\n%v", summarize(fs), tt.finds, fs)
			}
			if tt.norm != nil {
				var texts []string
				for _, n := range got {
					texts = append(texts, n.Text)
				}
				if fmt.Sprint(texts) != fmt.Sprint(tt.norm) {
					t.Errorf("normalised %q; want %q", texts, tt.norm)
				}
			}
			for _, f := range fs {
				if !strings.Contains(f.Detail, f.Rule) {
					t.Errorf("the detail of a %s finding does not cite it: %q", f.Rule, f.Detail)
				}
			}
		})
	}
}

func TestSameNames(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want bool
	}{
		{"R-01 case and trailing dot are the same certificate", []string{"WWW.a.com.", "b.a.com"}, []string{"www.a.com", "B.A.COM"}, true},
		{"R-01 another name is another certificate", []string{"www.a.com"}, []string{"www.b.com"}, false},
		{"R-13 order matters: the first is the Common Name", []string{"a.com", "b.com"}, []string{"b.com", "a.com"}, false},
		{"R-01 one more name", []string{"a.com"}, []string{"a.com", "b.com"}, false},
		{"invalid names are never the same", []string{"*.*.a.com"}, []string{"*.*.a.com"}, false},
	}
	for _, tt := range tests {
		if got := SameNames(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: SameNames(%q, %q) = %v", tt.name, tt.a, tt.b, got)
		}
	}
}
