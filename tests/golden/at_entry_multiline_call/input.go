package tally

var Seen []string

func Add(key string, n int) int {
	Seen = append(Seen, key)
	return n + 1
}
