package missing

func Present() {}
