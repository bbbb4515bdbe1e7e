package simulate

import "time"

// fleet is a group's instances as a policy drives them: scale-in takes
// effect at once, scale-out only once the new instances have booted.
//
// An order given at the end of step i (time Start+(i+1)*Step) adds
// instances that serve from step i+1+bootSteps, the first step that starts
// after they are ready: an instance is counted only for whole steps it
// could serve. Removing instances first cancels launches still booting
// (newest first), then stops serving ones.
type fleet struct {
	serving   int
	bootSteps int
	launches  []launch // oldest first
}

type launch struct {
	n     int
	ready int // first step the instances serve
}

func newFleet(instances int, boot, step time.Duration) *fleet {
	return &fleet{serving: instances, bootSteps: bootSteps(boot, step)}
}

// bootSteps is ceil(boot / step): how many steps after the next one new
// instances miss.
func bootSteps(boot, step time.Duration) int {
	return int((boot + step - 1) / step)
}

// running returns the instances serving step i; calls must come in step
// order.
func (f *fleet) running(i int) int {
	k := 0
	for _, l := range f.launches {
		if l.ready > i {
			break
		}
		f.serving += l.n
		k++
	}
	f.launches = f.launches[k:]
	return f.serving
}

// provisioned is the instances serving or booting.
func (f *fleet) provisioned() int {
	n := f.serving
	for _, l := range f.launches {
		n += l.n
	}
	return n
}

// order sets the group's count to target at the end of step i.
func (f *fleet) order(i, target int) {
	have := f.provisioned()
	if target > have {
		f.launches = append(f.launches, launch{n: target - have, ready: i + 1 + f.bootSteps})
		return
	}

	remove := have - target
	for remove > 0 && len(f.launches) > 0 {
		last := &f.launches[len(f.launches)-1]
		k := min(remove, last.n)
		last.n -= k
		remove -= k
		if last.n == 0 {
			f.launches = f.launches[:len(f.launches)-1]
		}
	}
	f.serving -= remove
}
