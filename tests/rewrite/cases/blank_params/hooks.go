package blankparams

func __rulec_b_blank_before(s string, n int, b *bool) int { return 0 }

func __rulec_b_blank_after(state int, r int, err *error) {}

func __rulec_b_m_before(t *T, n int) {}
