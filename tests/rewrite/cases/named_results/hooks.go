package namedresults

func __rulec_n_divide_before(a, b int) {}

func __rulec_n_divide_after(q int, err *error) {}

func __rulec_n_split_after(head, tail string) {}
