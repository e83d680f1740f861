typedef struct {
    int size;
    float scale;
    int32_t zero_point;
} tf_nn_quantize_f32_s8_params_t;

static void tf_nn_quantize_f32_s8(const tf_nn_quantize_f32_s8_params_t *p, const float *input, int8_t *output)
{
    int i;
    for (i = 0; i < p->size; ++i) {
        const int32_t q = (int32_t)roundf(input[i] / p->scale) + p->zero_point;
        output[i] = (int8_t)tf_nn_clamp(q, -128, 127);
    }
}
