/* Cortex-M DSP extension (ARMv7E-M and later: SXTB16, SADD16, SMLAD, SMLABB/TT).
 * Four int8 values in a word become two int16 pairs, (b0, b2) and (b1, b3); SMLAD multiplies
 * two pairs and adds both products to an accumulator in one instruction. The optimized kernel
 * paths only reorder exact integer sums (and conv1d_s8 requantizes with a formula the generator
 * proves equal for its layer), so they stay bit-identical with the portable C, which remains the
 * code every other compiler builds (and this one with -DTF_NN_NO_DSP). */
/* Little-endian only: conv1d_s8 pairs words loaded from memory with weights packed at generation. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(TF_NN_NO_DSP) && !defined(__ARM_BIG_ENDIAN)
#include <arm_acle.h>
#define TF_NN_DSP 1
/* The multiply-accumulate loops need gcc's -O2 register allocation; at -Os (the usual embedded
 * setting) they spill to the stack and cost half as much again. */
#if defined(__GNUC__) && !defined(__clang__)
#define TF_NN_HOT __attribute__((optimize("O2")))
#else
#define TF_NN_HOT
#endif

static inline int32_t tf_nn_load4(const int8_t *p)
{
    int32_t v; /* ARMv7E-M loads words at any address */
    memcpy(&v, p, sizeof v);
    return v;
}

/* (b0, b2) sign-extended to two int16 lanes. */
static inline int32_t tf_nn_even16(int32_t v)
{
    return __sxtb16(v);
}

/* (b1, b3): one SXTB16 with its built-in rotation (gcc does not fuse a separate rotate). */
static inline int32_t tf_nn_odd16(int32_t v)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

/* Per-channel requantization constants of tf_nn_multiply_by_quantized_multiplier. */
typedef struct {
    int32_t multiplier;
    int left;
    int right;
    int32_t mask;
    int32_t half;
} tf_nn_requant_t;

static inline tf_nn_requant_t tf_nn_requant(int32_t multiplier, int32_t shift)
{
    tf_nn_requant_t r;
    r.multiplier = multiplier;
    r.left = shift > 0 ? (int)shift : 0;
    r.right = shift > 0 ? 0 : (int)-shift;
    r.mask = (int32_t)((1u << r.right) - 1u);
    r.half = r.mask >> 1;
    return r;
}

/* Same value as tf_nn_multiply_by_quantized_multiplier. gemmlowp's doubling high multiply with
 * its sign-dependent nudge equals floor((a * m + 2^30) / 2^31) for every a when m >= 0 (the
 * multipliers of quantize_multiplier are in [0, 2^31)): one SMULL and a shift. The rounding
 * division keeps the reference's round-half-away-from-zero. */
static inline __attribute__((always_inline)) int32_t tf_nn_requantize(int32_t acc, const tf_nn_requant_t *r)
{
    const int32_t shifted = (int32_t)((uint32_t)acc << r->left);
    const int32_t t = (int32_t)(((int64_t)shifted * r->multiplier + ((int64_t)1 << 30)) >> 31);
    const int32_t threshold = r->half + (int32_t)((uint32_t)t >> 31);
    return (t >> r->right) + ((t & r->mask) > threshold ? 1 : 0);
}
#else
#define TF_NN_DSP 0
#endif
