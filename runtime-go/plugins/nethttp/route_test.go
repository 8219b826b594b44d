package nethttp

import "testing"

func TestNormalizeRoute(t *testing.T) {
	cases := map[string]string{
		"/users/:id":       "/users/{id}",
		"/files/*filepath": "/files/{filepath...}",
		"/a/:x/b/:y":       "/a/{x}/b/{y}",
		"/orders/{id}":     "/orders/{id}",
		"/static/*":        "/static/*",
		"/plain":           "/plain",
		"/time/10:30":      "/time/10:30",
	}
	for in, want := range cases {
		if got := NormalizeRoute(in); got != want {
			t.Errorf("NormalizeRoute(%q) = %q, want %q", in, got, want)
		}
	}
}
