//line $MODULE/input.go:1
package jobs

var Order []string

func Run(name string) (__rulec_r0 error) { __rulec_jobs_high_before(name); defer func() { __rulec_jobs_high_after(__rulec_r0) }(); __rulec_jobs_plain_before(name); /*line $MODULE/rule.gorule:12:15*/Order = append(Order, "low"); /*line $MODULE/input.go:5:30*/
	Order = append(Order, "run "+name)
	return nil
}
