//go:build amd64 && !purego

#include "textflag.h"

// Constants, four lanes each.
DATA lo<>+0(SB)/8, $-40.0
DATA lo<>+8(SB)/8, $-40.0
DATA lo<>+16(SB)/8, $-40.0
DATA lo<>+24(SB)/8, $-40.0
GLOBL lo<>(SB), RODATA|NOPTR, $32

DATA hi<>+0(SB)/8, $40.0
DATA hi<>+8(SB)/8, $40.0
DATA hi<>+16(SB)/8, $40.0
DATA hi<>+24(SB)/8, $40.0
GLOBL hi<>(SB), RODATA|NOPTR, $32

// -log2(e)
DATA nlog2e<>+0(SB)/8, $-1.4426950408889634
DATA nlog2e<>+8(SB)/8, $-1.4426950408889634
DATA nlog2e<>+16(SB)/8, $-1.4426950408889634
DATA nlog2e<>+24(SB)/8, $-1.4426950408889634
GLOBL nlog2e<>(SB), RODATA|NOPTR, $32

// 1.5 * 2^52: adding it rounds to an integer held in the low mantissa bits.
DATA magic<>+0(SB)/8, $6755399441055744.0
DATA magic<>+8(SB)/8, $6755399441055744.0
DATA magic<>+16(SB)/8, $6755399441055744.0
DATA magic<>+24(SB)/8, $6755399441055744.0
GLOBL magic<>(SB), RODATA|NOPTR, $32

// 1.0, whose bits are also 1023<<52, the exponent bias.
DATA one<>+0(SB)/8, $1.0
DATA one<>+8(SB)/8, $1.0
DATA one<>+16(SB)/8, $1.0
DATA one<>+24(SB)/8, $1.0
GLOBL one<>(SB), RODATA|NOPTR, $32

// 2^f = sum ln2^k/k! f^k, k = 0..8, for |f| <= 0.5.
#define COEF(name, v) \
	DATA name+0(SB)/8, v; \
	DATA name+8(SB)/8, v; \
	DATA name+16(SB)/8, v; \
	DATA name+24(SB)/8, v; \
	GLOBL name(SB), RODATA|NOPTR, $32

COEF(c1<>, $0.6931471805599453)
COEF(c2<>, $0.2402265069591007)
COEF(c3<>, $0.05550410866482158)
COEF(c4<>, $0.009618129107628477)
COEF(c5<>, $0.0013333558146428443)
COEF(c6<>, $0.00015403530393381606)
COEF(c7<>, $1.525273380405984e-05)
COEF(c8<>, $1.3215486790144307e-06)

// SIGMOID sets X to 1/(1+exp(-X)) lane-wise; clobbers Y6 and Y7.
// exp(-x) = 2^n * 2^f with t = -x*log2(e), n = round(t), f = t-n;
// x is first clamped to [-40, 40] (sigmoid is within 4.3e-18 of 0 or 1
// beyond), which keeps 2^n a normal number.
#define SIGMOID(X) \
	VMAXPD lo<>(SB), X, X; \
	VMINPD hi<>(SB), X, X; \
	VMULPD nlog2e<>(SB), X, X; \
	VADDPD magic<>(SB), X, Y7; \
	VSUBPD magic<>(SB), Y7, Y6; \
	VSUBPD Y6, X, X; \
	VPSLLQ $52, Y7, Y7; \
	VPADDQ one<>(SB), Y7, Y7; \
	VMOVUPD c8<>(SB), Y6; \
	VFMADD213PD c7<>(SB), X, Y6; \
	VFMADD213PD c6<>(SB), X, Y6; \
	VFMADD213PD c5<>(SB), X, Y6; \
	VFMADD213PD c4<>(SB), X, Y6; \
	VFMADD213PD c3<>(SB), X, Y6; \
	VFMADD213PD c2<>(SB), X, Y6; \
	VFMADD213PD c1<>(SB), X, Y6; \
	VFMADD213PD one<>(SB), X, Y6; \
	VMULPD Y7, Y6, Y6; \
	VADDPD one<>(SB), Y6, Y6; \
	VMOVUPD one<>(SB), X; \
	VDIVPD Y6, X, X

// TANH sets X to tanh(X) = 2*sigmoid(2X) - 1; clobbers Y6 and Y7.
#define TANH(X) \
	VADDPD X, X, X; \
	SIGMOID(X); \
	VADDPD X, X, X; \
	VSUBPD one<>(SB), X, X

// func gatesAVX2(w, v, b, z []float64)
// z[j] = b[j] + sum_k v[k] * w[k*n+j], n = len(z), a multiple of 4.
TEXT ·gatesAVX2(SB), NOSPLIT, $0-96
	MOVQ w_base+0(FP), SI
	MOVQ v_base+24(FP), DI
	MOVQ v_len+32(FP), CX
	MOVQ b_base+48(FP), R14
	MOVQ z_base+72(FP), DX
	MOVQ z_len+80(FP), BX
	SHLQ $3, BX          // BX = n*8: row stride and end of z in bytes
	XORQ R9, R9          // R9 = offset of the current column block in bytes

block32:
	MOVQ BX, AX
	SUBQ R9, AX
	CMPQ AX, $256
	JLT  block4
	VMOVUPD 0(R14)(R9*1), Y0
	VMOVUPD 32(R14)(R9*1), Y1
	VMOVUPD 64(R14)(R9*1), Y2
	VMOVUPD 96(R14)(R9*1), Y3
	VMOVUPD 128(R14)(R9*1), Y4
	VMOVUPD 160(R14)(R9*1), Y5
	VMOVUPD 192(R14)(R9*1), Y6
	VMOVUPD 224(R14)(R9*1), Y7
	LEAQ (SI)(R9*1), R11
	MOVQ DI, R12
	MOVQ CX, R13
	TESTQ R13, R13
	JZ   store32

rows32:
	VBROADCASTSD (R12), Y8
	VFMADD231PD 0(R11), Y8, Y0
	VFMADD231PD 32(R11), Y8, Y1
	VFMADD231PD 64(R11), Y8, Y2
	VFMADD231PD 96(R11), Y8, Y3
	VFMADD231PD 128(R11), Y8, Y4
	VFMADD231PD 160(R11), Y8, Y5
	VFMADD231PD 192(R11), Y8, Y6
	VFMADD231PD 224(R11), Y8, Y7
	ADDQ $8, R12
	ADDQ BX, R11
	DECQ R13
	JNZ  rows32

store32:
	VMOVUPD Y0, 0(DX)(R9*1)
	VMOVUPD Y1, 32(DX)(R9*1)
	VMOVUPD Y2, 64(DX)(R9*1)
	VMOVUPD Y3, 96(DX)(R9*1)
	VMOVUPD Y4, 128(DX)(R9*1)
	VMOVUPD Y5, 160(DX)(R9*1)
	VMOVUPD Y6, 192(DX)(R9*1)
	VMOVUPD Y7, 224(DX)(R9*1)
	ADDQ $256, R9
	JMP  block32

block4:
	CMPQ R9, BX
	JGE  done
	VMOVUPD 0(R14)(R9*1), Y0
	LEAQ (SI)(R9*1), R11
	MOVQ DI, R12
	MOVQ CX, R13
	TESTQ R13, R13
	JZ   store4

rows4:
	VBROADCASTSD (R12), Y8
	VFMADD231PD 0(R11), Y8, Y0
	ADDQ $8, R12
	ADDQ BX, R11
	DECQ R13
	JNZ  rows4

store4:
	VMOVUPD Y0, 0(DX)(R9*1)
	ADDQ $32, R9
	JMP  block4

done:
	VZEROUPPER
	RET

// func cellAVX2(z, h, c []float64)
// The LSTM cell update of cellStep for hid = len(h), a multiple of 4.
TEXT ·cellAVX2(SB), NOSPLIT, $0-72
	MOVQ z_base+0(FP), SI
	MOVQ h_base+24(FP), DI
	MOVQ h_len+32(FP), CX
	MOVQ c_base+48(FP), DX
	MOVQ CX, BX
	SHLQ $3, BX          // BX = hid*8: distance between gates in z
	XORQ R9, R9          // byte offset of the unit block
	SHLQ $3, CX          // CX = end offset

units:
	CMPQ R9, CX
	JGE  celldone
	LEAQ (SI)(R9*1), R11
	VMOVUPD (R11), Y0            // i
	ADDQ BX, R11
	VMOVUPD (R11), Y1            // f
	ADDQ BX, R11
	VMOVUPD (R11), Y2            // g
	ADDQ BX, R11
	VMOVUPD (R11), Y3            // o
	SIGMOID(Y0)
	SIGMOID(Y1)
	TANH(Y2)
	SIGMOID(Y3)
	VMOVUPD (DX)(R9*1), Y4
	VMULPD Y1, Y4, Y4            // c = f*c
	VFMADD231PD Y2, Y0, Y4       // c += i*g
	VMOVUPD Y4, (DX)(R9*1)
	TANH(Y4)
	VMULPD Y3, Y4, Y4            // h = o*tanh(c)
	VMOVUPD Y4, (DI)(R9*1)
	ADDQ $32, R9
	JMP  units

celldone:
	VZEROUPPER
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
