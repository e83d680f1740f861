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

static void tf_nn_conv2d_s8(const tf_nn_conv2d_s8_params_t *p, const int8_t *input, int8_t *output)
{
    int b, oy, ox, oc, ky, kx, ic;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                const int y0 = oy * p->stride_h - p->pad_h;
                const int x0 = ox * p->stride_w - p->pad_w;
                for (oc = 0; oc < p->out_c; ++oc) {
                    int32_t acc = 0;
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
