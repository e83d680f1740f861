/* Fixed-point helpers with TFLite's rounding (gemmlowp semantics), portable C99:
 * no signed overflow, no implementation-defined right shift of negative values. */

static inline int32_t tf_nn_asr(int32_t x, int shift)
{
    /* Arithmetic shift right that does not rely on the compiler's choice for negatives. */
    return x < 0 ? ~(~x >> shift) : (x >> shift);
}

static inline int32_t tf_nn_add_wrap(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static inline int32_t tf_nn_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t v;
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    v = ab + (ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30)));
    /* Division by 2^31 truncating toward zero, without a 64-bit divide. */
    return (int32_t)(v >= 0 ? (v >> 31) : -((-v) >> 31));
}

static inline int32_t tf_nn_rounding_divide_by_pot(int32_t x, int exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return tf_nn_asr(x, exponent) + (remainder > threshold ? 1 : 0);
}

/* x * multiplier * 2^(shift - 31), rounded twice as gemmlowp does (the rounding
 * LiteRT's reference conv, depthwise, mean and rescale kernels use). */
static inline int32_t tf_nn_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift)
{
    const int left_shift = shift > 0 ? shift : 0;
    const int right_shift = shift > 0 ? 0 : -shift;
    const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
    return tf_nn_rounding_divide_by_pot(
        tf_nn_saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

static inline int32_t tf_nn_clamp(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

static inline float tf_nn_clamp_f32(float x, float lo, float hi)
{
    /* Same order as TFLite's ActivationFunctionWithMinMax: max first, then min. */
    const float y = x < lo ? lo : x;
    return y > hi ? hi : y;
}
