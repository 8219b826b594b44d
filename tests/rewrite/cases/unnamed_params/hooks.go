package unnamedparams

func __rulec_u_handler_before(s string, n *int, b *[]byte) {}

func __rulec_u_scale_before(p Point, f float64) {}

func __rulec_u_scale_after(p Point) {}

func __rulec_u_multi_before(s string, n int) {}
