package emulator

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSuccessBody(t *testing.T) {
	type item struct {
		Name string   `json:"Name"`
		List []string `json:"List"`
	}
	tests := []struct {
		name   string
		result any
		want   string
	}{
		{"nil", nil, `{"RequestId":"R"}`},
		{"empty map", map[string]any{}, `{"RequestId":"R"}`},
		{"struct", item{Name: "a&b<c>"}, `{"Name":"a&b<c>","RequestId":"R"}`},
		{"struct with a list", item{Name: "n", List: []string{"x"}}, `{"List":["x"],"Name":"n","RequestId":"R"}`},
		{"big numbers stay exact", map[string]any{"Id": int64(9007199254740993)}, `{"Id":9007199254740993,"RequestId":"R"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := successBody(tt.result, "R")
			if err != nil || string(got) != tt.want {
				t.Errorf("successBody = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
	if _, err := successBody([]int{1}, "R"); err == nil {
		t.Error("a list was accepted as a response object")
	}
}

func TestRequestParams(t *testing.T) {
	tests := []struct {
		name        string
		method, url string
		contentType string
		body        string
		want        map[string]string
	}{
		{"query only", "GET", "/?A=1&B=x%20y", "", "", map[string]string{"A": "1", "B": "x y"}},
		{"form body", "POST", "/?A=1", "application/x-www-form-urlencoded", "B=2&C=%2A", map[string]string{"A": "1", "B": "2", "C": "*"}},
		{"form wins", "POST", "/?A=1", "application/x-www-form-urlencoded; charset=utf-8", "A=2", map[string]string{"A": "2"}},
		{"other bodies are not parameters", "POST", "/?A=1", "application/json", `{"B":2}`, map[string]string{"A": "1"}},
		{"first of a repeated name", "GET", "/?A=1&A=2", "", "", map[string]string{"A": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			got, ok := requestParams(r, []byte(tt.body))
			if !ok || len(got) != len(tt.want) {
				t.Fatalf("requestParams = %v, %v; want %v", got, ok, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestRouting(t *testing.T) {
	srv, _, _ := startEmulator(t, Options{Seed: 1})
	tests := []struct {
		method, path string
		status       int
		contains     string
	}{
		{"GET", "/_emulator/clock", 200, `"offset_seconds"`},
		{"GET", "/_emulator/objects", 200, `"packages"`},
		{"GET", "/latest/meta-data/ram/security-credentials/", 200, DefaultECSRoleName},
		{"GET", "/", 400, `"MissingAction"`},
		{"DELETE", "/?Action=X", 405, `"UnsupportedHTTPMethod"`},
		{"POST", "/_emulator/clock", 405, `"error"`},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b strings.Builder
			_, _ = io.Copy(&b, resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(b.String(), tt.contains) {
				t.Errorf("answer = %d %s, want %d with %s", resp.StatusCode, b.String(), tt.status, tt.contains)
			}
		})
	}
}
