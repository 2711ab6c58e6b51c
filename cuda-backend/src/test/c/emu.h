/*
 * Shared by the CPU emulations of libcuda, libcublas, libcudnn and libnvrtc.
 *
 * There are no NVIDIA headers on the build machines, so each library declares the few types and
 * constants it needs itself, with the numbers from NVIDIA's headers (CUDA 12.6, cuDNN 9.5).
 * Device memory is host memory: a CUdeviceptr is the address of an ordinary allocation.
 */
#ifndef GAN4J_EMU_H
#define GAN4J_EMU_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exported entry points; everything else is hidden (-fvisibility=hidden). */
#define EMU_API __attribute__((visibility("default")))

/*
 * Entry points the JCuda natives import but no emulation implements get a generated stub
 * (gen-stubs.sh) that calls this: it says so on stderr and returns the library's own
 * "not supported" status, so a backend that strays outside the emulated surface fails with an
 * error instead of a crash ("symbol lookup error") of the whole JVM.
 */
static inline int emu_not_emulated(const char *library, const char *name, int status)
{
    fprintf(stderr, "gan4j CUDA emulation: %s: %s is not emulated (returning status %d)\n",
            library, name, status);
    return status;
}

/* out = alpha*v + beta*out, where beta == 0 means "do not read out" (it may hold NaN garbage),
 * as cuBLAS and cuDNN document. */
static inline float emu_blend(float alpha, double v, float beta, const float *out)
{
    double r = (double)alpha * v;
    if (beta != 0.0f)
        r += (double)beta * (double)*out;
    return (float)r;
}

#endif
