/* Bare-metal start of a Cortex-M program under qemu (mps2-an386 M4F, mps2-an500 M7, microbit M0):
 * enable the FPU if the build uses one, copy .data,
 * zero .bss, open the semihosting console, run main and exit qemu with main's return value. */
#include <stdint.h>
#include <string.h>

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
extern int main(void);
extern void initialise_monitor_handles(void);
void reset_handler(void);
void fault_handler(void);

__attribute__((section(".vectors"), used)) const void *const vectors[16] = {
    &_estack, (const void *)reset_handler, (const void *)fault_handler, (const void *)fault_handler,
    (const void *)fault_handler, (const void *)fault_handler, (const void *)fault_handler,
};

void _init(void) {}
void _fini(void) {}

static void semihosting_exit(int status)
{
    /* SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit: qemu exits with `status`. */
    static uint32_t block[2];
    register uint32_t r0 __asm__("r0") = 0x20u;
    register uint32_t *r1 __asm__("r1") = block;
    block[0] = 0x20026u;
    block[1] = (uint32_t)status;
    __asm__ volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
}

void fault_handler(void)
{
    semihosting_exit(99);
    for (;;) {
    }
}

void reset_handler(void)
{
#ifdef __ARM_FP /* built for a core with an FPU (Cortex-M4F, M7); not for ARMv6-M (Cortex-M0) */
    *(volatile uint32_t *)0xE000ED88u |= (0xFu << 20); /* CPACR: full access to CP10/CP11 (FPU) */
    __asm__ volatile("dsb\n isb" ::: "memory");
#endif
    memcpy(&_sdata, &_sidata, (size_t)((char *)&_edata - (char *)&_sdata));
    memset(&_sbss, 0, (size_t)((char *)&_ebss - (char *)&_sbss));
    initialise_monitor_handles();
    semihosting_exit(main());
    for (;;) {
    }
}
