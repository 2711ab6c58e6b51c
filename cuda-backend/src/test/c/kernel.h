/*
 * Makes CUDA C kernel source compile as ordinary C++ for the emulated NVRTC (nvrtc.c), which
 * force-includes this header (g++ -include) and appends one launcher per __global__ function.
 *
 * A launch runs the kernel once per (block, thread) of the grid, one after another, with
 * threadIdx/blockIdx/blockDim/gridDim set for each call. That is exact for kernels whose threads
 * do not talk to each other — grid-stride loops over independent elements, which is how gan4j
 * writes them. Whatever would make threads cooperate is deliberately missing, so such a kernel
 * fails to compile instead of computing something else: __syncthreads, __shared__, warp
 * shuffles/votes.
 */
#ifndef GAN4J_EMULATED_KERNEL_H
#define GAN4J_EMULATED_KERNEL_H

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <math.h>
#include <tuple>
#include <type_traits>
#include <utility>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __constant__ const
#define __shared__ __gan4j_emulated_kernels_have_no_shared_memory
void __syncthreads() = delete;      /* threads run one after another: there is nothing to wait for */
void __syncwarp(unsigned mask = 0xffffffffu) = delete;

struct uint3 { unsigned x, y, z; };
struct dim3 { unsigned x, y, z; };

/* Per OS thread, so two Java threads may launch kernels concurrently. */
static thread_local uint3 threadIdx, blockIdx;
static thread_local dim3 blockDim, gridDim;
static const int warpSize = 32;

/* A kernel's "cannot happen" branch (an unknown op code): stop loudly, as the device does. */
[[noreturn]] static inline void __trap() { std::abort(); }

/* Device math that glibc lacks or spells differently. */
static inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
static inline double rsqrt(double x) { return 1.0 / sqrt(x); }
/* glibc declares these names itself (as internal aliases), hence macros. */
#define __expf expf
#define __logf logf
#define __powf powf
#define __sinf sinf
#define __cosf cosf
#define __tanf tanf
static inline float __fdividef(float x, float y) { return x / y; }
static inline float __frcp_rn(float x) { return 1.0f / x; }
static inline float __fsqrt_rn(float x) { return sqrtf(x); }
static inline float __fadd_rn(float x, float y) { return x + y; }
static inline float __fmul_rn(float x, float y) { return x * y; }
static inline float __fmaf_rn(float x, float y, float z) { return fmaf(x, y, z); }
static inline float __saturatef(float x) { return x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }
static inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
static inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }
static inline float __uint_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
static inline unsigned __float_as_uint(float f) { unsigned i; std::memcpy(&i, &f, 4); return i; }
using std::isfinite;
using std::isinf;
using std::isnan;
using std::signbit;

/* CUDA's min/max accept mixed operand types with the usual arithmetic conversions. */
template <class A, class B> static inline auto min(A a, B b) -> decltype(a < b ? a : b) { return b < a ? b : a; }
template <class A, class B> static inline auto max(A a, B b) -> decltype(a < b ? a : b) { return a < b ? b : a; }

/* Atomics are trivially atomic when threads run one at a time. */
template <class T> static inline T atomicAdd(T *p, T v) { T old = *p; *p = old + v; return old; }
template <class T> static inline T atomicSub(T *p, T v) { T old = *p; *p = old - v; return old; }
template <class T> static inline T atomicExch(T *p, T v) { T old = *p; *p = v; return old; }
template <class T> static inline T atomicMin(T *p, T v) { T old = *p; if (v < old) *p = v; return old; }
template <class T> static inline T atomicMax(T *p, T v) { T old = *p; if (v > old) *p = v; return old; }
template <class T> static inline T atomicCAS(T *p, T cmp, T v) { T old = *p; if (old == cmp) *p = v; return old; }

namespace gan4j_emu {

/* Unpacks cuLaunchKernel's void** (each entry points to one argument) into the kernel's parameter
 * types once, then calls the kernel for every thread of the grid with a copy of the arguments. */
template <class... A, std::size_t... I>
static void launch(void (*kernel)(A...), void **params, const unsigned *grid, const unsigned *block,
                   std::index_sequence<I...>)
{
    std::tuple<std::remove_cv_t<A>...> args{*static_cast<std::remove_cv_t<A> *>(params[I])...};
    (void)params;
    gridDim = {grid[0], grid[1], grid[2]};
    blockDim = {block[0], block[1], block[2]};
    for (unsigned bz = 0; bz < grid[2]; bz++)
        for (unsigned by = 0; by < grid[1]; by++)
            for (unsigned bx = 0; bx < grid[0]; bx++)
                for (unsigned tz = 0; tz < block[2]; tz++)
                    for (unsigned ty = 0; ty < block[1]; ty++)
                        for (unsigned tx = 0; tx < block[0]; tx++) {
                            blockIdx = {bx, by, bz};
                            threadIdx = {tx, ty, tz};
                            std::apply(kernel, args);
                        }
}

template <class... A>
static void launch(void (*kernel)(A...), void **params, const unsigned *grid, const unsigned *block)
{
    launch(kernel, params, grid, block, std::index_sequence_for<A...>{});
}

}  // namespace gan4j_emu

/* nvrtc.c appends one of these per kernel; cuModuleGetFunction looks the launcher up by name. */
#define GAN4J_EMULATED_LAUNCHER(name)                                                        \
    extern "C" __attribute__((visibility("default"))) void __gan4j_launch_##name(             \
        void **params, const unsigned *grid, const unsigned *block)                           \
    {                                                                                         \
        gan4j_emu::launch(name, params, grid, block);                                         \
    }

#endif
