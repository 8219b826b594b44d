package methodstate

import "net/http"

func __rulec_web_server_before(s *Server, w *http.ResponseWriter, r *http.Request) any { return nil }

func __rulec_web_server_after(state any, n int, err *error) {}

func __rulec_web_count_before(s *Server) {}
