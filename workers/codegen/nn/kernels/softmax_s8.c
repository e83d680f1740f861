/* int8 softmax, bit-exact with TFLite's reference kernel: gemmlowp fixed-point
 * exp() on the scaled differences to the row maximum, a Newton-Raphson
 * reciprocal of their sum, output scale 1/256 and zero point -128. */
typedef struct {
    int rows;
    int depth;
    int32_t input_multiplier;
    int input_left_shift;
    int32_t diff_min;
} tf_nn_softmax_s8_params_t;

static int32_t tf_nn_sat_shift_left(int32_t x, int exponent)
{
    const int32_t threshold = (int32_t)(((int32_t)1 << (31 - exponent)) - 1);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

/* exp(a) for a in [-1/4, 0), a and result with 0 integer bits (Q0.31). */
static int32_t tf_nn_exp_on_interval(int32_t a)
{
    const int32_t constant_term = 1895147668;    /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883;
    const int32_t x = tf_nn_add_wrap(a, (int32_t)1 << 28); /* a + 1/8 */
    const int32_t x2 = tf_nn_saturating_rounding_doubling_high_mul(x, x);
    const int32_t x3 = tf_nn_saturating_rounding_doubling_high_mul(x2, x);
    const int32_t x4 = tf_nn_saturating_rounding_doubling_high_mul(x2, x2);
    const int32_t x4_over_4 = tf_nn_rounding_divide_by_pot(x4, 2);
    const int32_t poly = tf_nn_rounding_divide_by_pot(
        tf_nn_add_wrap(tf_nn_saturating_rounding_doubling_high_mul(tf_nn_add_wrap(x4_over_4, x3),
                                                                   constant_1_over_3),
                       x2),
        1);
    return tf_nn_add_wrap(constant_term,
                          tf_nn_saturating_rounding_doubling_high_mul(constant_term, tf_nn_add_wrap(x, poly)));
}

/* exp(a) for a <= 0 given with 5 integer bits (Q5.26); result in Q0.31. */
static int32_t tf_nn_exp_on_negative_values(int32_t a)
{
    static const int32_t multipliers[7] = {
        1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242,
    }; /* exp(-2^k) for k = -2..4 */
    const int32_t one_quarter = (int32_t)1 << 24;
    const int32_t a_mod_quarter_minus_one_quarter = (a & (one_quarter - 1)) - one_quarter;
    const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
    int32_t result = tf_nn_exp_on_interval(tf_nn_sat_shift_left(a_mod_quarter_minus_one_quarter, 5));
    int k;
    for (k = 0; k < 7; ++k) {
        if (remainder & ((int32_t)1 << (24 + k))) {
            result = tf_nn_saturating_rounding_doubling_high_mul(result, multipliers[k]);
        }
    }
    return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) for a in [0, 1), Q0.31 in and out. */
static int32_t tf_nn_one_over_one_plus_x(int32_t a)
{
    const int64_t sum = (int64_t)a + INT32_MAX;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int32_t constant_48_over_17 = 1515870810;
    const int32_t constant_neg_32_over_17 = -1010580540;
    int32_t x = tf_nn_add_wrap(constant_48_over_17,
                               tf_nn_saturating_rounding_doubling_high_mul(half_denominator,
                                                                           constant_neg_32_over_17));
    int i;
    for (i = 0; i < 3; ++i) {
        const int32_t half_denominator_times_x =
            tf_nn_saturating_rounding_doubling_high_mul(half_denominator, x);
        const int32_t one_minus = ((int32_t)1 << 29) - half_denominator_times_x;
        x = tf_nn_add_wrap(x, tf_nn_sat_shift_left(tf_nn_saturating_rounding_doubling_high_mul(x, one_minus), 2));
    }
    return tf_nn_sat_shift_left(x, 1);
}

static int tf_nn_count_leading_zeros(uint32_t x)
{
    int n = 0;
    if (x == 0) {
        return 32;
    }
    while ((x & 0x80000000u) == 0) {
        x <<= 1;
        ++n;
    }
    return n;
}

static void tf_nn_softmax_s8(const tf_nn_softmax_s8_params_t *p, const int8_t *input, int8_t *output)
{
    int r, c;
    for (r = 0; r < p->rows; ++r) {
        const int8_t *in = input + r * p->depth;
        int8_t *out = output + r * p->depth;
        int32_t max = -128;
        int32_t sum_of_exps = 0; /* Q12.19 */
        int headroom_plus_one;
        int num_bits_over_unit;
        int32_t shifted_scale;
        for (c = 0; c < p->depth; ++c) {
            max = in[c] > max ? in[c] : max;
        }
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max;
            if (diff >= p->diff_min) {
                const int32_t scaled = tf_nn_saturating_rounding_doubling_high_mul(
                    (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                sum_of_exps = tf_nn_add_wrap(
                    sum_of_exps, tf_nn_rounding_divide_by_pot(tf_nn_exp_on_negative_values(scaled), 12));
            }
        }
        headroom_plus_one = tf_nn_count_leading_zeros((uint32_t)sum_of_exps);
        num_bits_over_unit = 12 - headroom_plus_one;
        shifted_scale = tf_nn_one_over_one_plus_x(
            (int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - ((uint32_t)1 << 31)));
        for (c = 0; c < p->depth; ++c) {
            const int32_t diff = (int32_t)in[c] - max;
            if (diff >= p->diff_min) {
                const int32_t scaled = tf_nn_saturating_rounding_doubling_high_mul(
                    (int32_t)((uint32_t)diff << p->input_left_shift), p->input_multiplier);
                const int32_t exp_in_0 = tf_nn_exp_on_negative_values(scaled);
                const int32_t unsat = tf_nn_rounding_divide_by_pot(
                    tf_nn_saturating_rounding_doubling_high_mul(shifted_scale, exp_in_0),
                    num_bits_over_unit + 31 - 8);
                out[c] = (int8_t)tf_nn_clamp(unsat - 128, -128, 127);
            } else {
                out[c] = -128;
            }
        }
    }
}
