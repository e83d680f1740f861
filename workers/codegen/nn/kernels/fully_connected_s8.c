/* int8 fully connected. LiteRT's reference kernel rescales the accumulator with
 * round(acc * scale) in double precision; tf_nn_round_scaled reproduces that
 * result exactly with integer arithmetic (no double-precision FPU needed). */
typedef struct {
    int batches;
    int accum_depth;
    int out_depth;
    int32_t input_offset;          /* -input zero point */
    int32_t output_offset;         /* output zero point */
    int32_t act_min;
    int32_t act_max;
    const int8_t *weights;         /* [out_depth][accum_depth] */
    const int32_t *bias;           /* [out_depth] or NULL */
    const uint64_t *scale_mantissa; /* [out_depth], scale = mantissa * 2^exponent */
    const int32_t *scale_exponent; /* [out_depth] */
} tf_nn_fully_connected_s8_params_t;

static int tf_nn_bit_length(uint64_t x)
{
    int n = 0;
    while (x >= 0x10000u) {
        x >>= 16;
        n += 16;
    }
    while (x != 0) {
        x >>= 1;
        ++n;
    }
    return n;
}

/* round(acc * m * 2^e): the product rounded to 53 significant bits (ties to even),
 * as a double multiply does, then to an integer with ties away from zero. */
static int32_t tf_nn_round_scaled(int32_t acc, uint64_t m, int e)
{
    const uint32_t a = acc < 0 ? (uint32_t)0 - (uint32_t)acc : (uint32_t)acc;
    uint64_t low, high, kept;
    int bits, drop = 0, s;
    uint32_t r;
    if (a == 0 || m == 0) {
        return 0;
    }
    /* q = a * m = high * 2^32 + low, exact (at most 84 bits). */
    low = (uint64_t)a * (m & 0xffffffffu);
    high = (uint64_t)a * (m >> 32) + (low >> 32);
    low &= 0xffffffffu;
    bits = high != 0 ? 32 + tf_nn_bit_length(high) : tf_nn_bit_length(low);
    if (bits > 53) {
        uint32_t rest, half;
        drop = bits - 53; /* at most 31 */
        kept = (high << (32 - drop)) | (low >> drop);
        rest = (uint32_t)(low & ((1u << drop) - 1u));
        half = 1u << (drop - 1);
        if (rest > half || (rest == half && (kept & 1u) != 0)) {
            ++kept;
            if (kept == ((uint64_t)1 << 53)) {
                kept >>= 1;
                ++drop;
            }
        }
    } else {
        kept = (high << 32) | low;
    }
    s = -(drop + e); /* value = kept * 2^-s */
    if (s <= 0) {
        r = (s < -30 || kept > (0x7fffffffu >> -s)) ? 0x7fffffffu : (uint32_t)(kept << -s);
    } else if (s > 55) {
        r = 0;
    } else {
        const uint64_t rounded = (kept + ((uint64_t)1 << (s - 1))) >> s;
        r = rounded > 0x7fffffffu ? 0x7fffffffu : (uint32_t)rounded;
    }
    return acc < 0 ? -(int32_t)r : (int32_t)r;
}

static int8_t tf_nn_fully_connected_s8_out(const tf_nn_fully_connected_s8_params_t *p, int32_t acc, int o)
{
    if (p->bias != NULL) {
        acc += p->bias[o];
    }
    acc = tf_nn_round_scaled(acc, p->scale_mantissa[o], (int)p->scale_exponent[o]);
    acc += p->output_offset;
    return (int8_t)tf_nn_clamp(acc, p->act_min, p->act_max);
}

#if TF_NN_DSP
/* Two output units at a time share each word of inputs: it becomes (x0, x2) and (x1, x3) int16
 * pairs with the input offset added by one SADD16 each, and every weight word is two SMLADs. */
static void tf_nn_fully_connected_s8(const tf_nn_fully_connected_s8_params_t *p,
                                     const int8_t *input, int8_t *output)
{
    const int n = p->accum_depth;
    const int32_t offset2 = (int32_t)(((uint32_t)p->input_offset & 0xffffu) * 0x00010001u);
    int b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = input + b * n;
        int8_t *out = output + b * p->out_depth;
        for (o = 0; o < p->out_depth; o += 2) {
            const int pair = o + 1 < p->out_depth;
            const int8_t *w0 = p->weights + o * n;
            const int8_t *w1 = pair ? w0 + n : w0;
            int32_t acc0 = 0, acc1 = 0;
            for (d = 0; d + 4 <= n; d += 4) {
                const int32_t v = tf_nn_load4(x + d);
                const int32_t xe = __sadd16(tf_nn_even16(v), offset2);
                const int32_t xo = __sadd16(tf_nn_odd16(v), offset2);
                int32_t w = tf_nn_load4(w0 + d);
                acc0 = __smlad(tf_nn_even16(w), xe, __smlad(tf_nn_odd16(w), xo, acc0));
                w = tf_nn_load4(w1 + d);
                acc1 = __smlad(tf_nn_even16(w), xe, __smlad(tf_nn_odd16(w), xo, acc1));
            }
            for (; d < n; ++d) {
                const int32_t xv = (int32_t)x[d] + p->input_offset;
                acc0 += (int32_t)w0[d] * xv;
                acc1 += (int32_t)w1[d] * xv;
            }
            out[o] = tf_nn_fully_connected_s8_out(p, acc0, o);
            if (pair) {
                out[o + 1] = tf_nn_fully_connected_s8_out(p, acc1, o + 1);
            }
        }
    }
}
#else
static void tf_nn_fully_connected_s8(const tf_nn_fully_connected_s8_params_t *p,
                                     const int8_t *input, int8_t *output)
{
    int b, o, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *x = input + b * p->accum_depth;
        for (o = 0; o < p->out_depth; ++o) {
            const int8_t *w = p->weights + o * p->accum_depth;
            int32_t acc = 0;
            for (d = 0; d < p->accum_depth; ++d) {
                acc += (int32_t)w[d] * ((int32_t)x[d] + p->input_offset);
            }
            output[b * p->out_depth + o] = tf_nn_fully_connected_s8_out(p, acc, o);
        }
    }
}
#endif
