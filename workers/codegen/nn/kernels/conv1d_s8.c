/* A conv2d whose filter is one row high (k_h 1, dilation 1 along the width, no padding along the
 * height): Keras Conv1D as TFLite lowers it. The receptive field of an output pixel is then one
 * contiguous run of span = k_w * in_c input bytes, which the DSP path exploits; the code generator
 * picks this kernel only where its fast requantization is provably exact (ops/conv1d.py). */
typedef struct {
    int batches;
    int in_h, in_w, in_c;
    int out_h, out_w, out_c;
    int k_w;
    int stride_h, stride_w;
    int pad_w;
    int32_t input_offset;  /* -input zero point */
    int32_t output_offset; /* output zero point */
    int32_t act_min;
    int32_t act_max;
    int blocks; /* DSP path: span rounded up to 4, in blocks of 4 inputs */
#if TF_NN_DSP
    /* [out_c / 4 rounded up][blocks][4 channels][2 words]: 2 * w as int16 pairs in SXTB16's order,
     * (w0, w2) then (w1, w3) of each 4 inputs (low half first), zero past the span and in the
     * channels that fill the last group of 4. */
    const int32_t *filter_pairs;
    /* [out_c / 4 rounded up][16]: per group of 4 channels 2 * (bias + input_offset * sum w) of each,
     * then per channel multiplier, 2^(right - 1) + (output_offset << right) and right (>= 1). */
    const int32_t *requant;
#else
    const int8_t *filter;      /* [out_c][k_w][in_c] */
    const int32_t *bias;       /* [out_c] or NULL */
    const int32_t *multiplier; /* [out_c] */
    const int32_t *shift;      /* [out_c] */
#endif
} tf_nn_conv1d_s8_params_t;

#if TF_NN_DSP
/* Inner loop per 4 inputs and 4 channels: one LDR of inputs (any alignment), two SXTB16, one LDRD of
 * weights per channel and 8 SMLAD (in assembly: gcc splits the LDRDs). sum w * (x + offset) is
 * sum w * x + offset * sum w, the second term folded into the bias at generation. A pixel whose
 * window touches the padding, or whose last block would read past the row, is copied with the
 * padding as the input zero point (x + offset = 0: adds 0, as in the reference) into the scratch.
 * The weights and bias were doubled at generation, so the accumulator is 2 * acc and one SMMLAR
 * gives the reference's rounding doubling high multiply t plus k = 2^(right - 1) + (output_offset
 * << right) (exact while 2 * acc fits 32 bits, checked at generation); the rounding divide by
 * 2^right, round half away from zero, is then (t + k + (acc >> 31)) >> right (t < 0 only if
 * acc < 0, and where acc < 0 <= t, t is 0 and the -1 does not reach bit `right`). */
#define TF_NN_CONV1D_BLOCK                                                                                  \
    "ldr %[v], [%[x]], #4\n\t"                                                                               \
    "sxtb16 %[e], %[v]\n\t"                                                                                  \
    "sxtb16 %[v], %[v], ror #8\n\t"                                                                          \
    "ldrd %[w0], %[w1], [%[w]], #8\n\t"                                                                      \
    "smlad %[a0], %[e], %[w0], %[a0]\n\t"                                                                    \
    "smlad %[a0], %[v], %[w1], %[a0]\n\t"                                                                    \
    "ldrd %[w0], %[w1], [%[w]], #8\n\t"                                                                      \
    "smlad %[a1], %[e], %[w0], %[a1]\n\t"                                                                    \
    "smlad %[a1], %[v], %[w1], %[a1]\n\t"                                                                    \
    "ldrd %[w0], %[w1], [%[w]], #8\n\t"                                                                      \
    "smlad %[a2], %[e], %[w0], %[a2]\n\t"                                                                    \
    "smlad %[a2], %[v], %[w1], %[a2]\n\t"                                                                    \
    "ldrd %[w0], %[w1], [%[w]], #8\n\t"                                                                      \
    "smlad %[a3], %[e], %[w0], %[a3]\n\t"                                                                    \
    "smlad %[a3], %[v], %[w1], %[a3]\n\t"

/* One output: multiplier, k and right of the channel in v, e, w0 (one LDM: r4 < r5 < r6). */
#define TF_NN_CONV1D_OUT(acc)                                                                            \
    "ldm %[q]!, {%[v], %[e], %[w0]}\n\t"                                                                     \
    "smmlar %[v], %[" acc "], %[v], %[e]\n\t"                                                                \
    "add %[v], %[v], %[" acc "], asr #31\n\t"                                                                \
    "asr %[v], %[v], %[w0]\n\t"                                                                              \
    "ssat %[v], #8, %[v]\n\t"                                                                                \
    "strb %[v], [%[out]], #1\n\t"

/* `groups` groups of 4 output channels of the pixel whose inputs start at x, into out[0..4 groups):
 * w and q start at the first group's weights and constants; blocks / 2 double steps follow one
 * single step when blocks is odd. Returns where the next group's constants start. */
static inline __attribute__((always_inline)) const int32_t *tf_nn_conv1d_s8_groups(const int8_t *x, const int32_t *w,
                                                                                  const int32_t *q, int blocks,
                                                                                  int groups, int8_t *out)
{
    register int32_t v __asm__("r4");
    register int32_t e __asm__("r5");
    register int32_t w0 __asm__("r6");
    int32_t w1, a0, a1, a2, a3;
    do {
        const int8_t *xg = x;
        int n = blocks;
        __asm__ volatile("ldrd %[a0], %[a1], [%[q]], #8\n\t"
                         "ldrd %[a2], %[a3], [%[q]], #8\n\t"
                         "lsrs %[n], %[n], #1\n\t"
                         "bcc 2f\n\t" TF_NN_CONV1D_BLOCK "2:\n\t"
                         "beq 3f\n"
                         "1:\n\t" TF_NN_CONV1D_BLOCK TF_NN_CONV1D_BLOCK "subs %[n], %[n], #1\n\t"
                         "bne 1b\n"
                         "3:\n\t" TF_NN_CONV1D_OUT("a0") TF_NN_CONV1D_OUT("a1") TF_NN_CONV1D_OUT("a2")
                             TF_NN_CONV1D_OUT("a3")
                         : [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3), [x] "+r"(xg), [w] "+r"(w),
                           [q] "+r"(q), [n] "+r"(n), [out] "+r"(out), [v] "=&r"(v), [e] "=&r"(e), [w0] "=&r"(w0),
                           [w1] "=&r"(w1)
                         :
                         : "cc", "memory");
    } while (--groups > 0);
    return q;
}

/* The window of a pixel at column x0 (4 * blocks bytes) with the padding as the zero point. */
static void tf_nn_conv1d_s8_pad(const int8_t *row, int x0, const tf_nn_conv1d_s8_params_t *p, int8_t *dst)
{
    /* the columns inside the row are contiguous: [from, to) */
    const int from = x0 > 0 ? x0 : 0, to = x0 + p->k_w < p->in_w ? x0 + p->k_w : p->in_w;
    memset(dst, (int8_t)-p->input_offset, (size_t)(4 * p->blocks));
    if (from < to) {
        memcpy(dst + (from - x0) * p->in_c, row + from * p->in_c, (size_t)((to - from) * p->in_c));
    }
}

/* What the loops over pixels read: locals, as the assembly's memory clobber would make the compiler
 * reload the parameters after every group. */
typedef struct {
    const int32_t *w;
    const int32_t *q;
    int blocks, full, rest, out_c;
    int32_t lo, hi;
} tf_nn_conv1d_s8_pixel_t;

/* All output channels of one pixel whose inputs start at x. */
static inline __attribute__((always_inline)) void tf_nn_conv1d_s8_pixel(const tf_nn_conv1d_s8_pixel_t k,
                                                                       const int8_t *x, int8_t *out)
{
    const int32_t *q = k.q;
    int c;
    if (k.full > 0) {
        q = tf_nn_conv1d_s8_groups(x, k.w, q, k.blocks, k.full, out);
    }
    if (k.rest > 0) { /* channels past out_c have zero weights; their values are dropped */
        int8_t four[4];
        tf_nn_conv1d_s8_groups(x, k.w + 8 * k.blocks * k.full, q, k.blocks, 1, four);
        memcpy(out + 4 * k.full, four, (size_t)k.rest);
    }
    if (k.lo != -128 || k.hi != 127) { /* a fused activation narrower than int8 */
        for (c = 0; c < k.out_c; ++c) {
            out[c] = (int8_t)tf_nn_clamp(out[c], k.lo, k.hi);
        }
    }
}

static TF_NN_HOT void tf_nn_conv1d_s8(const tf_nn_conv1d_s8_params_t *p, const int8_t *input, int8_t *output,
                                      int8_t *scratch)
{
    const int in_w = p->in_w, in_c = p->in_c, out_w = p->out_w, out_c = p->out_c, in_h = p->in_h;
    const int out_h = p->out_h, batches = p->batches, stride_h = p->stride_h;
    const int stride = p->stride_w, pad = p->pad_w, step = p->stride_w * p->in_c;
    const tf_nn_conv1d_s8_pixel_t k = {p->filter_pairs, p->requant, p->blocks, out_c / 4, out_c % 4, out_c,
                                       p->act_min, p->act_max};
    /* pixels [first, last) read their 4 * blocks bytes inside the row; the others are copied */
    const int room = in_w * in_c - 4 * p->blocks + pad * in_c;
    const int last = room < 0 ? 0 : (room / step + 1 < out_w ? room / step + 1 : out_w);
    const int first = (pad + stride - 1) / stride < last ? (pad + stride - 1) / stride : last;
    int b, oy, ox;
    for (b = 0; b < batches; ++b) {
        for (oy = 0; oy < out_h; ++oy) {
            const int8_t *const row = input + ((b * in_h + oy * stride_h) * in_w) * in_c;
            int8_t *out = output + ((b * out_h + oy) * out_w) * out_c;
            for (ox = 0; ox < first; ++ox, out += out_c) {
                tf_nn_conv1d_s8_pad(row, ox * stride - pad, p, scratch);
                tf_nn_conv1d_s8_pixel(k, scratch, out);
            }
            if (first < last) {
                const int8_t *x = row + (first * stride - pad) * in_c;
                for (; ox < last; ++ox, out += out_c, x += step) {
                    tf_nn_conv1d_s8_pixel(k, x, out);
                }
            }
            for (; ox < out_w; ++ox, out += out_c) {
                tf_nn_conv1d_s8_pad(row, ox * stride - pad, p, scratch);
                tf_nn_conv1d_s8_pixel(k, scratch, out);
            }
        }
    }
}
#else
static void tf_nn_conv1d_s8(const tf_nn_conv1d_s8_params_t *p, const int8_t *input, int8_t *output,
                            int8_t *scratch)
{
    const int span = p->k_w * p->in_c;
    int b, oy, ox, oc, kx, ic;
    (void)scratch;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            const int8_t *const row = input + ((b * p->in_h + oy * p->stride_h) * p->in_w) * p->in_c;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int x0 = ox * p->stride_w - p->pad_w;
                for (oc = 0; oc < p->out_c; ++oc) {
                    int32_t acc = p->bias != NULL ? p->bias[oc] : 0;
                    for (kx = 0; kx < p->k_w; ++kx) {
                        const int x = x0 + kx;
                        if (x < 0 || x >= p->in_w) {
                            continue; /* the padding adds 0 */
                        }
                        for (ic = 0; ic < p->in_c; ++ic) {
                            acc += (int32_t)p->filter[oc * span + kx * p->in_c + ic] *
                                   ((int32_t)row[x * p->in_c + ic] + p->input_offset);
                        }
                    }
                    acc = tf_nn_multiply_by_quantized_multiplier(acc, p->multiplier[oc], p->shift[oc]);
                    output[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                        (int8_t)tf_nn_clamp(acc + p->output_offset, p->act_min, p->act_max);
                }
            }
        }
    }
}
#endif
