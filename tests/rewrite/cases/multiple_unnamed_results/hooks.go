package multiresults

func __rulec_m_parse_before(s string) any { return s }

func __rulec_m_parse_after(state any, n int, s string, err *error) {}
