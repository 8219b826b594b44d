//line $MODULE/input.go:1
package small

type Small struct{ n int /*line $MODULE/rule.gorule:10:15*/rulecCalls int; /*line $MODULE/input.go:3:26*/}

func (s Small) Count() int { return s.n }
