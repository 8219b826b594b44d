package sameline

func __rulec_l_double_before(x int) {}

func __rulec_l_double_after(r *int) {}

func __rulec_l_nop_before() {}

func __rulec_l_nop_after() {}

func __rulec_l_twice_before(s *string) {}
