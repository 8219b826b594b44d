package methodstate

import "net/http"

// Server counts the requests it handles.
type Server struct {
	hits int
}

// Handle has two rules on it: one with state passed from before to after,
// one with a before hook only.
func (s *Server) Handle(w http.ResponseWriter, r *http.Request) (int, error) {
	s.hits++
	w.WriteHeader(http.StatusNoContent)
	_ = r
	return s.hits, nil
}

// Untouched has no advice and must come out unchanged.
func (s *Server) Untouched() int { return s.hits }
