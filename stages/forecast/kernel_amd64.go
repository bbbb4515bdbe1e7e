//go:build amd64 && !purego

package forecast

// gatesAVX2 sets z[j] = b[j] + sum_k v[k]*w[k*len(z)+j]. len(z) must be a
// multiple of 4, len(b) >= len(z) and len(w) >= len(v)*len(z); kernelGates
// checks this before calling.
//
//go:noescape
func gatesAVX2(w, v, b, z []float64)

// cellAVX2 is cellStep with vectorised nonlinearities; len(h) must be a
// multiple of 4, len(c) >= len(h) and len(z) >= 4*len(h).
//
//go:noescape
func cellAVX2(z, h, c []float64)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// haveAVX2FMA reports whether the CPU and the OS support AVX2 and FMA3 (the
// instructions of kernel_amd64.s), read from CPUID as golang.org/x/sys/cpu
// does.
var haveAVX2FMA = func() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	// The OS saves the XMM and YMM registers.
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx2 = 1 << 5
	return ebx7&avx2 != 0
}()
