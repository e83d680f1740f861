typedef struct {
    int rows;
    int depth;
    float beta;
} tf_nn_softmax_f32_params_t;

static void tf_nn_softmax_f32(const tf_nn_softmax_f32_params_t *p, const float *input, float *output)
{
    int r, c;
    for (r = 0; r < p->rows; ++r) {
        const float *in = input + r * p->depth;
        float *out = output + r * p->depth;
        float max = -FLT_MAX;
        float sum = 0.0f;
        for (c = 0; c < p->depth; ++c) {
            max = in[c] > max ? in[c] : max;
        }
        for (c = 0; c < p->depth; ++c) {
            out[c] = expf((in[c] - max) * p->beta);
            sum += out[c];
        }
        for (c = 0; c < p->depth; ++c) {
            out[c] = out[c] / sum;
        }
    }
}
