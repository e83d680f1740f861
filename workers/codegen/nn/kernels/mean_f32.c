typedef struct {
    int outer;
    int reduce;
    int inner;
} tf_nn_mean_f32_params_t;

static void tf_nn_mean_f32(const tf_nn_mean_f32_params_t *p, const float *input, float *output)
{
    int o, r, i;
    for (o = 0; o < p->outer; ++o) {
        for (i = 0; i < p->inner; ++i) {
            float total = 0.0f;
            for (r = 0; r < p->reduce; ++r) {
                total += input[(o * p->reduce + r) * p->inner + i];
            }
            output[o * p->inner + i] = total / (float)p->reduce;
        }
    }
}
