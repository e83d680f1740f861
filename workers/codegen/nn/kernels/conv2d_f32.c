typedef struct {
    int batches;
    int in_h, in_w, in_c;
    int out_h, out_w, out_c;
    int k_h, k_w;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_h, pad_w;
    float act_min;
    float act_max;
    const float *filter; /* [out_c][k_h][k_w][in_c] */
    const float *bias;   /* [out_c] or NULL */
} tf_nn_conv2d_f32_params_t;

static void tf_nn_conv2d_f32(const tf_nn_conv2d_f32_params_t *p, const float *input, float *output)
{
    int b, oy, ox, oc, ky, kx, ic;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                const int y0 = oy * p->stride_h - p->pad_h;
                const int x0 = ox * p->stride_w - p->pad_w;
                for (oc = 0; oc < p->out_c; ++oc) {
                    float total = 0.0f;
                    for (ky = 0; ky < p->k_h; ++ky) {
                        const int y = y0 + p->dilation_h * ky;
                        if (y < 0 || y >= p->in_h) {
                            continue;
                        }
                        for (kx = 0; kx < p->k_w; ++kx) {
                            const int x = x0 + p->dilation_w * kx;
                            const float *in;
                            const float *w;
                            if (x < 0 || x >= p->in_w) {
                                continue;
                            }
                            in = input + ((b * p->in_h + y) * p->in_w + x) * p->in_c;
                            w = p->filter + ((oc * p->k_h + ky) * p->k_w + kx) * p->in_c;
                            for (ic = 0; ic < p->in_c; ++ic) {
                                total += in[ic] * w[ic];
                            }
                        }
                    }
                    if (p->bias != NULL) {
                        total += p->bias[oc];
                    }
                    output[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                        tf_nn_clamp_f32(total, p->act_min, p->act_max);
                }
            }
        }
    }
}
