typedef struct {
    int batches;
    int in_h, in_w, in_c;
    int out_h, out_w;
    int depth_multiplier;      /* out_c = in_c * depth_multiplier */
    int k_h, k_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_h, pad_w;
    int32_t input_offset;      /* -input zero point */
    int32_t output_offset;     /* output zero point */
    int32_t act_min;
    int32_t act_max;
    const int8_t *filter;      /* [k_h][k_w][out_c] */
    const int32_t *bias;       /* [out_c] or NULL */
    const int32_t *multiplier; /* [out_c] */
    const int32_t *shift;      /* [out_c] */
} tf_nn_depthwise_conv2d_s8_params_t;

/* One output value: sum over the window of w * (x + input_offset); taps in the padding add 0. */
static int32_t tf_nn_depthwise_conv2d_s8_dot(const tf_nn_depthwise_conv2d_s8_params_t *p, const int8_t *input,
                                             int b, int oy, int ox, int ic, int oc)
{
    const int out_c = p->in_c * p->depth_multiplier;
    const int y0 = oy * p->stride_h - p->pad_h;
    const int x0 = ox * p->stride_w - p->pad_w;
    int32_t acc = 0;
    int ky, kx;
    for (ky = 0; ky < p->k_h; ++ky) {
        const int y = y0 + p->dilation_h * ky;
        if (y < 0 || y >= p->in_h) {
            continue;
        }
        for (kx = 0; kx < p->k_w; ++kx) {
            const int x = x0 + p->dilation_w * kx;
            int32_t in_val;
            if (x < 0 || x >= p->in_w) {
                continue;
            }
            in_val = input[((b * p->in_h + y) * p->in_w + x) * p->in_c + ic];
            acc += (int32_t)p->filter[(ky * p->k_w + kx) * out_c + oc] * (in_val + p->input_offset);
        }
    }
    return acc;
}

#if TF_NN_DSP
/* Depth multiplier 1: four channels per step. One word of inputs and one of weights become
 * (c0, c2) and (c1, c3) int16 pairs, the input offset added to both lanes with one SADD16, and
 * SMLABB / SMLATT accumulate each lane into its own channel. Other channels: the scalar path. */
static int32_t tf_nn_depthwise_conv2d_s8_requant(const tf_nn_depthwise_conv2d_s8_params_t *p, int32_t acc, int c)
{
    const tf_nn_requant_t r = tf_nn_requant(p->multiplier[c], p->shift[c]);
    if (p->bias != NULL) {
        acc += p->bias[c];
    }
    return tf_nn_clamp(tf_nn_requantize(acc, &r) + p->output_offset, p->act_min, p->act_max);
}

static TF_NN_HOT void tf_nn_depthwise_conv2d_s8(const tf_nn_depthwise_conv2d_s8_params_t *p,
                                                const int8_t *input, int8_t *output)
{
    const int out_c = p->in_c * p->depth_multiplier;
    const int32_t offset2 = (int32_t)(((uint32_t)p->input_offset & 0xffffu) * 0x00010001u);
    const int grouped = p->depth_multiplier == 1 ? p->in_c / 4 * 4 : 0;
    int b, oy, ox, c, m, ky, kx;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            const int y0 = oy * p->stride_h - p->pad_h;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int x0 = ox * p->stride_w - p->pad_w;
                int8_t *out = output + ((b * p->out_h + oy) * p->out_w + ox) * out_c;
                for (c = 0; c < grouped; c += 4) {
                    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                    for (ky = 0; ky < p->k_h; ++ky) {
                        const int y = y0 + p->dilation_h * ky;
                        if (y < 0 || y >= p->in_h) {
                            continue;
                        }
                        for (kx = 0; kx < p->k_w; ++kx) {
                            const int x = x0 + p->dilation_w * kx;
                            int32_t v, xe, xo, we, wo;
                            if (x < 0 || x >= p->in_w) {
                                continue;
                            }
                            v = tf_nn_load4(input + ((b * p->in_h + y) * p->in_w + x) * p->in_c + c);
                            xe = __sadd16(tf_nn_even16(v), offset2);
                            xo = __sadd16(tf_nn_odd16(v), offset2);
                            v = tf_nn_load4(p->filter + (ky * p->k_w + kx) * out_c + c);
                            we = tf_nn_even16(v);
                            wo = tf_nn_odd16(v);
                            a0 = __smlabb(we, xe, a0);
                            a2 = __smlatt(we, xe, a2);
                            a1 = __smlabb(wo, xo, a1);
                            a3 = __smlatt(wo, xo, a3);
                        }
                    }
                    out[c] = (int8_t)tf_nn_depthwise_conv2d_s8_requant(p, a0, c);
                    out[c + 1] = (int8_t)tf_nn_depthwise_conv2d_s8_requant(p, a1, c + 1);
                    out[c + 2] = (int8_t)tf_nn_depthwise_conv2d_s8_requant(p, a2, c + 2);
                    out[c + 3] = (int8_t)tf_nn_depthwise_conv2d_s8_requant(p, a3, c + 3);
                }
                for (c = grouped; c < p->in_c; ++c) {
                    for (m = 0; m < p->depth_multiplier; ++m) {
                        const int oc = c * p->depth_multiplier + m;
                        const int32_t acc = tf_nn_depthwise_conv2d_s8_dot(p, input, b, oy, ox, c, oc);
                        out[oc] = (int8_t)tf_nn_depthwise_conv2d_s8_requant(p, acc, oc);
                    }
                }
            }
        }
    }
}
#else
static int32_t tf_nn_depthwise_conv2d_s8_out(const tf_nn_depthwise_conv2d_s8_params_t *p, int32_t acc, int oc)
{
    if (p->bias != NULL) {
        acc += p->bias[oc];
    }
    acc = tf_nn_multiply_by_quantized_multiplier(acc, p->multiplier[oc], p->shift[oc]);
    return tf_nn_clamp(acc + p->output_offset, p->act_min, p->act_max);
}

static void tf_nn_depthwise_conv2d_s8(const tf_nn_depthwise_conv2d_s8_params_t *p, const int8_t *input,
                                      int8_t *output)
{
    const int out_c = p->in_c * p->depth_multiplier;
    int b, oy, ox, ic, m;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                for (ic = 0; ic < p->in_c; ++ic) {
                    for (m = 0; m < p->depth_multiplier; ++m) {
                        const int oc = ic * p->depth_multiplier + m;
                        const int32_t acc = tf_nn_depthwise_conv2d_s8_dot(p, input, b, oy, ox, ic, oc);
                        output[((b * p->out_h + oy) * p->out_w + ox) * out_c + oc] =
                            (int8_t)tf_nn_depthwise_conv2d_s8_out(p, acc, oc);
                    }
                }
            }
        }
    }
}
#endif
