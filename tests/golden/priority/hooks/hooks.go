package hooks

import jobs "example.com/golden/priority"

func BeforePlain(name string) { jobs.Order = append(jobs.Order, "plain") }

func BeforeHigh(name string) { jobs.Order = append(jobs.Order, "high before") }

func AfterHigh(err error) { jobs.Order = append(jobs.Order, "high after") }
