//line $MODULE/input.go:1
package conn

func Dial(addr string) *Conn { return &Conn{addr: addr, open: true} }

func (c *Conn) Get(key string) string { /*line $MODULE/rule.gorule:16:15*/c.rulecPeer = "peer " + c.addr; /*line $MODULE/input.go:5:40*/ return key + "@" + c.addr }
