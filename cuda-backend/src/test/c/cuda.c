/*
 * libcuda.so.1 — the CUDA driver API, emulated on the CPU.
 *
 * One device, one primary context. Device memory is host memory; every "asynchronous" call runs
 * to completion before it returns, so streams and events only have to exist. Kernels are shared
 * objects built by the emulated NVRTC (nvrtc.c); cuLaunchKernel calls the module's launcher,
 * which loops over the grid (kernel.h).
 *
 * Like the real driver, calls need cuInit first (CUDA_ERROR_NOT_INITIALIZED) and a current
 * context on the calling thread (CUDA_ERROR_INVALID_CONTEXT), so a backend that forgets
 * cuCtxSetCurrent on a thread fails here as it would on a GPU.
 */
#define _GNU_SOURCE
#include "emu.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;

enum {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_PTX = 218,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_NOT_READY = 600,
    CUDA_ERROR_ILLEGAL_ADDRESS = 700,
    CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
    CUDA_ERROR_NOT_SUPPORTED = 801,
};

/* The image nvrtcGetPTX/nvrtcGetCUBIN hand out: this line, then the path of the built .so. */
#define EMU_MODULE_MAGIC "//gan4j-emulated-module\n"

typedef struct emu_context { int device; int refcount; unsigned flags; } emu_context;
typedef struct emu_stream { unsigned flags; } emu_stream;
typedef struct emu_event { double seconds; } emu_event;
typedef struct emu_module { void *so; } emu_module;
typedef void (*emu_launcher)(void **params, const unsigned grid[3], const unsigned block[3]);
typedef struct emu_function { emu_module *module; emu_launcher launch; char name[256]; } emu_function;

static int initialized;
static emu_context primary;
static __thread emu_context *current;
static __thread emu_context *ctx_stack[16];
static __thread int ctx_depth;

static size_t memory_limit = (size_t)8 << 30;   /* GAN4J_EMULATED_DEVICE_MEMORY overrides */
static size_t memory_used;                       /* updated with __atomic builtins */

#define NEED_INIT() do { if (!initialized) return CUDA_ERROR_NOT_INITIALIZED; } while (0)
#define NEED_CONTEXT() do { NEED_INIT(); if (!current) return CUDA_ERROR_INVALID_CONTEXT; } while (0)


/* ---------------------------------------------------------------- errors and versions */

static const struct { int code; const char *name, *text; } errors[] = {
    {0, "CUDA_SUCCESS", "no error"},
    {1, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {3, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {4, "CUDA_ERROR_DEINITIALIZED", "driver shutting down"},
    {100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {101, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {200, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {201, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {218, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain."},
    {400, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {500, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {600, "CUDA_ERROR_NOT_READY", "device not ready"},
    {700, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {719, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {801, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {999, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

static int error_index(CUresult e)
{
    for (size_t i = 0; i < sizeof errors / sizeof *errors; i++)
        if (errors[i].code == e) return (int)i;
    return -1;
}

EMU_API CUresult cuGetErrorString(CUresult e, const char **s)
{
    int i = error_index(e);
    if (!s) return CUDA_ERROR_INVALID_VALUE;
    *s = i < 0 ? NULL : errors[i].text;
    return i < 0 ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

EMU_API CUresult cuGetErrorName(CUresult e, const char **s)
{
    int i = error_index(e);
    if (!s) return CUDA_ERROR_INVALID_VALUE;
    *s = i < 0 ? NULL : errors[i].name;
    return i < 0 ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

EMU_API CUresult cuDriverGetVersion(int *v)
{
    if (!v) return CUDA_ERROR_INVALID_VALUE;
    *v = 12060;
    return CUDA_SUCCESS;
}

/* ---------------------------------------------------------------- init and device */

/* Bytes, optionally with a k/m/g suffix (powers of 1024). */
static size_t parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    switch (*end) {
    case 'k': case 'K': v *= 1024.0; break;
    case 'm': case 'M': v *= 1048576.0; break;
    case 'g': case 'G': v *= 1073741824.0; break;
    }
    return v > 0 ? (size_t)v : 0;
}

/* ---------------------------------------------------------------- out-of-bounds accesses */

/*
 * Device memory is bounds-checked (see "memory" below): each allocation ends flush against a PROT_NONE
 * page, so a kernel, copy or library call that runs past the end faults at once instead of corrupting
 * memory. This SIGSEGV handler names the call on stderr. Kernels and copies then return an error status
 * (guard_jump, armed around them); a fault inside cuBLAS or cuDNN aborts the process after the message,
 * since their entry points keep no jump target. Any other SIGSEGV (the JVM uses them on purpose) goes to
 * the handler that was installed before.
 */
static struct sigaction jvm_segv;
static __thread sigjmp_buf *volatile guard_jump;   /* volatile: the stores must survive around calls the compiler thinks cannot read them */
static __thread const char *volatile guard_call;

static int in_emulated_library(const void *pc, Dl_info *where)
{
    if (!dladdr(pc, where) || !where->dli_fname) return 0;
    const char *file = strrchr(where->dli_fname, '/');
    file = file ? file + 1 : where->dli_fname;
    return !strcmp(file, "libcublas.so.12") || !strcmp(file, "libcudnn.so.9");
}

static void say(const char *call, const void *address)
{
    char line[512];
    int n = snprintf(line, sizeof line, "gan4j CUDA emulation: %s accessed device memory out of bounds at %p\n",
                     call, address);
    if (write(2, line, (size_t)n) < 0) { /* nothing left to report to */ }
}

static void on_segv(int sig, siginfo_t *info, void *context)
{
    if (guard_call) {
        say(guard_call, info->si_addr);
        if (guard_jump) siglongjmp(*guard_jump, 1);
        abort();
    }
    Dl_info where;
    const void *pc = (const void *)((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP];
    if (in_emulated_library(pc, &where)) {
        /* The outermost frame inside that library is the entry point the caller used. */
        void *frames[64];
        int depth = backtrace(frames, 64);
        const char *entry = "a library call";
        Dl_info frame;
        for (int i = 0; i < depth; i++)
            if (dladdr(frames[i], &frame) && frame.dli_fname && !strcmp(frame.dli_fname, where.dli_fname)
                && frame.dli_sname)
                entry = frame.dli_sname;
        say(entry, info->si_addr);
        abort();
    }
    if (jvm_segv.sa_flags & SA_SIGINFO) {
        jvm_segv.sa_sigaction(sig, info, context);
    } else if (jvm_segv.sa_handler != SIG_DFL && jvm_segv.sa_handler != SIG_IGN) {
        jvm_segv.sa_handler(sig);
    } else {
        signal(SIGSEGV, SIG_DFL);   /* returning re-runs the access, which now ends the process */
    }
}

static void install_guard_handler(void)
{
    void *warm[1];
    backtrace(warm, 1);   /* loads the unwinder now, not inside the handler */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &jvm_segv);
}

/* Runs `body` with faults reported against `call`; evaluates to 1 if it faulted. */
#define GUARDED(call, body)                                                 \
    ({                                                                      \
        sigjmp_buf jump_;                                                   \
        int faulted_ = sigsetjmp(jump_, 1);                                 \
        if (!faulted_) {                                                    \
            guard_call = (call);                                            \
            guard_jump = &jump_;                                            \
            body;                                                           \
        }                                                                   \
        guard_call = NULL;                                                  \
        guard_jump = NULL;                                                  \
        faulted_;                                                           \
    })


EMU_API CUresult cuInit(unsigned flags)
{
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    const char *limit = getenv("GAN4J_EMULATED_DEVICE_MEMORY");
    if (limit && *limit) memory_limit = parse_size(limit);
    if (!initialized) install_guard_handler();
    initialized = 1;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuDeviceGetCount(int *n)
{
    NEED_INIT();
    if (!n) return CUDA_ERROR_INVALID_VALUE;
    *n = 1;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuDeviceGet(CUdevice *d, int ordinal)
{
    NEED_INIT();
    if (!d) return CUDA_ERROR_INVALID_VALUE;
    if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
    *d = 0;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuDeviceGetName(char *name, int len, CUdevice d)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!name || len <= 0) return CUDA_ERROR_INVALID_VALUE;
    snprintf(name, (size_t)len, "gan4j emulated CUDA device (CPU)");
    return CUDA_SUCCESS;
}

EMU_API CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice d)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!bytes) return CUDA_ERROR_INVALID_VALUE;
    *bytes = memory_limit;
    return CUDA_SUCCESS;
}

/* The attributes a backend plausibly asks for; the device claims to be an sm_90 part. */
static int attribute(int a)
{
    switch (a) {
    case 1: return 1024;            /* MAX_THREADS_PER_BLOCK */
    case 2: return 1024;            /* MAX_BLOCK_DIM_X */
    case 3: return 1024;            /* MAX_BLOCK_DIM_Y */
    case 4: return 64;              /* MAX_BLOCK_DIM_Z */
    case 5: return 2147483647;      /* MAX_GRID_DIM_X */
    case 6: return 65535;           /* MAX_GRID_DIM_Y */
    case 7: return 65535;           /* MAX_GRID_DIM_Z */
    case 8: return 49152;           /* MAX_SHARED_MEMORY_PER_BLOCK */
    case 9: return 65536;           /* TOTAL_CONSTANT_MEMORY */
    case 10: return 32;             /* WARP_SIZE */
    case 11: return 2147483647;     /* MAX_PITCH */
    case 12: return 65536;          /* MAX_REGISTERS_PER_BLOCK */
    case 13: return 1000000;        /* CLOCK_RATE (kHz) */
    case 14: return 256;            /* TEXTURE_ALIGNMENT */
    case 15: return 1;              /* GPU_OVERLAP */
    case 16: return 1;              /* MULTIPROCESSOR_COUNT */
    case 17: return 0;              /* KERNEL_EXEC_TIMEOUT */
    case 18: return 0;              /* INTEGRATED */
    case 19: return 1;              /* CAN_MAP_HOST_MEMORY */
    case 20: return 0;              /* COMPUTE_MODE: default */
    case 31: return 1;              /* CONCURRENT_KERNELS */
    case 32: return 0;              /* ECC_ENABLED */
    case 36: return 1000000;        /* MEMORY_CLOCK_RATE */
    case 37: return 64;             /* GLOBAL_MEMORY_BUS_WIDTH */
    case 38: return 0;              /* L2_CACHE_SIZE */
    case 39: return 2048;           /* MAX_THREADS_PER_MULTIPROCESSOR */
    case 41: return 1;              /* UNIFIED_ADDRESSING */
    case 75: return 9;              /* COMPUTE_CAPABILITY_MAJOR */
    case 76: return 0;              /* COMPUTE_CAPABILITY_MINOR */
    case 81: return 233472;         /* MAX_SHARED_MEMORY_PER_MULTIPROCESSOR */
    case 82: return 65536;          /* MAX_REGISTERS_PER_MULTIPROCESSOR */
    case 97: return 232448;         /* MAX_SHARED_MEMORY_PER_BLOCK_OPTIN */
    default: return 0;
    }
}

EMU_API CUresult cuDeviceGetAttribute(int *v, int attrib, CUdevice d)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!v || attrib <= 0 || attrib > 200) return CUDA_ERROR_INVALID_VALUE;
    *v = attribute(attrib);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuDeviceComputeCapability(int *major, int *minor, CUdevice d)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!major || !minor) return CUDA_ERROR_INVALID_VALUE;
    *major = attribute(75);
    *minor = attribute(76);
    return CUDA_SUCCESS;
}

/* ---------------------------------------------------------------- contexts */

EMU_API CUresult cuDevicePrimaryCtxRetain(emu_context **ctx, CUdevice d)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!ctx) return CUDA_ERROR_INVALID_VALUE;
    __atomic_add_fetch(&primary.refcount, 1, __ATOMIC_SEQ_CST);
    *ctx = &primary;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuDevicePrimaryCtxRelease_v2(CUdevice d)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (__atomic_load_n(&primary.refcount, __ATOMIC_SEQ_CST) <= 0) return CUDA_ERROR_INVALID_CONTEXT;
    __atomic_sub_fetch(&primary.refcount, 1, __ATOMIC_SEQ_CST);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuDevicePrimaryCtxReset_v2(CUdevice d)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    return CUDA_SUCCESS;            /* nothing device-side to tear down */
}

EMU_API CUresult cuDevicePrimaryCtxGetState(CUdevice d, unsigned *flags, int *active)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!flags || !active) return CUDA_ERROR_INVALID_VALUE;
    *flags = primary.flags;
    *active = primary.refcount > 0;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuDevicePrimaryCtxSetFlags_v2(CUdevice d, unsigned flags)
{
    NEED_INIT();
    if (d != 0) return CUDA_ERROR_INVALID_DEVICE;
    primary.flags = flags;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuCtxSetCurrent(emu_context *ctx)
{
    NEED_INIT();
    if (ctx && ctx != &primary) return CUDA_ERROR_INVALID_CONTEXT;
    current = ctx;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuCtxGetCurrent(emu_context **ctx)
{
    NEED_INIT();
    if (!ctx) return CUDA_ERROR_INVALID_VALUE;
    *ctx = current;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuCtxPushCurrent_v2(emu_context *ctx)
{
    NEED_INIT();
    if (ctx != &primary) return CUDA_ERROR_INVALID_CONTEXT;
    if (ctx_depth == (int)(sizeof ctx_stack / sizeof *ctx_stack)) return CUDA_ERROR_NOT_SUPPORTED;
    ctx_stack[ctx_depth++] = current;
    current = ctx;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuCtxPopCurrent_v2(emu_context **ctx)
{
    NEED_CONTEXT();
    if (ctx) *ctx = current;
    current = ctx_depth > 0 ? ctx_stack[--ctx_depth] : NULL;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuCtxGetDevice(CUdevice *d)
{
    NEED_CONTEXT();
    if (!d) return CUDA_ERROR_INVALID_VALUE;
    *d = current->device;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuCtxSynchronize(void)
{
    NEED_CONTEXT();
    return CUDA_SUCCESS;
}

/* ---------------------------------------------------------------- memory */

/*
 * Each allocation is a mapping of its own, laid out as
 *     [guard page][padding][256-byte header][data, rounded up to 256 B][guard page]
 * so the data starts 256-byte aligned (as cudaMalloc promises) and ends flush against a PROT_NONE page:
 * an access past the end (beyond the rounding to 256 B) faults at once (see on_segv). The header holds
 * the size, the mapping and a tag, so cuMemFree can account for it and reject pointers it never handed out
 * (including offset views). New memory is filled with 0xFF bytes — NaN as float — because real device
 * memory is not zeroed and a backend must not rely on it.
 */
#define HEADER 256
#define TAG 0x67616e346a656d75ULL   /* "gan4jemu" */

typedef struct header { uint64_t tag; size_t bytes; char *mapping; size_t mapped; } header;

EMU_API CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytes)
{
    NEED_CONTEXT();
    if (!dptr || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    if (emu_fault("cuMemAlloc", "bytes", (long long)bytes)) return CUDA_ERROR_OUT_OF_MEMORY;
    size_t used = __atomic_add_fetch(&memory_used, bytes, __ATOMIC_SEQ_CST);
    if (used > memory_limit || used < bytes) {
        __atomic_sub_fetch(&memory_used, bytes, __ATOMIC_SEQ_CST);
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t span = (bytes + HEADER - 1) / HEADER * HEADER;
    size_t body = (HEADER + span + page - 1) / page * page;
    char *mapping = mmap(NULL, body + 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                         -1, 0);
    if (mapping == MAP_FAILED) {
        __atomic_sub_fetch(&memory_used, bytes, __ATOMIC_SEQ_CST);
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    mprotect(mapping, page, PROT_NONE);
    mprotect(mapping + page + body, page, PROT_NONE);
    char *data = mapping + page + body - span;
    header *h = (header *)(data - HEADER);
    *h = (header){TAG, bytes, mapping, body + 2 * page};
    memset(data, 0xFF, span);
    *dptr = (CUdeviceptr)(uintptr_t)data;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuMemFree_v2(CUdeviceptr dptr)
{
    NEED_CONTEXT();
    if (dptr == 0) return CUDA_SUCCESS;
    if (dptr % HEADER != 0) return CUDA_ERROR_INVALID_VALUE;   /* an offset view, not a base */
    header *h = (header *)(uintptr_t)(dptr - HEADER);
    if (h->tag != TAG) return CUDA_ERROR_INVALID_VALUE;
    h->tag = 0;
    __atomic_sub_fetch(&memory_used, h->bytes, __ATOMIC_SEQ_CST);
    munmap(h->mapping, h->mapped);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total)
{
    NEED_CONTEXT();
    if (!free_bytes || !total) return CUDA_ERROR_INVALID_VALUE;
    size_t used = __atomic_load_n(&memory_used, __ATOMIC_SEQ_CST);
    *total = memory_limit;
    *free_bytes = used < memory_limit ? memory_limit - used : 0;
    return CUDA_SUCCESS;
}

/* Page-locked host memory is just host memory; it does not count against the device. */
EMU_API CUresult cuMemAllocHost_v2(void **p, size_t bytes)
{
    NEED_CONTEXT();
    if (!p || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    *p = aligned_alloc(HEADER, (bytes + HEADER - 1) / HEADER * HEADER);
    return *p ? CUDA_SUCCESS : CUDA_ERROR_OUT_OF_MEMORY;
}

EMU_API CUresult cuMemHostAlloc(void **p, size_t bytes, unsigned flags)
{
    (void)flags;
    return cuMemAllocHost_v2(p, bytes);
}

EMU_API CUresult cuMemFreeHost(void *p)
{
    NEED_CONTEXT();
    free(p);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuMemHostGetDevicePointer_v2(CUdeviceptr *d, void *p, unsigned flags)
{
    NEED_CONTEXT();
    if (!d || !p || flags != 0) return CUDA_ERROR_INVALID_VALUE;
    *d = (CUdeviceptr)(uintptr_t)p;
    return CUDA_SUCCESS;
}

#define DEV(p) ((void *)(uintptr_t)(p))

static CUresult copy(void *dst, const void *src, size_t n)
{
    NEED_CONTEXT();
    if (n && (!dst || !src)) return CUDA_ERROR_INVALID_VALUE;
    if (n && GUARDED("cuMemcpy", memmove(dst, src, n))) return CUDA_ERROR_INVALID_VALUE;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *h, size_t n) { return copy(DEV(d), h, n); }
EMU_API CUresult cuMemcpyDtoH_v2(void *h, CUdeviceptr d, size_t n) { return copy(h, DEV(d), n); }
EMU_API CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { return copy(DEV(d), DEV(s), n); }
EMU_API CUresult cuMemcpy(CUdeviceptr d, CUdeviceptr s, size_t n) { return copy(DEV(d), DEV(s), n); }
EMU_API CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void *h, size_t n, emu_stream *s)
{ (void)s; return copy(DEV(d), h, n); }
EMU_API CUresult cuMemcpyDtoHAsync_v2(void *h, CUdeviceptr d, size_t n, emu_stream *s)
{ (void)s; return copy(h, DEV(d), n); }
EMU_API CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr src, size_t n, emu_stream *s)
{ (void)s; return copy(DEV(d), DEV(src), n); }
EMU_API CUresult cuMemcpyAsync(CUdeviceptr d, CUdeviceptr src, size_t n, emu_stream *s)
{ (void)s; return copy(DEV(d), DEV(src), n); }

__attribute__((noinline)) static void repeat(char *p, const void *value, size_t width, size_t count)
{
    for (size_t i = 0; i < count; i++) memcpy(p + i * width, value, width);
}

static CUresult fill(CUdeviceptr d, const void *value, size_t width, size_t count)
{
    NEED_CONTEXT();
    if (count && (!d || d % width != 0)) return CUDA_ERROR_INVALID_VALUE;
    char *p = DEV(d);
    if (GUARDED("cuMemset", repeat(p, value, width, count)))
        return CUDA_ERROR_INVALID_VALUE;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuMemsetD8_v2(CUdeviceptr d, unsigned char v, size_t n) { return fill(d, &v, 1, n); }
EMU_API CUresult cuMemsetD16_v2(CUdeviceptr d, unsigned short v, size_t n) { return fill(d, &v, 2, n); }
EMU_API CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned v, size_t n) { return fill(d, &v, 4, n); }
EMU_API CUresult cuMemsetD8Async(CUdeviceptr d, unsigned char v, size_t n, emu_stream *s)
{ (void)s; return fill(d, &v, 1, n); }
EMU_API CUresult cuMemsetD16Async(CUdeviceptr d, unsigned short v, size_t n, emu_stream *s)
{ (void)s; return fill(d, &v, 2, n); }
EMU_API CUresult cuMemsetD32Async(CUdeviceptr d, unsigned v, size_t n, emu_stream *s)
{ (void)s; return fill(d, &v, 4, n); }

/* ---------------------------------------------------------------- streams and events */

EMU_API CUresult cuStreamCreate(emu_stream **s, unsigned flags)
{
    NEED_CONTEXT();
    if (!s || flags > 1) return CUDA_ERROR_INVALID_VALUE;
    *s = calloc(1, sizeof **s);
    (*s)->flags = flags;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuStreamCreateWithPriority(emu_stream **s, unsigned flags, int priority)
{
    (void)priority;
    return cuStreamCreate(s, flags);
}

EMU_API CUresult cuStreamDestroy_v2(emu_stream *s)
{
    NEED_CONTEXT();
    if (!s) return CUDA_ERROR_INVALID_HANDLE;
    free(s);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuStreamSynchronize(emu_stream *s) { (void)s; NEED_CONTEXT(); return CUDA_SUCCESS; }
EMU_API CUresult cuStreamQuery(emu_stream *s) { (void)s; NEED_CONTEXT(); return CUDA_SUCCESS; }
EMU_API CUresult cuStreamWaitEvent(emu_stream *s, emu_event *e, unsigned flags)
{ (void)s; (void)e; (void)flags; NEED_CONTEXT(); return CUDA_SUCCESS; }

EMU_API CUresult cuEventCreate(emu_event **e, unsigned flags)
{
    (void)flags;
    NEED_CONTEXT();
    if (!e) return CUDA_ERROR_INVALID_VALUE;
    *e = calloc(1, sizeof **e);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuEventRecord(emu_event *e, emu_stream *s)
{
    (void)s;
    NEED_CONTEXT();
    if (!e) return CUDA_ERROR_INVALID_HANDLE;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    e->seconds = (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuEventSynchronize(emu_event *e) { (void)e; NEED_CONTEXT(); return CUDA_SUCCESS; }
EMU_API CUresult cuEventQuery(emu_event *e) { (void)e; NEED_CONTEXT(); return CUDA_SUCCESS; }

EMU_API CUresult cuEventElapsedTime(float *ms, emu_event *start, emu_event *end)
{
    NEED_CONTEXT();
    if (!ms || !start || !end) return CUDA_ERROR_INVALID_HANDLE;
    *ms = (float)((end->seconds - start->seconds) * 1e3);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuEventDestroy_v2(emu_event *e)
{
    NEED_CONTEXT();
    free(e);
    return CUDA_SUCCESS;
}

/* ---------------------------------------------------------------- modules and launches */

EMU_API CUresult cuModuleLoadData(emu_module **m, const void *image)
{
    NEED_CONTEXT();
    if (!m || !image) return CUDA_ERROR_INVALID_VALUE;
    const char *text = image;
    if (strncmp(text, EMU_MODULE_MAGIC, strlen(EMU_MODULE_MAGIC)) != 0) {
        /* Real PTX or a real CUBIN: nothing here can run it. */
        fprintf(stderr, "gan4j CUDA emulation: cuModuleLoadData accepts only images from the emulated NVRTC\n");
        return strncmp(text, "\177ELF", 4) == 0 ? CUDA_ERROR_INVALID_IMAGE : CUDA_ERROR_INVALID_PTX;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s", text + strlen(EMU_MODULE_MAGIC));
    path[strcspn(path, "\n")] = 0;
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        fprintf(stderr, "gan4j CUDA emulation: cannot load module: %s\n", dlerror());
        return CUDA_ERROR_INVALID_IMAGE;
    }
    *m = calloc(1, sizeof **m);
    (*m)->so = so;
    return CUDA_SUCCESS;
}

EMU_API CUresult cuModuleLoadDataEx(emu_module **m, const void *image, unsigned n, int *options, void **values)
{
    (void)n; (void)options; (void)values;   /* JIT options have nothing to tune here */
    return cuModuleLoadData(m, image);
}

EMU_API CUresult cuModuleUnload(emu_module *m)
{
    NEED_CONTEXT();
    if (!m) return CUDA_ERROR_INVALID_HANDLE;
    dlclose(m->so);
    free(m);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuModuleGetFunction(emu_function **f, emu_module *m, const char *name)
{
    NEED_CONTEXT();
    if (!f || !name) return CUDA_ERROR_INVALID_VALUE;
    if (!m) return CUDA_ERROR_INVALID_HANDLE;
    char symbol[512];
    snprintf(symbol, sizeof symbol, "__gan4j_launch_%s", name);
    void *launch = dlsym(m->so, symbol);
    if (!launch) return CUDA_ERROR_NOT_FOUND;
    /* Functions live as long as the process; a backend keeps them for the context's lifetime. */
    *f = calloc(1, sizeof **f);
    (*f)->module = m;
    (*f)->launch = (emu_launcher)launch;
    snprintf((*f)->name, sizeof (*f)->name, "cuLaunchKernel(%s)", name);
    return CUDA_SUCCESS;
}

EMU_API CUresult cuFuncGetAttribute(int *v, int attrib, emu_function *f)
{
    NEED_CONTEXT();
    if (!v) return CUDA_ERROR_INVALID_VALUE;
    if (!f) return CUDA_ERROR_INVALID_HANDLE;
    *v = attrib == 0 ? 1024 : 0;    /* MAX_THREADS_PER_BLOCK; sizes and registers are 0 */
    return CUDA_SUCCESS;
}

EMU_API CUresult cuLaunchKernel(emu_function *f, unsigned gx, unsigned gy, unsigned gz,
                                unsigned bx, unsigned by, unsigned bz, unsigned shared_bytes,
                                emu_stream *s, void **params, void **extra)
{
    (void)s;
    NEED_CONTEXT();
    if (!f) return CUDA_ERROR_INVALID_HANDLE;
    if (extra) return CUDA_ERROR_NOT_SUPPORTED;     /* only kernelParams are emulated */
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0
        || gy > 65535 || gz > 65535 || bx > 1024 || by > 1024 || bz > 64
        || (unsigned long long)bx * by * bz > 1024)
        return CUDA_ERROR_INVALID_VALUE;
    /* Kernels here have no shared memory; a request means the kernel expects some. */
    if (shared_bytes > 49152) return CUDA_ERROR_INVALID_VALUE;
    const unsigned grid[3] = {gx, gy, gz}, block[3] = {bx, by, bz};
    /* A GPU reports this at the next synchronisation and the context is lost; here it is the launch's own
     * status and the device goes on working. */
    if (GUARDED(f->name, f->launch(params, grid, block))) return CUDA_ERROR_ILLEGAL_ADDRESS;
    return CUDA_SUCCESS;
}
