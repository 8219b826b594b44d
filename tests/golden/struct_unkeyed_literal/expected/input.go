//line $MODULE/input.go:1
package conn

type Conn struct {
	addr string
	open bool
/*line $MODULE/rule.gorule:10:15*/rulecPeer string; /*line $MODULE/input.go:6:1*/}

func Dial(addr string) *Conn { return &Conn{addr, true} }
