package typeerror

func __rulec_t_two_before() {}

func __rulec_t_two_after(n int) {}

func __rulec_t_add_before(a int, b *int) {}
