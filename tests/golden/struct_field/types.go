package conn

type Conn struct {
	addr string
	// open is the last field before the ones rulec adds.
	open bool
}
