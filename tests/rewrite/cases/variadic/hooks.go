package variadic

func __rulec_v_logf_before(format string, args []any) {}

func __rulec_v_sum_before(first int, rest *[]int) {}

func __rulec_v_sum_after(sum int) {}
