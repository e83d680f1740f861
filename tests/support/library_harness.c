/* Runs a generated impulse library on test windows and prints every result as float bits.
 *
 * The windows are linked in from windows.bin (float32 [TF_HARNESS_WINDOWS][DSP input size]) with
 * .incbin, so the same program runs on the host and bare-metal on a Cortex-M4F under qemu.
 * Per window it prints one line: "<window> F <features...> S <scores...> A <anomaly>" (hex bits).
 * With TF_HARNESS_M4 it also prints, for the first window, the stack peak of run_classifier
 * (stack painting) and the instructions of each stage (SysTick under qemu -icount shift=0:
 * one tick per 40 instructions on the mps2 boards; the same program runs on the Cortex-M7 and, built
 * for ARMv6-M, on the Cortex-M0 of the microbit machine, see TF_HARNESS_TICK_MUL).
 *
 * With TF_HARNESS_CONTINUOUS, windows.bin is one recording cut into TF_HARNESS_WINDOWS slices of
 * TF_CLASSIFIER_SLICE_SIZE samples, fed to run_classifier_continuous: per slice the same line (the
 * features the library kept, tf_classifier_features()), then a second pass from
 * run_classifier_init() with smoothing prints "<slice> M <smoothed scores...>". The first pass calls
 * run_classifier on a silent window after every 10th slice: the stream must not notice. With
 * TF_HARNESS_M4 too, the first pass prints "<slice> I <dsp> <nn> <anomaly>" (instructions of each
 * stage) per slice and then "stack <peak bytes of any run_classifier_continuous call>", and never
 * calls run_classifier (the program then links what a continuous application links). */
#include <stdio.h>
#include <string.h>

#include "LIBRARY_HEADER"

__asm__(".section .rodata\n.balign 4\n.global tf_harness_windows\ntf_harness_windows:\n"
        ".incbin \"windows.bin\"\n.previous\n");
extern const float tf_harness_windows[];

static unsigned long bits(float value)
{
    unsigned long out = 0;
    unsigned int u;
    memcpy(&u, &value, sizeof u);
    out = u;
    return out;
}

#ifdef TF_HARNESS_M4
#define SYST_CSR (*(volatile unsigned int *)0xE000E010u)
#define SYST_RVR (*(volatile unsigned int *)0xE000E014u)
#define SYST_CVR (*(volatile unsigned int *)0xE000E018u)
#ifndef TF_HARNESS_PAINT_BYTES
#define TF_HARNESS_PAINT_BYTES 16384u
#endif
#define PAINT_BYTES TF_HARNESS_PAINT_BYTES
/* Instructions per SysTick tick = TF_HARNESS_TICK_MUL >> TF_HARNESS_TICK_SHIFT: under -icount
 * shift=0 an instruction takes 1 ns, so 40 with the mps2 boards' 25 MHz system clock and 62.5
 * (125 >> 1) with the nRF51's 16 MHz (microbit). A shift, not a division: ARMv6-M has no divide
 * instruction and the call would be counted. */
#ifndef TF_HARNESS_TICK_MUL
#define TF_HARNESS_TICK_MUL 40u
#define TF_HARNESS_TICK_SHIFT 0u
#endif
#define PAINT_WORD 0xC0FFEE11u

static uint32_t systick_last, systick_total;

/* Instructions executed so far (not microseconds): the library's timing fields then count them. */
uint32_t tf_classifier_micros(void)
{
    const uint32_t now = SYST_CVR;
    systick_total += (systick_last - now) & 0xFFFFFFu;
    systick_last = now;
    return (systick_total * TF_HARNESS_TICK_MUL) >> TF_HARNESS_TICK_SHIFT;
}

static unsigned int current_sp(void)
{
    unsigned int sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

static __attribute__((noinline)) void paint_stack(unsigned int top)
{
    volatile unsigned int *p = (volatile unsigned int *)(top - PAINT_BYTES);
    while ((unsigned int)p < top - 256u) {
        *p++ = PAINT_WORD;
    }
}

static unsigned int stack_peak(unsigned int top)
{
    const unsigned int *p = (const unsigned int *)(top - PAINT_BYTES);
    while (*p == PAINT_WORD) {
        ++p;
    }
    return top - (unsigned int)p;
}
#endif

#ifdef TF_HARNESS_CONTINUOUS
#ifdef TF_HARNESS_M4
/* Instructions / 40 per DSP stage, when a measuring build of tf_dsp.c defines and fills this
 * (bench/bench_audio.py); otherwise this weak definition stays zero. Printed per slice as
 * "<slice> T <stage ticks...>", then reset. */
__attribute__((weak)) unsigned int tf_dsp_stage_ticks[4];
#endif
#define SLICE_FLOATS (TF_CLASSIFIER_SLICE_SIZE * TF_CLASSIFIER_RAW_SAMPLES_PER_FRAME)

static void print_floats(const char *tag, const float *values, int count)
{
    int i;
    printf(" %s", tag);
    for (i = 0; i < count; ++i) {
        printf(" %08lx", bits(values[i]));
    }
}

#ifndef TF_HARNESS_M4
static float silence[TF_CLASSIFIER_DSP_INPUT_FRAME_SIZE];
#endif

static int run_continuous(bool smoothing)
{
    int s, i;
#ifdef TF_HARNESS_M4
    unsigned int top, peak = 0u, used;
#endif
    run_classifier_init();
    for (s = 0; s < TF_HARNESS_WINDOWS; ++s) {
        signal_t signal;
        classifier_result_t result;
        float scores[TF_CLASSIFIER_LABEL_COUNT + 1];
        int err;
        signal_from_buffer(tf_harness_windows + (size_t)s * SLICE_FLOATS, SLICE_FLOATS, &signal);
#ifdef TF_HARNESS_M4
        top = current_sp();
        if (!smoothing) {
            paint_stack(top);
        }
#endif
        err = run_classifier_continuous(&signal, &result, false, smoothing);
        if (err != TF_CLASSIFIER_OK) {
            printf("error %d at slice %d\n", err, s);
            return 1;
        }
#ifdef TF_HARNESS_M4
        if (!smoothing) {
            used = stack_peak(top);
            peak = used > peak ? used : peak;
            printf("%d I %lu %lu %lu\n", s, (unsigned long)result.timing.dsp_us,
                   (unsigned long)result.timing.classification_us, (unsigned long)result.timing.anomaly_us);
            printf("%d T %u %u %u %u\n", s, tf_dsp_stage_ticks[0], tf_dsp_stage_ticks[1], tf_dsp_stage_ticks[2],
                   tf_dsp_stage_ticks[3]);
            memset(tf_dsp_stage_ticks, 0, sizeof tf_dsp_stage_ticks);
        }
#endif
        for (i = 0; i < TF_CLASSIFIER_LABEL_COUNT; ++i) {
            scores[i] = result.classification[i].value;
        }
        printf("%d", s);
        if (smoothing) {
            print_floats("M", scores, TF_CLASSIFIER_LABEL_COUNT);
            printf("\n");
            continue;
        }
        print_floats("F", tf_classifier_features(), TF_CLASSIFIER_FEATURE_COUNT);
        print_floats("S", scores, TF_CLASSIFIER_LABEL_COUNT);
        printf(" A %08lx\n", bits(result.anomaly));
#ifndef TF_HARNESS_M4
        if (s % 10 == 9) {
            signal_from_buffer(silence, TF_CLASSIFIER_DSP_INPUT_FRAME_SIZE, &signal);
            if (run_classifier(&signal, &result, false) != TF_CLASSIFIER_OK) {
                printf("run_classifier error after slice %d\n", s);
                return 1;
            }
        }
#endif
    }
#ifdef TF_HARNESS_M4
    if (!smoothing) {
        printf("stack %u\n", peak);
    }
#endif
    return 0;
}

int main(void)
{
#ifdef TF_HARNESS_M4
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0u;
    SYST_CSR = 5u; /* enable, processor clock, no interrupt */
    systick_last = SYST_CVR;
#endif
    return run_continuous(false) || run_continuous(true);
}
#else

int main(void)
{
    int w, i;
    const float *window = tf_harness_windows;
#ifdef TF_HARNESS_M4
    unsigned int top;
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0u;
    SYST_CSR = 5u; /* enable, processor clock, no interrupt */
    systick_last = SYST_CVR;
#endif
    for (w = 0; w < TF_HARNESS_WINDOWS; ++w, window += TF_CLASSIFIER_DSP_INPUT_FRAME_SIZE) {
        signal_t signal;
        classifier_result_t result;
        int err;
        signal_from_buffer(window, TF_CLASSIFIER_DSP_INPUT_FRAME_SIZE, &signal);
#ifdef TF_HARNESS_M4
        top = current_sp();
        if (w == 0) {
            paint_stack(top);
        }
#endif
        err = run_classifier(&signal, &result, false);
        if (err != TF_CLASSIFIER_OK) {
            printf("error %d at window %d\n", err, w);
            return 1;
        }
#ifdef TF_HARNESS_M4
        if (w == 0) {
            printf("stack %u\n", stack_peak(top));
            printf("instructions dsp %lu nn %lu anomaly %lu\n", (unsigned long)result.timing.dsp_us,
                   (unsigned long)result.timing.classification_us, (unsigned long)result.timing.anomaly_us);
        }
#endif
        /* the features run_classifier computed (a second tf_dsp_run here would link the DSP's
         * scratch into the RAM figure although run_classifier alone does not use it) */
        printf("%d F", w);
        for (i = 0; i < TF_CLASSIFIER_FEATURE_COUNT; ++i) {
            printf(" %08lx", bits(tf_classifier_features()[i]));
        }
        printf(" S");
        for (i = 0; i < TF_CLASSIFIER_LABEL_COUNT; ++i) {
            printf(" %08lx", bits(result.classification[i].value));
        }
        printf(" A %08lx\n", bits(result.anomaly));
    }
    return 0;
}
#endif
