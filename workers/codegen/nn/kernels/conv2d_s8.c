typedef struct {
    int batches;
    int in_h, in_w, in_c;
    int out_h, out_w, out_c;
    int k_h, k_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_h, pad_w;
    int32_t input_offset;      /* -input zero point */
    int32_t output_offset;     /* output zero point */
    int32_t act_min;
    int32_t act_max;
    const int8_t *filter;      /* [out_c][k_h][k_w][in_c] */
    const int32_t *bias;       /* [out_c] or NULL */
    const int32_t *multiplier; /* [out_c] */
    const int32_t *shift;      /* [out_c] */
} tf_nn_conv2d_s8_params_t;

#if TF_NN_DSP
/* Two output channels at a time; two neighbouring pixels share every weight load where the whole
 * receptive field is inside the input. There sum w * (x + offset) is computed as sum w * x plus
 * offset * sum w (sum w once per channel), so the inner loop is 4 loads, 8 SXTB16 and 8 SMLAD for
 * 16 multiply-accumulates. The last n % 4 bytes of a row are the top bytes of the word that ends
 * the row, shifted down so the bytes already counted drop out (zero weights add nothing). Pixels
 * touching the padding add the offset to the inputs (SADD16) over the taps inside the input. */
static inline __attribute__((always_inline)) int32_t tf_nn_tail4(const int8_t *row_end, int shift)
{
    return (int32_t)((uint32_t)tf_nn_load4(row_end - 4) >> shift);
}

static inline __attribute__((always_inline)) void tf_nn_conv2d_s8_dot_2x2(const int8_t *w0, const int8_t *w1,
                                                                         const int8_t *x0, const int8_t *x1,
                                                                         int n, int32_t *acc)
{
    int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
    const int tail = n & 3;
    int i;
    for (i = 0; i + 4 <= n; i += 4) {
        const int32_t va = tf_nn_load4(x0 + i), vb = tf_nn_load4(x1 + i);
        const int32_t ae = tf_nn_even16(va), ao = tf_nn_odd16(va);
        const int32_t be = tf_nn_even16(vb), bo = tf_nn_odd16(vb);
        int32_t v = tf_nn_load4(w0 + i), we = tf_nn_even16(v), wo = tf_nn_odd16(v);
        a00 = __smlad(we, ae, __smlad(wo, ao, a00));
        a10 = __smlad(we, be, __smlad(wo, bo, a10));
        v = tf_nn_load4(w1 + i);
        we = tf_nn_even16(v);
        wo = tf_nn_odd16(v);
        a01 = __smlad(we, ae, __smlad(wo, ao, a01));
        a11 = __smlad(we, be, __smlad(wo, bo, a11));
    }
    if (tail != 0) {
        if (n >= 4) {
            const int sh = 8 * (4 - tail);
            const int32_t va = tf_nn_tail4(x0 + n, sh), vb = tf_nn_tail4(x1 + n, sh);
            int32_t v = tf_nn_tail4(w0 + n, sh);
            a00 = __smlad(tf_nn_even16(v), tf_nn_even16(va), __smlad(tf_nn_odd16(v), tf_nn_odd16(va), a00));
            a10 = __smlad(tf_nn_even16(v), tf_nn_even16(vb), __smlad(tf_nn_odd16(v), tf_nn_odd16(vb), a10));
            v = tf_nn_tail4(w1 + n, sh);
            a01 = __smlad(tf_nn_even16(v), tf_nn_even16(va), __smlad(tf_nn_odd16(v), tf_nn_odd16(va), a01));
            a11 = __smlad(tf_nn_even16(v), tf_nn_even16(vb), __smlad(tf_nn_odd16(v), tf_nn_odd16(vb), a11));
        } else {
            for (; i < n; ++i) {
                a00 += (int32_t)w0[i] * x0[i];
                a01 += (int32_t)w1[i] * x0[i];
                a10 += (int32_t)w0[i] * x1[i];
                a11 += (int32_t)w1[i] * x1[i];
            }
        }
    }
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
}

/* One pixel, two channels, n bytes: sum w * (x + offset) with the offset added to the inputs. */
static void tf_nn_conv2d_s8_dot_offset(const int8_t *w0, const int8_t *w1, const int8_t *x, int n,
                                       int32_t offset, int32_t *acc)
{
    const int32_t offset2 = (int32_t)(((uint32_t)offset & 0xffffu) * 0x00010001u);
    int32_t a0 = acc[0], a1 = acc[1];
    int i;
    for (i = 0; i + 4 <= n; i += 4) {
        const int32_t v = tf_nn_load4(x + i);
        const int32_t xe = __sadd16(tf_nn_even16(v), offset2), xo = __sadd16(tf_nn_odd16(v), offset2);
        int32_t w = tf_nn_load4(w0 + i);
        a0 = __smlad(tf_nn_even16(w), xe, __smlad(tf_nn_odd16(w), xo, a0));
        w = tf_nn_load4(w1 + i);
        a1 = __smlad(tf_nn_even16(w), xe, __smlad(tf_nn_odd16(w), xo, a1));
    }
    for (; i < n; ++i) {
        a0 += (int32_t)w0[i] * ((int32_t)x[i] + offset);
        a1 += (int32_t)w1[i] * ((int32_t)x[i] + offset);
    }
    acc[0] = a0;
    acc[1] = a1;
}

static int32_t tf_nn_sum_s8(const int8_t *w, int n)
{
    int32_t sum = 0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        const int32_t v = tf_nn_load4(w + i);
        sum = __smlad(tf_nn_even16(v), 0x00010001, sum);
        sum = __smlad(tf_nn_odd16(v), 0x00010001, sum);
    }
    for (; i < n; ++i) {
        sum += w[i];
    }
    return sum;
}

/* Output pixel (oy, ox) of channels oc and oc + 1 (if pair) when its window touches the padding
 * (or the filter is dilated along the width): the offset is added to the inputs, taps in the
 * padding are skipped. */
static void tf_nn_conv2d_s8_edge(const tf_nn_conv2d_s8_params_t *p, const int8_t *input, int b, int oy, int ox,
                                 int oc, int pair, const tf_nn_requant_t *r0, const tf_nn_requant_t *r1,
                                 int8_t *out)
{
    const int y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
    const int8_t *const f0 = p->filter + oc * p->k_h * p->k_w * p->in_c;
    const int8_t *const f1 = pair ? f0 + p->k_h * p->k_w * p->in_c : f0;
    int32_t acc[2];
    int ky, kx;
    acc[0] = p->bias != NULL ? p->bias[oc] : 0;
    acc[1] = p->bias != NULL ? p->bias[oc + pair] : 0;
    for (ky = 0; ky < p->k_h; ++ky) {
        const int y = y0 + p->dilation_h * ky;
        if (y < 0 || y >= p->in_h) {
            continue;
        }
        for (kx = 0; kx < p->k_w; ++kx) {
            const int x = x0 + p->dilation_w * kx;
            int run = 1;
            if (x < 0 || x >= p->in_w) {
                continue;
            }
            if (p->dilation_w == 1) { /* the taps inside the input are contiguous */
                run = (p->in_w - x < p->k_w - kx) ? p->in_w - x : p->k_w - kx;
            }
            tf_nn_conv2d_s8_dot_offset(f0 + (ky * p->k_w + kx) * p->in_c, f1 + (ky * p->k_w + kx) * p->in_c,
                                       input + ((b * p->in_h + y) * p->in_w + x) * p->in_c, run * p->in_c,
                                       p->input_offset, acc);
            kx += run - 1;
        }
    }
    out[0] = (int8_t)tf_nn_clamp(tf_nn_requantize(acc[0], r0) + p->output_offset, p->act_min, p->act_max);
    if (pair) {
        out[1] = (int8_t)tf_nn_clamp(tf_nn_requantize(acc[1], r1) + p->output_offset, p->act_min, p->act_max);
    }
}

static TF_NN_HOT void tf_nn_conv2d_s8(const tf_nn_conv2d_s8_params_t *p, const int8_t *input, int8_t *output)
{
    /* Locals: the int8 output stores may alias *p, which would force reloads after each store. */
    const int in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_h = p->out_h, out_w = p->out_w;
    const int out_c = p->out_c, k_h = p->k_h, k_w = p->k_w, stride_h = p->stride_h, stride_w = p->stride_w;
    const int dil_h = p->dilation_h, pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t in_off = p->input_offset, out_off = p->output_offset, lo = p->act_min, hi = p->act_max;
    const int span = k_w * in_c; /* contiguous bytes per filter row when dilation_w is 1 */
    const int depth = k_h * span; /* weights per output channel */
    const int row = dil_h * in_w * in_c;
    const int step = stride_w * in_c;
    /* Output columns [first, last) have their whole window inside the input's width. */
    const int first = p->dilation_w != 1 ? out_w : (pad_w + stride_w - 1) / stride_w;
    const int room = in_w - k_w + pad_w;
    const int last = room < 0 ? 0 : (room / stride_w + 1 < out_w ? room / stride_w + 1 : out_w);
    int oc, b, oy, ox, ky;
    for (oc = 0; oc < out_c; oc += 2) {
        const int pair = oc + 1 < out_c;
        const int8_t *const f0 = p->filter + oc * depth;
        const int8_t *const f1 = pair ? f0 + depth : f0;
        const tf_nn_requant_t r0 = tf_nn_requant(p->multiplier[oc], p->shift[oc]);
        const tf_nn_requant_t r1 = tf_nn_requant(p->multiplier[oc + pair], p->shift[oc + pair]);
        const int32_t base0 = (p->bias != NULL ? p->bias[oc] : 0) + in_off * tf_nn_sum_s8(f0, depth);
        const int32_t base1 = (p->bias != NULL ? p->bias[oc + pair] : 0) + in_off * tf_nn_sum_s8(f1, depth);
        for (b = 0; b < p->batches; ++b) {
            for (oy = 0; oy < out_h; ++oy) {
                const int y0 = oy * stride_h - pad_h;
                const int rows_inside = y0 >= 0 && y0 + dil_h * (k_h - 1) < in_h;
                const int start = rows_inside && first < last ? first : out_w;
                const int end = rows_inside && first < last ? last : out_w;
                int8_t *const out_row = output + ((b * out_h + oy) * out_w) * out_c + oc;
                for (ox = 0; ox < start; ++ox) {
                    tf_nn_conv2d_s8_edge(p, input, b, oy, ox, oc, pair, &r0, &r1, out_row + ox * out_c);
                }
                for (ox = start; ox < end; ox += 2) {
                    const int two = ox + 1 < end;
                    const int8_t *const x = input + ((b * in_h + y0) * in_w + ox * stride_w - pad_w) * in_c;
                    int8_t *const out = out_row + ox * out_c;
                    int32_t acc[4];
                    acc[0] = acc[2] = base0;
                    acc[1] = acc[3] = base1;
                    for (ky = 0; ky < k_h; ++ky) {
                        /* a last single pixel reuses its own input as the second one */
                        tf_nn_conv2d_s8_dot_2x2(f0 + ky * span, f1 + ky * span, x + ky * row,
                                                x + ky * row + (two ? step : 0), span, acc);
                    }
                    out[0] = (int8_t)tf_nn_clamp(tf_nn_requantize(acc[0], &r0) + out_off, lo, hi);
                    if (pair) {
                        out[1] = (int8_t)tf_nn_clamp(tf_nn_requantize(acc[1], &r1) + out_off, lo, hi);
                    }
                    if (two) {
                        out[out_c] = (int8_t)tf_nn_clamp(tf_nn_requantize(acc[2], &r0) + out_off, lo, hi);
                        if (pair) {
                            out[out_c + 1] = (int8_t)tf_nn_clamp(tf_nn_requantize(acc[3], &r1) + out_off, lo, hi);
                        }
                    }
                }
                for (ox = end > start ? end : start; ox < out_w; ++ox) {
                    tf_nn_conv2d_s8_edge(p, input, b, oy, ox, oc, pair, &r0, &r1, out_row + ox * out_c);
                }
            }
        }
    }
}
#else
/* sum over the filter of w * (x + input_offset) for one output value; taps in the padding add 0. */
static int32_t tf_nn_conv2d_s8_dot(const tf_nn_conv2d_s8_params_t *p, const int8_t *input, int b, int oy, int ox,
                                   int oc)
{
    const int y0 = oy * p->stride_h - p->pad_h;
    const int x0 = ox * p->stride_w - p->pad_w;
    int32_t acc = 0;
    int ky, kx, ic;
    for (ky = 0; ky < p->k_h; ++ky) {
        const int y = y0 + p->dilation_h * ky;
        if (y < 0 || y >= p->in_h) {
            continue;
        }
        for (kx = 0; kx < p->k_w; ++kx) {
            const int x = x0 + p->dilation_w * kx;
            const int8_t *in;
            const int8_t *w;
            if (x < 0 || x >= p->in_w) {
                continue;
            }
            in = input + ((b * p->in_h + y) * p->in_w + x) * p->in_c;
            w = p->filter + ((oc * p->k_h + ky) * p->k_w + kx) * p->in_c;
            for (ic = 0; ic < p->in_c; ++ic) {
                acc += (int32_t)w[ic] * ((int32_t)in[ic] + p->input_offset);
            }
        }
    }
    return acc;
}

static void tf_nn_conv2d_s8(const tf_nn_conv2d_s8_params_t *p, const int8_t *input, int8_t *output)
{
    int b, oy, ox, oc;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                for (oc = 0; oc < p->out_c; ++oc) {
                    int32_t acc = tf_nn_conv2d_s8_dot(p, input, b, oy, ox, oc);
                    if (p->bias != NULL) {
                        acc += p->bias[oc];
                    }
                    acc = tf_nn_multiply_by_quantized_multiplier(acc, p->multiplier[oc], p->shift[oc]);
                    acc += p->output_offset;
                    output[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                        (int8_t)tf_nn_clamp(acc, p->act_min, p->act_max);
                }
            }
        }
    }
}
#endif
