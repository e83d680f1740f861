typedef struct {
    int batches;
    int in_h, in_w, channels;
    int out_h, out_w;
    int k_h, k_w;
    int stride_h, stride_w;
    int pad_h, pad_w;
    float act_min;
    float act_max;
} tf_nn_max_pool2d_f32_params_t;

static void tf_nn_max_pool2d_f32(const tf_nn_max_pool2d_f32_params_t *p, const float *input, float *output)
{
    int b, oy, ox, c, ky, kx;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            for (ox = 0; ox < p->out_w; ++ox) {
                const int y0 = oy * p->stride_h - p->pad_h;
                const int x0 = ox * p->stride_w - p->pad_w;
                const int ky_start = y0 < 0 ? -y0 : 0;
                const int kx_start = x0 < 0 ? -x0 : 0;
                const int ky_end = p->k_h < p->in_h - y0 ? p->k_h : p->in_h - y0;
                const int kx_end = p->k_w < p->in_w - x0 ? p->k_w : p->in_w - x0;
                for (c = 0; c < p->channels; ++c) {
                    float max = -FLT_MAX;
                    for (ky = ky_start; ky < ky_end; ++ky) {
                        for (kx = kx_start; kx < kx_end; ++kx) {
                            const float v =
                                input[((b * p->in_h + y0 + ky) * p->in_w + x0 + kx) * p->channels + c];
                            max = v > max ? v : max;
                        }
                    }
                    output[((b * p->out_h + oy) * p->out_w + ox) * p->channels + c] =
                        tf_nn_clamp_f32(max, p->act_min, p->act_max);
                }
            }
        }
    }
}
