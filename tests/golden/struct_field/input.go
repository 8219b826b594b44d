package conn

func Dial(addr string) *Conn { return &Conn{addr: addr, open: true} }

func (c *Conn) Get(key string) string { return key + "@" + c.addr }
