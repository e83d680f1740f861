/* Standalone float RELU / RELU6 / RELU_N1_TO_1. */
typedef struct {
    int size;
    float act_min;
    float act_max;
} tf_nn_relu_f32_params_t;

static void tf_nn_relu_f32(const tf_nn_relu_f32_params_t *p, const float *input, float *output)
{
    int i;
    for (i = 0; i < p->size; ++i) {
        output[i] = tf_nn_clamp_f32(input[i], p->act_min, p->act_max);
    }
}
