//line $MODULE/types.go:1
package conn

type Conn struct {
	addr string
	// open is the last field before the ones rulec adds.
	open bool
/*line $MODULE/rule.gorule:11:15*/rulecPeer string; /*line $MODULE/types.go:7:1*/}
