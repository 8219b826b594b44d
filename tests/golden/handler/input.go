package api

import (
	"fmt"
	"net/http"
)

type API struct{ name string }

func (a API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "%s: %s\n", a.name, r.URL.Path)
}

// Handle is not a ServeHTTP method: no rule reaches it.
func (a API) Handle(w http.ResponseWriter, r *http.Request) { a.ServeHTTP(w, r) }
