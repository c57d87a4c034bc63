package domains

import "testing"

func TestCovers(t *testing.T) {
	tests := []struct {
		name string
		cert []string
		host string
		want bool
	}{
		{"R-08 exact name", []string{"www.example.com"}, "www.example.com", true},
		{"R-08 exact name only itself", []string{"www.example.com"}, "example.com", false},
		{"R-08 case and trailing dot", []string{"WWW.example.com."}, "www.EXAMPLE.com", true},
		{"R-08 wildcard one level", []string{"*.example.com"}, "a.example.com", true},
		{"R-08 wildcard not the apex", []string{"*.example.com"}, "example.com", false},
		{"R-03 wildcard not two levels (seed 001)", []string{"*.aliyun.com"}, "b.a.aliyun.com", false},
		{"R-08 deeper needs its own wildcard", []string{"*.b.example.com"}, "a.b.example.com", true},
		{"R-08 wildcard covers itself", []string{"*.example.com"}, "*.example.com", true},
		{"R-08 wildcard does not cover a deeper wildcard", []string{"*.example.com"}, "*.a.example.com", false},
		{"R-08 IP exact", []string{"47.96.1.10"}, "47.96.1.10", true},
		{"R-08 IP other", []string{"47.96.1.10"}, "47.96.1.11", false},
		{"R-08 any of the names", []string{"a.example.com", "*.example.org"}, "x.example.org", true},
		{"R-08 similar suffix is not a subdomain", []string{"*.example.com"}, "a.badexample.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Covers(tt.cert, tt.host)
			if err != nil || got != tt.want {
				t.Fatalf("Covers(%q, %q) = %v, %v; want %v", tt.cert, tt.host, got, err, tt.want)
			}
		})
	}
}

func TestCovers_invalidInput(t *testing.T) {
	for _, tt := range []struct {
		cert []string
		host string
		rule string
	}{
		{[]string{"*.*.a.com"}, "b.a.com", "R-04"},
		{[]string{"a.com"}, "ドメイン.com", "R-12"},
		{[]string{"a.com"}, "", "R-02"},
	} {
		_, err := Covers(tt.cert, tt.host)
		f, ok := err.(Finding)
		if !ok || f.Rule != tt.rule {
			t.Errorf("Covers(%q, %q) error %v; want a %s finding", tt.cert, tt.host, err, tt.rule)
		}
	}
}
