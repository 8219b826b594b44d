package small

type Small struct{ n int }

func (s Small) Count() int { return s.n }
