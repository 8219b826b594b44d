package conn

type Conn struct {
	addr string
	open bool
}

func Dial(addr string) *Conn { return &Conn{addr, true} }
