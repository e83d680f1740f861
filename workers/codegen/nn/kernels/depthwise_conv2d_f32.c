typedef struct {
    int batches;
    int in_h, in_w, in_c;
    int out_h, out_w;
    int depth_multiplier; /* out_c = in_c * depth_multiplier */
    int k_h, k_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_h, pad_w;
    float act_min;
    float act_max;
    const float *filter; /* [k_h][k_w][out_c] */
    const float *bias;   /* [out_c] or NULL */
} tf_nn_depthwise_conv2d_f32_params_t;

static void tf_nn_depthwise_conv2d_f32(const tf_nn_depthwise_conv2d_f32_params_t *p,
                                       const float *input, float *output)
{
    const int out_c = p->in_c * p->depth_multiplier;
    int b, oy, ox, ic, m, ky, kx;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                const int y0 = oy * p->stride_h - p->pad_h;
                const int x0 = ox * p->stride_w - p->pad_w;
                for (ic = 0; ic < p->in_c; ++ic) {
                    for (m = 0; m < p->depth_multiplier; ++m) {
                        const int oc = ic * p->depth_multiplier + m;
                        float total = 0.0f;
                        for (ky = 0; ky < p->k_h; ++ky) {
                            const int y = y0 + p->dilation_h * ky;
                            if (y < 0 || y >= p->in_h) {
                                continue;
                            }
                            for (kx = 0; kx < p->k_w; ++kx) {
                                const int x = x0 + p->dilation_w * kx;
                                if (x < 0 || x >= p->in_w) {
                                    continue;
                                }
                                total += input[((b * p->in_h + y) * p->in_w + x) * p->in_c + ic] *
                                         p->filter[(ky * p->k_w + kx) * out_c + oc];
                            }
                        }
                        if (p->bias != NULL) {
                            total += p->bias[oc];
                        }
                        output[((b * p->out_h + oy) * p->out_w + ox) * out_c + oc] =
                            tf_nn_clamp_f32(total, p->act_min, p->act_max);
                    }
                }
            }
        }
    }
}
