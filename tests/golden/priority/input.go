package jobs

var Order []string

func Run(name string) error {
	Order = append(Order, "run "+name)
	return nil
}
