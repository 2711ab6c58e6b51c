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
#include <stdlib.h>
#include <string.h>

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

/*
 * Faults on request, so that tests can reach a backend's fallback paths: $GAN4J_EMULATED_FAULTS names a
 * file (it need not exist) that is read again at every call that can fail this way, one fault a line:
 *     <call> <what> <value>
 * emu_fault(call, what, value) is 1 when such a line names the call and `what` with exactly `value`,
 * e.g. "cudnnConvolutionForward algo 1", "cudnnConvolutionBackwardFilter math 1", "cuMemAlloc bytes 4096".
 */
static inline int emu_fault(const char *call, const char *what, long long value)
{
    const char *path = getenv("GAN4J_EMULATED_FAULTS");
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f)
        return 0;
    char line[256], c[128], w[64];
    long long v;
    int hit = 0;
    while (!hit && fgets(line, sizeof line, f))
        hit = sscanf(line, "%127s %63s %lld", c, w, &v) == 3 && !strcmp(c, call) && !strcmp(w, what) && v == value;
    fclose(f);
    return hit;
}

#endif
