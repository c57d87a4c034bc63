package provider_test

import (
	"testing"

	"github.com/certforge/terraform-provider-alicloudcas/internal/acctest"
	"github.com/certforge/terraform-provider-alicloudcas/internal/emulator/control"
)

func mustRequests(t *testing.T, env *acctest.Env, action string) []control.Request {
	t.Helper()
	reqs, err := env.Control.Requests(env.Context(), action)
	if err != nil {
		t.Fatal(err)
	}
	return reqs
}
