/* Runs a generated tf_dsp configuration on test windows and prints every feature as float bits.
 *
 * The windows are linked in from windows.bin (float32 [TF_TEST_WINDOWS][TF_DSP_INPUT_FLOATS]) with
 * .incbin, so the same program runs on the host and bare-metal on a Cortex-M4F under qemu
 * (tests/support/m4). One line per window: "<window> <features...>" in hex. With TF_TEST_SHIFT
 * > 0 every window after the first goes through tf_dsp_run_shifted(window, TF_TEST_SHIFT) and the
 * line also carries tf_dsp_run's features of the same window after a '|'. */
#include <stdio.h>
#include <string.h>

#include "tf_dsp.h"
#include "tf_dsp_config.h"

#ifndef TF_TEST_SHIFT
#define TF_TEST_SHIFT 0
#endif

__asm__(".section .rodata\n.balign 4\n.global tf_test_windows\ntf_test_windows:\n"
        ".incbin \"windows.bin\"\n.previous\n");
extern const float tf_test_windows[];

static float features[TF_DSP_FEATURES_COUNT];
#if TF_TEST_SHIFT > 0
static float full[TF_DSP_FEATURES_COUNT];
#endif

static void print_bits(const float *v, int count)
{
    int i;
    for (i = 0; i < count; i++) {
        unsigned int u;
        memcpy(&u, &v[i], sizeof u);
        printf(" %08x", u);
    }
}

int main(void)
{
    int w, err;
    for (w = 0; w < TF_TEST_WINDOWS; w++) {
        const float *window = tf_test_windows + (size_t)w * TF_DSP_INPUT_FLOATS;
#if TF_TEST_SHIFT > 0
        err = w == 0 ? tf_dsp_run(window, features) : tf_dsp_run_shifted(window, TF_TEST_SHIFT, features);
#else
        err = tf_dsp_run(window, features);
#endif
        if (err != TF_DSP_OK) {
            printf("error %d at window %d\n", err, w);
            return 1;
        }
        printf("%d", w);
        print_bits(features, TF_DSP_FEATURES_COUNT);
#if TF_TEST_SHIFT > 0
        {
            /* the full run leaves the same state as a correct shifted run: each step checks
             * one shifted call against the full computation */
            err = tf_dsp_run(window, full);
            if (err != TF_DSP_OK) {
                printf("error %d at window %d\n", err, w);
                return 1;
            }
            printf(" |");
            print_bits(full, TF_DSP_FEATURES_COUNT);
        }
#endif
        printf("\n");
    }
    return 0;
}
