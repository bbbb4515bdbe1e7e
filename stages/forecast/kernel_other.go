//go:build !amd64 || purego

package forecast

// haveAVX2FMA is false off amd64 (and with the purego tag): the pure-Go
// kernels run.
const haveAVX2FMA = false

func gatesAVX2(w, v, b, z []float64) { panic("forecast: no AVX2 kernel on this platform") }

func cellAVX2(z, h, c []float64) { panic("forecast: no AVX2 kernel on this platform") }
