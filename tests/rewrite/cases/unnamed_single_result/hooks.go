package unnamedsingle

func __rulec_s_close_after(err *error) {}

func __rulec_s_counter_before(start int) {}

func __rulec_s_counter_after(f func() int) {}
